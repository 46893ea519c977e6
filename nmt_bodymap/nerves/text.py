"""Read and check a nerve's or a dermatome's TOML file.

The same checker as the muscle atlas's text (:mod:`nmt_bodymap.atlas.checker`:
every field present and typed, unknown keys reported), with the nerve
atlas's fields: kind, roots or level, parent, the muscles supplied,
entrapment sites (each with its landmark, provocation test and what the
client feels), rule-out lines and sources.
What refers to other files (parents, spared branches, atlas muscles) is
checked once the whole atlas is read (:mod:`nmt_bodymap.nerves.tree`,
:mod:`nmt_bodymap.nerves.crosscheck`).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from nmt_bodymap.atlas.checker import TextChecker
from nmt_bodymap.atlas.model import RuleOut, Source
from nmt_bodymap.chart_landmarks import LANDMARKS
from nmt_bodymap.guarded import BadFile, parse_toml
from nmt_bodymap.nerves.model import (
    KINDS,
    LEVELS,
    NERVE_GROUPS,
    ROOTS,
    SKIN,
    EntrapmentSite,
    NerveFacts,
    dermatome_group,
)

_COMMON_KEYS = {"format", "id", "kind", "name", "territory", "synonyms", "rule_out", "source"}
_KEYS = {
    "peripheral": _COMMON_KEYS | {"group", "parent", "roots", "supplies", "atlas_muscles", "skin", "entrapment_site"},
    "dermatome": _COMMON_KEYS | {"level", "key_point"},
}
_SITE_KEYS = {"id", "name", "structure", "muscle", "landmark", "test", "felt", "spares"}
#: The folder each kind lives in (referral_maps/nerves/<folder>/).
KIND_FOLDERS = {"peripheral": "peripheral", "dermatome": "dermatomes"}


def _roots(c: TextChecker, doc: dict[str, Any]) -> tuple[str, ...]:
    roots = c.text_list(doc, "roots", None)
    for r in roots:
        if r not in ROOTS:
            c.fail(None, f"unknown root '{r}' in 'roots' (C1 to C8, T1 to T12, L1 to L5, S1 to S5, Co1)")
    known = [ROOTS.index(r) for r in roots if r in ROOTS]
    if len(set(known)) != len(known):
        c.fail(None, "'roots' names a root twice")
    elif known != sorted(known):
        c.fail(None, '\'roots\' must run from head to tail (e.g. ["C6", "C7", "C8", "T1"])')
    return roots


def _sites(c: TextChecker, doc: dict[str, Any]) -> tuple[EntrapmentSite, ...]:
    sites: list[EntrapmentSite] = []
    for t, sid, where in c.entries(doc, "entrapment_site", _SITE_KEYS, "entrapment site", required=False):
        landmark = c.text(t, "landmark", where)
        if landmark and landmark not in LANDMARKS:
            c.fail(where, f"unknown landmark '{landmark}' in 'landmark' (see: nmt-bodymap chart landmarks)")
        muscle = c.text(t, "muscle", where, required=False)
        c.identifier(muscle, where, "muscle")
        spares = c.text_list(t, "spares", where, required=False)
        for branch in spares:
            c.identifier(branch, where, "spared branch")
        sites.append(
            EntrapmentSite(
                id=sid,
                name=c.text(t, "name", where),
                structure=c.text(t, "structure", where),
                landmark=landmark,
                test=c.text(t, "test", where),
                felt=c.text(t, "felt", where),
                muscle=muscle,
                spares=spares,
            )
        )
    return tuple(sites)


def parse_nerve_toml(
    data: bytes, expected_id: str, folder: str | None = None
) -> tuple[NerveFacts | None, list[tuple[str | None, str]]]:
    """Parse and check one nerve's text. Returns the facts (None if unusable) and problems.

    ``folder`` is the name of the folder holding the file; when it is one of
    :data:`KIND_FOLDERS` the file's kind must match it.
    """
    c = TextChecker()
    try:
        doc = parse_toml(data, expected_id)
    except BadFile as exc:
        return None, [(None, exc.reason)]
    c.format_version(doc)
    kind = c.text(doc, "kind", None)
    if kind and kind not in KINDS:
        c.fail(None, f"unknown kind '{kind}' (use {' or '.join(KINDS)})")
        return None, c.problems
    if not kind:
        return None, c.problems
    if folder in KIND_FOLDERS.values() and folder != KIND_FOLDERS[kind]:
        c.fail(None, f"a {kind} file belongs in the '{KIND_FOLDERS[kind]}' folder, not '{folder}'")
    c.unknown(doc, _KEYS[kind], None)
    nid = c.own_id(doc, expected_id)
    rule_out = c.rule_out(doc)
    sources = c.sources(doc)
    name, territory = c.text(doc, "name", None), c.text(doc, "territory", None)
    synonyms = c.text_list(doc, "synonyms", None, required=False)

    facts = NerveFacts(nid, kind, name, "", territory, synonyms, rule_out, sources)
    if kind == "dermatome":
        _dermatome_facts(c, doc, facts)
    else:
        _peripheral_facts(c, doc, facts)
    return facts, c.problems


def _dermatome_facts(c: TextChecker, doc: dict[str, Any], facts: NerveFacts) -> None:
    """A dermatome's level (which gives its group) and key point."""
    level = c.text(doc, "level", None)
    if level and level not in LEVELS:
        c.fail(None, f"unknown level '{level}' (C2 to C8, T1 to T12, L1 to L5, S1, S2, S3, S4-5)")
    elif level:
        facts.group = dermatome_group(level)
        if facts.id and facts.id != level.lower():
            c.fail(None, f"a dermatome's id is its level in lower case: '{level.lower()}', not '{facts.id}'")
    facts.level = level
    facts.key_point = c.text(doc, "key_point", None)


def _peripheral_facts(c: TextChecker, doc: dict[str, Any], facts: NerveFacts) -> None:
    """A peripheral nerve's group, parent, skin, roots, muscles and entrapment sites."""
    group = c.text(doc, "group", None)
    if group and group not in NERVE_GROUPS:
        c.fail(None, f"unknown group '{group}' (groups: {', '.join(NERVE_GROUPS)})")
    facts.group = group
    parent = c.text(doc, "parent", None, required=False) if doc.get("parent") != "" else ""
    c.identifier(parent, None, "parent")
    if parent and parent == facts.id:
        c.fail(None, "a nerve cannot be its own parent")
    facts.parent = parent
    skin = c.text(doc, "skin", None, required=False) or "own"
    if skin not in SKIN:
        c.fail(None, f"unknown skin '{skin}' (use {', '.join(SKIN)})")
    facts.skin = skin
    if "supplies" not in doc:
        c.fail(None, "missing 'supplies' (write supplies = [] for a nerve that supplies no muscle)")
    facts.atlas_muscles = c.text_list(doc, "atlas_muscles", None, required=False)
    for m in facts.atlas_muscles:
        c.identifier(m, None, "atlas muscle")
    facts.roots = _roots(c, doc)
    facts.supplies = c.text_list(doc, "supplies", None, required=False)
    facts.sites = _sites(c, doc)


def facts_to_json(facts: NerveFacts) -> dict[str, Any]:
    """A nerve's checked text as plain data (for the cache)."""
    return asdict(facts)


def facts_from_json(data: dict[str, Any]) -> NerveFacts:
    """The inverse of :func:`facts_to_json`."""
    plain: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    plain["rule_out"] = tuple(RuleOut(**r) for r in data["rule_out"])
    plain["sources"] = tuple(Source(**src) for src in data["sources"])
    plain["sites"] = tuple(EntrapmentSite(**{**site, "spares": tuple(site["spares"])}) for site in data["sites"])
    return NerveFacts(**plain)
