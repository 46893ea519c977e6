"""Clinical check: does numbness, tingling or burning point to the nerve and the root the anatomy texts name?

    python tests/paresthesia_cases.py                 # every case, then the rates
    python tests/paresthesia_cases.py OTHER.toml      # a held-out set in the same format

Each case of fixtures/paresthesia_cases.toml places discs with the
``nmt-bodymap lookup --at`` syntax and names the peripheral nerve(s) and the
dermatome(s) the source gives that skin, the side, and optionally the
entrapment site the picture is named after. The drawing is ranked against
the shipped atlases and the case counts as:

* nerve right: an expected nerve is among the first two peripheral nerves;
* dermatome right: an expected dermatome is among the first two dermatomes;
* site right (where the case names one): it is among the first two entrapment sites;

each on the case's side (either side for ``both``).
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CASES = FIXTURES / "paresthesia_cases.toml"
TOP = 2


@dataclass
class Outcome:
    name: str
    side: str
    nerves: list[str]  # expected
    dermatomes: list[str]
    site: str
    ranked_nerves: list[tuple[str, str]]  # (id, side), best first
    ranked_dermatomes: list[tuple[str, str]]
    ranked_sites: list[tuple[str, str]]  # ("nerve/site", side)
    differential: str

    def _hit(self, expected: list[str], ranked: list[tuple[str, str]]) -> bool:
        return any(i in expected and (self.side == "both" or s == self.side) for i, s in ranked[:TOP])

    @property
    def nerve_hit(self) -> bool:
        return self._hit(self.nerves, self.ranked_nerves)

    @property
    def dermatome_hit(self) -> bool:
        return self._hit(self.dermatomes, self.ranked_dermatomes)

    @property
    def site_hit(self) -> bool | None:
        return self._hit([self.site], self.ranked_sites) if self.site else None


@dataclass(frozen=True)
class Rates:
    nerve: float
    dermatome: float
    site: float
    cases: int
    sides: frozenset[str]


def rates(outcomes: list[Outcome]) -> Rates:
    n = len(outcomes)
    sited = [o for o in outcomes if o.site_hit is not None]
    return Rates(
        sum(o.nerve_hit for o in outcomes) / n,
        sum(o.dermatome_hit for o in outcomes) / n,
        sum(bool(o.site_hit) for o in sited) / len(sited) if sited else 1.0,
        n,
        frozenset(o.side for o in outcomes),
    )


def evaluate(path: Path = CASES) -> list[Outcome]:
    from nmt_bodymap.atlas import shipped_atlas
    from nmt_bodymap.chart import load_chart
    from nmt_bodymap.cli.lookup_cmd import parse_at, place
    from nmt_bodymap.lookup import LookupEngine
    from nmt_bodymap.nerves import shipped_nerves

    chart = load_chart()
    nerves = shipped_nerves()
    engine = LookupEngine(shipped_atlas(), chart, nerves=nerves)
    outcomes = []
    entries: list[dict[str, Any]] = tomllib.loads(path.read_text())["case"]
    for entry in entries:
        unknown = [n for n in [*entry["nerves"], *entry["dermatomes"]] if n not in nerves.nerves]
        if unknown:
            raise ValueError(f"'{entry['name']}' names nerves not in the nerve atlas: {unknown}")
        session = place(chart, [parse_at(a) for a in entry["at"]], float(entry["radius"]), entry["quality"], 6)
        result = engine.rank(session.marks)
        outcomes.append(
            Outcome(
                entry["name"],
                entry["side"],
                list(entry["nerves"]),
                list(entry["dermatomes"]),
                entry.get("site", ""),
                [(n.id, n.side) for n in result.nerves],
                [(n.id, n.side) for n in result.dermatomes],
                [(f"{e.nerve_id}/{e.site_id}", e.side) for e in result.entrapments],
                result.differential,
            )
        )
    return outcomes


def _names(ranked: list[tuple[str, str]]) -> str:
    return ", ".join(f"{i} ({s[0].upper()})" for i, s in ranked[:3])


def main(argv: list[str]) -> int:
    outcomes = evaluate(Path(argv[0]) if argv else CASES)
    for o in outcomes:
        flags = "".join(
            (
                "N" if o.nerve_hit else "n",
                "D" if o.dermatome_hit else "d",
                {None: " ", True: "S", False: "s"}[o.site_hit],
            )
        )
        print(f"{flags}  {o.name}")
        print(f"     nerves:     {_names(o.ranked_nerves):60}  expected {', '.join(o.nerves)}")
        print(f"     dermatomes: {_names(o.ranked_dermatomes):60}  expected {', '.join(o.dermatomes)}")
        if o.site:
            print(f"     sites:      {_names(o.ranked_sites):60}  expected {o.site}")
        print(f"     {o.differential}")
    r = rates(outcomes)
    print(
        f"\n{r.cases} cases ({', '.join(sorted(r.sides))}): right nerve in the top {TOP} {r.nerve:.0%}, "
        f"right dermatome in the top {TOP} {r.dermatome:.0%}, named site in the top {TOP} {r.site:.0%}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
