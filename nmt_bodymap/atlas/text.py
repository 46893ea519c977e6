"""Read and check a muscle's TOML file: names, text, trigger point list.

Every field is checked for presence and type, unknown keys are reported
(they are usually typos; :mod:`nmt_bodymap.atlas.checker`), and every value
that refers to the chart (the landmark nearest a trigger point, the regions
an entrapment affects) must exist in the chart's vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass

from nmt_bodymap.atlas.checker import FORMAT_VERSION, ID_PATTERN, TextChecker
from nmt_bodymap.atlas.model import (
    CAUSES,
    GROUPS,
    PREVALENCE,
    SELF_CARE_KINDS,
    Entrapment,
    MuscleFacts,
    Perpetuating,
    SelfCare,
)
from nmt_bodymap.chart_landmarks import LANDMARKS
from nmt_bodymap.guarded import BadFile, parse_toml

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


def parse_muscle_toml(
    data: bytes, expected_id: str, region_names: set[str]
) -> tuple[MuscleText | None, list[tuple[str | None, str]]]:
    """Parse and check one muscle's text. Returns the text (None if unusable) and problems."""
    c = TextChecker()
    try:
        doc = parse_toml(data, expected_id)
    except BadFile as exc:
        return None, [(None, exc.reason)]
    c.unknown(doc, _TOP_KEYS, None)
    c.format_version(doc)
    mid = c.own_id(doc, expected_id)
    group = c.text(doc, "group", None)
    if group and group not in GROUPS:
        c.fail(None, f"unknown group '{group}' (groups: {', '.join(GROUPS)})")
    midline = doc.get("midline", False)
    if not isinstance(midline, bool):
        c.fail(None, "'midline' must be true or false")
        midline = False

    trps: list[TrPText] = []
    for t, tid, where in c.entries(doc, "trigger_point", _TRP_KEYS, "trigger point"):
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

    sources = c.sources(doc)
    rule_out = c.rule_out(doc)

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
        sources=sources,
        rule_out=rule_out,
        trigger_points=trps,
    )
    return text, c.problems


__all__ = ["FORMAT_VERSION", "ID_PATTERN", "MuscleText", "TextChecker", "TrPText", "parse_muscle_toml"]
