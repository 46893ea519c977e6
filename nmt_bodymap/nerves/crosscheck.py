"""Checks across the two atlases, and how much of the body the dermatomes cover.

Both directions between muscles and nerves: a muscle's ``[[entrapment]]``
with ``nerve_id``/``site_id`` must name an existing nerve's entrapment site
whose ``muscle`` is that muscle, and every entrapment site naming a muscle
must be matched by such an entry in the muscle's file. A nerve's
``atlas_muscles`` must exist, and no muscle shares an id with a nerve (``atlas
show ID`` serves both).
"""

from __future__ import annotations

from collections.abc import Mapping

import shapely

from nmt_bodymap.atlas.loader import Atlas
from nmt_bodymap.atlas.model import Muscle, Problem
from nmt_bodymap.chart import Chart
from nmt_bodymap.nerves.loader import NerveAtlas
from nmt_bodymap.nerves.model import Nerve

#: Chart regions of the face: the trigeminal nerve's skin, which no dermatome covers.
FACE_REGIONS = frozenset({"forehead", "temple", "eye", "nose", "cheek", "mouth", "chin", "jaw"})


def check_atlases(
    muscle_atlas: Atlas | Mapping[str, Muscle], nerve_atlas: NerveAtlas | Mapping[str, Nerve]
) -> list[Problem]:
    """Problems of the references between the muscle atlas and the nerve atlas.

    Either may be given as the loaded atlas or as its id -> muscle (nerve) mapping.
    """
    muscles = muscle_atlas.muscles if isinstance(muscle_atlas, Atlas) else muscle_atlas
    nerves = nerve_atlas.nerves if isinstance(nerve_atlas, NerveAtlas) else nerve_atlas
    problems: list[Problem] = []
    for nerve in nerves.values():
        toml = str(nerve.toml_path)
        if nerve.id in muscles:
            problems.append(
                Problem(toml, None, f"id '{nerve.id}' is also a muscle's id; muscles and nerves need different ids")
            )
        for m in nerve.atlas_muscles:
            if m not in muscles:
                problems.append(Problem(toml, None, f"unknown muscle '{m}' in 'atlas_muscles' (see: atlas list)"))
        for site in nerve.sites:
            if not site.muscle:
                continue
            where = f"entrapment site '{site.id}'"
            muscle = muscles.get(site.muscle)
            if muscle is None:
                problems.append(Problem(toml, where, f"unknown muscle '{site.muscle}' in 'muscle' (see: atlas list)"))
            elif not any(e.nerve_id == nerve.id and e.site_id == site.id for e in muscle.entrapments):
                problems.append(
                    Problem(
                        toml,
                        where,
                        f"muscle '{site.muscle}' has no [[entrapment]] pointing back "
                        f'(nerve_id = "{nerve.id}", site_id = "{site.id}" in {muscle.toml_path.name})',
                    )
                )
    for muscle in muscles.values():
        for i, ent in enumerate(muscle.entrapments):
            if not ent.nerve_id:
                continue
            where = f"[[entrapment]] #{i + 1}"
            target = nerves.get(ent.nerve_id)
            if target is None:
                problems.append(
                    Problem(
                        str(muscle.toml_path),
                        where,
                        f"unknown nerve '{ent.nerve_id}' in 'nerve_id' (see: nmt-bodymap atlas nerves)",
                    )
                )
                continue
            found = next((s for s in target.sites if s.id == ent.site_id), None)
            if found is None:
                problems.append(
                    Problem(
                        str(muscle.toml_path),
                        where,
                        f"nerve '{target.id}' has no entrapment site '{ent.site_id}' "
                        f"(its sites: {', '.join(s.id for s in target.sites) or 'none'})",
                    )
                )
            elif found.muscle != muscle.id:
                named = f"names muscle '{found.muscle}'" if found.muscle else "names no muscle"
                problems.append(
                    Problem(
                        str(muscle.toml_path),
                        where,
                        f"entrapment site '{found.id}' of nerve '{target.id}' {named}; "
                        f'it must say muscle = "{muscle.id}" to match',
                    )
                )
    return problems


def dermatome_coverage(nerves: NerveAtlas, chart: Chart) -> dict[str, float]:
    """Share of the body surface outside the face that the dermatomes (both sides) cover, per view.

    The key ``all`` is the share over every view together (by area).
    """
    covered_total = body_total = 0.0
    shares: dict[str, float] = {}
    for name, view in chart.views.items():
        face = [r.geometry for r in view.regions.values() if r.name in FACE_REGIONS]
        body = shapely.difference(view.silhouette, shapely.union_all(face)) if face else view.silhouette
        parts = [s.territory[name] for s in nerves.sided if s.nerve.kind == "dermatome" and name in s.territory]
        covered = shapely.intersection(shapely.union_all(parts), body).area if parts else 0.0
        shares[name] = covered / body.area if body.area else 0.0
        covered_total += covered
        body_total += body.area
    shares["all"] = covered_total / body_total if body_total else 0.0
    return shares
