"""The searchable list the atlas browser's sections share, on its own: tree, results, count, choosing."""

from __future__ import annotations

from nmt_bodymap.ui.search_list import Found, SearchList, SearchTexts

FRUIT = {"apple": "Apple", "apricot": "Apricot", "banana": "Banana", "cherry": "Cherry"}


def make_list(qtbot) -> tuple[SearchList, list[str]]:
    chosen: list[str] = []

    def find(text: str) -> list[Found]:
        return [Found(k, v, f"{v}: found") for k, v in FRUIT.items() if v.lower().startswith(text.strip().lower())]

    def count_text(found: int | None) -> str:
        return f"{len(FRUIT)} fruit" if found is None else f"{found} found" if found else "None found"

    texts = SearchTexts("Search…", "Search the fruit", "Search the fruit", "Fruit by kind", "Fruit found")
    search_list = SearchList(texts, find, count_text)
    qtbot.addWidget(search_list)
    group = search_list.add_group("Fruit")
    for key, name in FRUIT.items():
        search_list.add_item(key, name, name, group)
    search_list.chosen.connect(chosen.append)
    search_list.filter("")
    return search_list, chosen


def test_no_query_lists_everything_in_the_tree(qtbot):
    search_list, _ = make_list(qtbot)
    assert search_list.lists.currentWidget() is search_list.tree
    assert search_list.shown() == list(FRUIT)
    assert search_list.count.text() == "4 fruit"
    assert search_list.search.accessibleName() == "Search the fruit"


def test_a_query_lists_the_matches_and_chooses_the_first_unless_the_current_one_is_among_them(qtbot):
    search_list, chosen = make_list(qtbot)
    qtbot.keyClicks(search_list.search, "ap")
    assert search_list.lists.currentWidget() is search_list.results
    assert search_list.shown() == ["apple", "apricot"]
    assert search_list.count.text() == "2 found"
    assert chosen[-1] == "apple" and search_list.current == "apple"
    search_list.select("apricot")
    assert chosen[-1] == "apricot"
    search_list.search.setText("a")  # apricot is still listed: it stays chosen
    assert search_list.current == "apricot"
    assert search_list.results.currentItem().text() == "Apricot"


def test_choosing_an_entry_the_search_does_not_list_clears_the_search(qtbot):
    search_list, chosen = make_list(qtbot)
    search_list.search.setText("ban")
    assert chosen == ["banana"]
    search_list.select("cherry")
    assert search_list.search.text() == ""
    assert search_list.lists.currentWidget() is search_list.tree
    assert search_list.tree.currentItem().text(0) == "Cherry"
    assert chosen[-1] == "cherry"


def test_no_match_says_so_and_chooses_nothing(qtbot):
    search_list, chosen = make_list(qtbot)
    search_list.search.setText("zz")
    assert search_list.shown() == [] and search_list.count.text() == "None found"
    assert chosen == []
