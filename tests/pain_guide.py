"""Clinical check: do pain drawings rank the muscles the pain guides and textbooks name?

    python tests/pain_guide.py          # table of every case and picture, then the rates

Two sets, both placed with the ``nmt-bodymap lookup --at`` syntax:

* fixtures/pain_guide_cases.toml: one painful **area** per case, with the
  muscles the classic pain guides list for it (most often responsible first);
* fixtures/clinical_pictures.toml: multi-spot clinical **pictures** (a
  tension headache, shin splints, …), with the muscles the source names first.

Each drawing is ranked against the whole atlas and the distinct muscles
ranked are compared with the expected ones:

* hit@1: the first muscle ranked is expected;
* hit@3: an expected muscle is among the first three muscles;
* top-10 recall (areas): the share of listed muscles among the first ten.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CASES = FIXTURES / "pain_guide_cases.toml"
PICTURES = FIXTURES / "clinical_pictures.toml"


@dataclass
class Outcome:
    name: str
    expected: list[str]
    ranked: list[str]  # distinct muscles, best first

    @property
    def hit1(self) -> bool:
        return bool(self.ranked) and self.ranked[0] in self.expected

    @property
    def hit3(self) -> bool:
        return bool(set(self.ranked[:3]) & set(self.expected))

    @property
    def recall10(self) -> float:
        want = self.expected[:10]
        return len(set(self.ranked[:10]) & set(want)) / len(want)


@dataclass(frozen=True)
class Rates:
    hit1: float
    hit3: float
    recall10: float


def rates(outcomes: list[Outcome]) -> Rates:
    n = len(outcomes)
    return Rates(
        sum(o.hit1 for o in outcomes) / n, sum(o.hit3 for o in outcomes) / n, sum(o.recall10 for o in outcomes) / n
    )


def _evaluate(entries: list[dict[str, Any]], name_key: str) -> list[Outcome]:
    from nmt_bodymap.atlas import shipped_atlas
    from nmt_bodymap.chart import load_chart
    from nmt_bodymap.cli.lookup_cmd import parse_at, place
    from nmt_bodymap.lookup import LookupEngine

    chart = load_chart()
    atlas = shipped_atlas()
    engine = LookupEngine(atlas, chart)
    outcomes = []
    for entry in entries:
        missing = [m for m in entry["expected"] if m not in atlas.muscles]
        if missing:
            raise ValueError(f"'{entry[name_key]}' names muscles not in the atlas: {missing}")
        session = place(chart, [parse_at(a) for a in entry["at"]], float(entry["radius"]), "aching", 6)
        ranked: list[str] = []
        for c in engine.rank(session.marks).candidates:
            if c.muscle not in ranked:
                ranked.append(c.muscle)
        outcomes.append(Outcome(entry[name_key], entry["expected"], ranked))
    return outcomes


def evaluate() -> list[Outcome]:
    """The single-area cases."""
    return _evaluate(tomllib.loads(CASES.read_text())["case"], "area")


def evaluate_pictures() -> list[Outcome]:
    """The multi-spot clinical pictures."""
    return _evaluate(tomllib.loads(PICTURES.read_text())["picture"], "name")


def _table(title: str, outcomes: list[Outcome]) -> None:
    print(f"{title}\n")
    for o in outcomes:
        flag = "    " if o.hit1 else (" @3 " if o.hit3 else "MISS")
        print(f"{flag} {o.name[:58]:58}  top: {', '.join(o.ranked[:4])}")
        if not o.hit1:
            print(f"{'':5}expected: {', '.join(o.expected[:6])}")
    r = rates(outcomes)
    print(
        f"\n{len(outcomes)} {title.lower()}: hit@1 {r.hit1:.0%}, hit@3 {r.hit3:.0%}, top-10 recall {r.recall10:.0%}\n"
    )


def main() -> int:
    areas, pictures = evaluate(), evaluate_pictures()
    _table("Areas", areas)
    _table("Pictures", pictures)
    a, p = rates(areas), rates(pictures)
    print(f"areas: hit@1 {a.hit1:.0%} hit@3 {a.hit3:.0%} recall@10 {a.recall10:.0%}")
    print(f"pictures: hit@1 {p.hit1:.0%} hit@3 {p.hit3:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
