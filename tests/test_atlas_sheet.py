"""The atlas sheet puts "rule out first" up front and says how common each trigger point is."""

from __future__ import annotations

from html import escape

import numpy as np
import pytest
from page_pixels import image_array

from nmt_bodymap.atlas import PREVALENCE, shipped_atlas
from nmt_bodymap.render.atlas_sheet import muscle_html, render_sheet

pytestmark = pytest.mark.usefixtures("qapp")

BOX_FILL = np.array([0xFD, 0xEC, 0xEA])


def box_pixels(image: np.ndarray) -> np.ndarray:
    return np.abs(image.astype(int) - BOX_FILL).max(axis=2) <= 3


def warned():  # type: ignore[no-untyped-def]
    return next(m for m in shipped_atlas().muscles.values() if m.rule_out)


def test_rule_out_lines_come_first_in_the_text():
    muscle = warned()
    html = muscle_html(muscle, 1.0)
    first = html.index("Rule out first")
    assert first < html.index("Referral pattern") < html.index("Self-care")
    for rule in muscle.rule_out:
        assert escape(rule.condition) in html and escape(rule.signs) in html


def test_every_known_prevalence_is_said_in_words():
    atlas = shipped_atlas()
    told = 0
    for muscle in atlas.muscles.values():
        html = muscle_html(muscle, 1.0)
        for trp in muscle.trigger_points:
            if trp.prevalence:
                assert PREVALENCE[trp.prevalence] in html, f"{muscle.id}/{trp.id}"
                told += 1
    assert told > 0


def test_the_sheet_draws_the_box_at_the_top_of_the_text():
    muscle = warned()
    image = image_array(render_sheet(muscle, dpi=60))
    h, w = image.shape[:2]
    box = box_pixels(image)
    ys, xs = np.nonzero(box)
    assert box.sum() > 2000
    assert xs.min() > w * 0.5  # in the text panel, on the right
    assert ys.min() < h * 0.25  # at its top


def test_a_muscle_without_rule_out_lines_has_no_box():
    plain = next(m for m in shipped_atlas().muscles.values() if not m.rule_out)
    assert "Rule out first" not in muscle_html(plain, 1.0)
    assert box_pixels(image_array(render_sheet(plain, dpi=60))).sum() < 100  # a few edge pixels of red zones
