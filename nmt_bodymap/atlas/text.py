"""Read and check a muscle's TOML file: names, text, trigger point list.

Every field is checked for presence and type, unknown keys are reported
(they are usually typos), and every value that refers to the chart (the
landmark nearest a trigger point, the regions an entrapment affects) must
exist in the chart's vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from nmt_bodymap.atlas.model import (
    CAUSES,
    GROUPS,
    PREVALENCE,
    SELF_CARE_KINDS,
    Entrapment,
    MuscleFacts,
    Perpetuating,
    RuleOut,
    SelfCare,
    Source,
)
from nmt_bodymap.chart_landmarks import LANDMARKS
from nmt_bodymap.guarded import BadFile, parse_toml, shown

FORMAT_VERSION = 1
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

_TOP_KEYS = {
    "format",
    "id",
    "name",
    "latin",
    "group",
    "synonyms",
    "innervation",
    "actions",
    "midline",
    "referral",
    "symptoms",
    "trigger_point",
    "perpetuating",
    "entrapment",
    "self_care",
    "source",
    "rule_out",
}
_TRP_KEYS = {"id", "label", "location", "near", "prevalence", "prevalence_basis", "side"}


@dataclass
class TrPText:
    id: str
    label: str
    location: str
    near: str
    prevalence: str
    prevalence_basis: str
    only_side: str = ""  # "right" or "left": the literature finds it on that side only


@dataclass
class MuscleText(MuscleFacts):
    trigger_points: list[TrPText]


class _Checker:
    def __init__(self) -> None:
        self.problems: list[tuple[str | None, str]] = []

    def fail(self, where: str | None, message: str) -> None:
        # values from the file are echoed in messages: keep a hostile one readable
        self.problems.append((where[:120] if where else where, message if len(message) <= 300 else message[:299] + "…"))

    def text(self, table: dict[str, Any], key: str, where: str | None, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.fail(where, f"missing '{key}'")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"'{key}' must be non-empty text")
            return ""
        return " ".join(value.split()) if "\n" not in value.strip() else value.strip()

    def text_list(self, table: dict[str, Any], key: str, where: str | None, required: bool = True) -> tuple[str, ...]:
        value = table.get(key)
        if value is None:
            if required:
                self.fail(where, f"missing '{key}'")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(where, f"'{key}' must be a list of non-empty texts")
            return ()
        if required and not value:
            self.fail(where, f"'{key}' must not be empty")
        return tuple(" ".join(v.split()) for v in value)

    def tables(self, table: dict[str, Any], key: str, where: str | None, required: bool = True) -> list[dict[str, Any]]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(where, f"'{key}' must be written as [[{key}]] tables")
            return []
        if required and not value:
            self.fail(where, f"needs at least one [[{key}]]")
        return value

    def unknown(self, table: dict[str, Any], allowed: set[str], where: str | None) -> None:
        for key in sorted(set(table) - allowed):
            self.fail(where, f"unknown key '{key}'")


#: The field checker, shared with the nerve atlas's text (nmt_bodymap.nerves.text).
TextChecker = _Checker


def parse_muscle_toml(
    data: bytes, expected_id: str, region_names: set[str]
) -> tuple[MuscleText | None, list[tuple[str | None, str]]]:
    """Parse and check one muscle's text. Returns the text (None if unusable) and problems."""
    c = _Checker()
    try:
        doc = parse_toml(data, expected_id)
    except BadFile as exc:
        return None, [(None, exc.reason)]
    c.unknown(doc, _TOP_KEYS, None)
    fmt = doc.get("format")
    if fmt != FORMAT_VERSION:
        c.fail(None, f"'format' must be {FORMAT_VERSION} (got {shown(fmt)})")
    mid = c.text(doc, "id", None)
    if mid and not ID_PATTERN.fullmatch(mid):
        c.fail(None, f"id '{mid}' must be lower-case words joined by hyphens")
    if mid and mid != expected_id:
        c.fail(None, f"id '{mid}' does not match the file name '{expected_id}'")
    group = c.text(doc, "group", None)
    if group and group not in GROUPS:
        c.fail(None, f"unknown group '{group}' (groups: {', '.join(GROUPS)})")
    midline = doc.get("midline", False)
    if not isinstance(midline, bool):
        c.fail(None, "'midline' must be true or false")
        midline = False

    trps: list[TrPText] = []
    seen: set[str] = set()
    for i, t in enumerate(c.tables(doc, "trigger_point", None)):
        where = f"[[trigger_point]] #{i + 1}"
        c.unknown(t, _TRP_KEYS, where)
        tid = c.text(t, "id", where)
        if tid:
            where = f"trigger point '{tid}'"
            if not ID_PATTERN.fullmatch(tid):
                c.fail(where, "id must be lower-case words joined by hyphens")
            if tid in seen:
                c.fail(where, "duplicate trigger point id")
            seen.add(tid)
        near = c.text(t, "near", where)
        if near and near not in LANDMARKS:
            c.fail(where, f"unknown landmark '{near}' in 'near'")
        prevalence = c.text(t, "prevalence", where)
        if prevalence and prevalence not in PREVALENCE:
            c.fail(where, f"unknown prevalence '{prevalence}' (use {', '.join(PREVALENCE)})")
        basis = c.text(t, "prevalence_basis", where)
        only_side = c.text(t, "side", where, required=False)
        if only_side and (only_side not in ("right", "left") or midline):
            c.fail(where, "'side' must be right or left, for a trigger point of a paired muscle found on one side only")
        label, location = c.text(t, "label", where), c.text(t, "location", where)
        trps.append(TrPText(tid, label, location, near, prevalence, basis, only_side))

    perpetuating = []
    for i, t in enumerate(c.tables(doc, "perpetuating", None)):
        where = f"[[perpetuating]] #{i + 1}"
        c.unknown(t, {"cause", "text"}, where)
        cause = c.text(t, "cause", where)
        if cause and cause not in CAUSES:
            c.fail(where, f"unknown cause '{cause}' (causes: {', '.join(CAUSES)})")
        perpetuating.append(Perpetuating(cause, c.text(t, "text", where)))

    entrapments = []
    for i, t in enumerate(c.tables(doc, "entrapment", None, required=False)):
        where = f"[[entrapment]] #{i + 1}"
        c.unknown(t, {"nerve", "site", "symptoms", "regions", "nerve_id", "site_id"}, where)
        regions = c.text_list(t, "regions", where)
        for r in regions:
            if r not in region_names:
                c.fail(where, f"unknown chart region '{r}' (see: nmt-bodymap chart render --regions)")
        nerve_id, site_id = c.text(t, "nerve_id", where, required=False), c.text(t, "site_id", where, required=False)
        for key, value in (("nerve_id", nerve_id), ("site_id", site_id)):
            if value and not ID_PATTERN.fullmatch(value):
                c.fail(where, f"'{key}' must be lower-case words joined by hyphens")
        if bool(nerve_id) != bool(site_id):
            c.fail(where, "give 'nerve_id' and 'site_id' together (the nerve atlas's nerve and its entrapment site)")
        entrapments.append(
            Entrapment(
                c.text(t, "nerve", where),
                c.text(t, "site", where),
                c.text(t, "symptoms", where),
                regions,
                nerve_id,
                site_id,
            )
        )

    self_care = []
    for i, t in enumerate(c.tables(doc, "self_care", None)):
        where = f"[[self_care]] #{i + 1}"
        c.unknown(t, {"kind", "text"}, where)
        kind = c.text(t, "kind", where)
        if kind and kind not in SELF_CARE_KINDS:
            c.fail(where, f"unknown kind '{kind}' (kinds: {', '.join(SELF_CARE_KINDS)})")
        self_care.append(SelfCare(kind, c.text(t, "text", where)))

    sources = []
    for i, t in enumerate(c.tables(doc, "source", None)):
        where = f"[[source]] #{i + 1}"
        c.unknown(t, {"citation", "url"}, where)
        url = c.text(t, "url", where, required=False)
        if url and not url.startswith(("https://", "http://")):
            c.fail(where, "'url' must start with https://")
        sources.append(Source(c.text(t, "citation", where), url))

    rule_out = []
    for i, t in enumerate(c.tables(doc, "rule_out", None, required=False)):
        where = f"[[rule_out]] #{i + 1}"
        c.unknown(t, {"condition", "signs"}, where)
        rule_out.append(RuleOut(c.text(t, "condition", where), c.text(t, "signs", where)))

    text = MuscleText(
        id=mid,
        name=c.text(doc, "name", None),
        latin=c.text(doc, "latin", None),
        group=group,
        synonyms=c.text_list(doc, "synonyms", None, required=False),
        innervation=c.text(doc, "innervation", None),
        actions=c.text_list(doc, "actions", None),
        midline=midline,
        referral=c.text(doc, "referral", None),
        symptoms=c.text_list(doc, "symptoms", None),
        perpetuating=tuple(perpetuating),
        entrapments=tuple(entrapments),
        self_care=tuple(self_care),
        sources=tuple(sources),
        rule_out=tuple(rule_out),
        trigger_points=trps,
    )
    return text, c.problems
