"""Clinical check: does a pain disc rank the muscles the pain guides list?

    python tests/pain_guide.py          # table of every case, then the rates

For each case in fixtures/pain_guide_cases.toml: place discs on the
landmarks, rank the whole atlas, and compare the distinct muscles ranked
with those the classic pain guides list for that area.

* top-3 hit: at least one listed muscle among the first three muscles;
* top-10 recall: the share of listed muscles among the first ten muscles
  (of at most ten listed).
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

CASES = Path(__file__).resolve().parent / "fixtures" / "pain_guide_cases.toml"


@dataclass
class Outcome:
    area: str
    expected: list[str]
    ranked: list[str]  # distinct muscles, best first

    @property
    def hit3(self) -> bool:
        return bool(set(self.ranked[:3]) & set(self.expected))

    @property
    def recall10(self) -> float:
        want = self.expected[:10]
        return len(set(self.ranked[:10]) & set(want)) / len(want)


def evaluate() -> list[Outcome]:
    from nmt_bodymap.atlas import shipped_atlas
    from nmt_bodymap.chart import load_chart
    from nmt_bodymap.cli.lookup_cmd import parse_at, place
    from nmt_bodymap.lookup import LookupEngine

    chart = load_chart()
    atlas = shipped_atlas()
    engine = LookupEngine(atlas, chart)
    outcomes = []
    for case in tomllib.loads(CASES.read_text())["case"]:
        missing = [m for m in case["expected"] if m not in atlas.muscles]
        if missing:
            raise ValueError(f"case '{case['area']}' names muscles not in the atlas: {missing}")
        session = place(chart, [parse_at(a) for a in case["at"]], float(case["radius"]), "aching", 6)
        ranked: list[str] = []
        for c in engine.rank(session.marks).candidates:
            if c.muscle not in ranked:
                ranked.append(c.muscle)
        outcomes.append(Outcome(case["area"], case["expected"], ranked))
    return outcomes


def rates(outcomes: list[Outcome]) -> tuple[float, float]:
    return (sum(o.hit3 for o in outcomes) / len(outcomes), sum(o.recall10 for o in outcomes) / len(outcomes))


def main() -> int:
    outcomes = evaluate()
    for o in outcomes:
        flag = "   " if o.hit3 else "MISS"
        print(f"{flag} {o.recall10:4.0%}  {o.area:38}  top: {', '.join(o.ranked[:5])}")
        if not o.hit3 or o.recall10 < 0.5:
            print(f"{'':10}listed: {', '.join(o.expected)}")
    hit, recall = rates(outcomes)
    print(f"\n{len(outcomes)} cases: top-3 hit rate {hit:.0%}, top-10 recall {recall:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
