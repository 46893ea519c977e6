"""The handout's words on how the pain has changed, for figures known by hand (no drawing, no Qt)."""

from __future__ import annotations

import datetime as dt

import pytest

from nmt_bodymap.progress_words import (
    area_sentence,
    change_for_client,
    change_for_therapist,
    day_words,
)
from nmt_bodymap.visit_history import VisitPoint, up_to

FIRST = dt.date(2026, 11, 3)
LATER = dt.date(2026, 11, 24)


def visit(day: dt.date, extent: float, before: int | None = None, after: int | None = None) -> VisitPoint:
    return VisitPoint(day, extent, extent * 1000, 6 if extent else None, 5.0 if extent else None, before, after)


def test_half_the_area_and_the_rating_from_seven_to_four():
    words = change_for_client([visit(FIRST, 10.0, 7, 4), visit(LATER, 5.0, 4, 2)])
    assert words == [
        "The area of your pain is about half what it was on 3 November.",
        "Before treatment you rated your pain 7 out of 10 on 3 November, and 4 out of 10 at this visit.",
    ]


def test_about_the_same_and_the_same_rating():
    words = change_for_client([visit(FIRST, 4.0, 5), visit(LATER, 4.2, 5)])  # 4.2 / 4 = 1.05
    assert words == [
        "The area of your pain is about the same as it was on 3 November.",
        "Before treatment you rated your pain 5 out of 10 at this visit, the same as on 3 November.",
    ]


def test_a_little_larger():
    (words,) = change_for_client([visit(FIRST, 4.0), visit(LATER, 5.0)])  # 1.25
    assert words == "The area of your pain is a little larger than it was on 3 November."


def test_no_earlier_visit_no_words():
    assert change_for_client([]) == []
    assert change_for_client([visit(LATER, 5.0, 4)]) == []
    assert change_for_therapist([visit(LATER, 5.0, 4)]) == ""


@pytest.mark.parametrize(
    "now, phrase",
    [
        (1.0, "much smaller than it was"),  # ratio 0.1
        (2.5, "about a quarter of what it was"),
        (3.3, "about a third of what it was"),
        (5.0, "about half what it was"),
        (4.2, "about half what it was"),  # 0.42: nearer a half than a third
        (6.6, "about two thirds of what it was"),
        (8.0, "a little smaller than it was"),
        (9.0, "about the same as it was"),  # 0.9: drawings of the same pain differ this much
        (11.0, "about the same as it was"),
        (15.0, "about one and a half times what it was"),
        (20.0, "about twice what it was"),
        (30.0, "much larger than it was"),
    ],
)
def test_each_ratio_gets_the_nearest_everyday_words(now, phrase):
    assert area_sentence(10.0, now, "3 November") == f"The area of your pain is {phrase} on 3 November."


def test_no_pain_marked_now_and_none_marked_then():
    assert area_sentence(10.0, 0.0, "3 November") == (
        "At this visit you marked no pain on the body chart; on 3 November you did."
    )
    assert area_sentence(0.0, 5.0, "3 November") is None  # nothing to compare with


def test_each_comparison_starts_at_the_first_visit_that_has_its_figure():
    history = [
        visit(dt.date(2026, 10, 1), 0.0),
        visit(FIRST, 10.0),
        visit(dt.date(2026, 11, 10), 8.0, 6),
        visit(LATER, 5.0, 3),
    ]
    assert change_for_client(history) == [
        "The area of your pain is about half what it was on 3 November.",
        "Before treatment you rated your pain 6 out of 10 on 10 November, and 3 out of 10 at this visit.",
    ]


def test_no_rating_at_this_visit_says_nothing_of_ratings():
    assert change_for_client([visit(FIRST, 10.0, 7), visit(LATER, 10.0)]) == [
        "The area of your pain is about the same as it was on 3 November."
    ]


def test_dates_of_another_year_carry_the_year():
    assert day_words(dt.date(2025, 12, 30), LATER) == "30 December 2025"
    assert day_words(FIRST, LATER) == "3 November"
    (words,) = change_for_client([visit(dt.date(2025, 12, 30), 10.0), visit(LATER, 2.5)])
    assert words.endswith("on 30 December 2025.")


def test_the_client_words_are_plain():
    """No figures beyond the 0-10 rating, no clinical or statistical terms, no promise."""
    history = [visit(FIRST, 10.0, 8, 5), visit(dt.date(2026, 11, 12), 7.0, 6), visit(LATER, 3.0, 3)]
    text = " ".join(change_for_client(history)).lower()
    for word in ("%", "extent", "jaccard", "intensity", "weighted", "trigger", "mm", "will", "cure", "better"):
        assert word not in text, word


def test_the_therapist_line_has_the_figures():
    line = change_for_therapist([visit(FIRST, 10.0, 7), visit(LATER, 5.0, 4)])
    assert line == (
        "Since the first visit (2026-11-03): pain extent 10.00 % → 5.00 % (0.50 × the first); "
        "weighted area 100.0 → 50.0 cm²; maximum intensity 6 → 6; pain before treatment 7 → 4."
    )


def test_a_report_never_shows_visits_after_its_own():
    later = visit(dt.date(2026, 12, 1), 1.0)
    kept = up_to([visit(LATER, 5.0), later, visit(FIRST, 10.0)], LATER)
    assert [v.date for v in kept] == [FIRST, LATER]
