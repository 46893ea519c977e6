"""The nerve search: by nerve, root level, symptom words and entrapment site, best match first."""

from __future__ import annotations

import pytest

from nmt_bodymap.nerves import shipped_nerves
from nmt_bodymap.nerves.search import NerveSearch, level_tokens, parse


@pytest.fixture(scope="module")
def searcher() -> NerveSearch:
    return NerveSearch(shipped_nerves())


def ids(searcher: NerveSearch, query: str) -> list[str]:
    return [h.nerve for h in searcher.search(query)]


def test_carpal_tunnel_finds_the_median_nerve_first(searcher):
    found = ids(searcher, "carpal tunnel")
    assert found[0] == "median"
    hit = searcher.search("carpal tunnel")[0]
    assert "sites" in hit.matched  # found as an entrapment site, not by chance in the text
    assert "sciatic" not in found and "l5" not in found


def test_a_root_level_lists_its_dermatome_then_the_nerves_of_that_root(searcher):
    found = ids(searcher, "L5")
    assert found[0] == "l5"
    assert {"common-fibular", "deep-fibular"} <= set(found[:6])
    nerves = shipped_nerves().nerves
    assert all("L5" in nerves[n].levels or "L5" in " ".join(nerves[n].synonyms) for n in found)
    # the fibular nerves of the top of the foot lie inside the L5 dermatome; the sciatic nerve mostly not
    assert searcher.skin_in_dermatome("deep-fibular", "l5") > searcher.skin_in_dermatome("sciatic", "l5")
    assert found.index("deep-fibular") < found.index("sciatic")


def test_levels_match_whole_levels_only(searcher):
    c6 = ids(searcher, "C6")
    assert c6[0] == "c6"
    assert "median" in c6 and "musculocutaneous" in c6
    assert "ulnar" not in c6  # C8-T1
    assert "c60" not in c6 and ids(searcher, "C")[:1] != ["c6"]
    assert ids(searcher, "S4-5")[0] == "s4-5"
    assert ids(searcher, "s4")[0] == "s4-5"


def test_entrapment_sites_and_symptoms(searcher):
    assert ids(searcher, "fibular head")[0] == "common-fibular"
    assert ids(searcher, "meralgia paresthetica")[0] == "lateral-femoral-cutaneous"
    assert ids(searcher, "burning outer thigh")[0] == "lateral-femoral-cutaneous"
    assert ids(searcher, "numb little finger")[0] == "ulnar"
    assert ids(searcher, "Guyon's canal")[0] == "ulnar"
    assert ids(searcher, "Phalen") == ["median"]  # the test of a site


def test_every_word_must_match_and_empty_queries_find_nothing(searcher):
    assert set(ids(searcher, "median carpal")) <= set(ids(searcher, "carpal"))
    assert ids(searcher, "zzzz") == []
    assert ids(searcher, "") == []
    assert ids(searcher, "the of") == []


def test_query_parsing():
    assert parse("S4-5")[0] == ["s4", "s5"]
    assert parse("tingling pain in the C6")[0] == ["tingling", "c6"]
    assert level_tokens("S4-5") == {"s4", "s5"}
    assert level_tokens("C6") == {"c6"}
