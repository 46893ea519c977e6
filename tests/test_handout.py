"""The client's handout: everyday words, no clinical jargon, and text that stays on the page."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pytest
from page_pixels import image_array
from pdf_text import Pdf

from nmt_bodymap.atlas import shipped_atlas
from nmt_bodymap.chart import load_chart
from nmt_bodymap.lookup import LookupEngine
from nmt_bodymap.plain_words import REGION_WORDS, felt_regions
from nmt_bodymap.render.export import render_png, write
from nmt_bodymap.render.page import BODY_BOTTOM, MARGIN, PAGE_H, PAGE_W
from nmt_bodymap.report import HANDOUT_INTRO, HandoutSection, plan
from nmt_bodymap.session import Session

pytestmark = pytest.mark.usefixtures("qapp")

#: Words a client cannot be expected to read: anatomical directions, trigger point and nerve terms.
JARGON = re.compile(
    r"\b(TrPs?|ipsilateral|contralateral|anterior|posterior|lateral|medial|proximal|distal|superior|inferior|"
    r"volar|dorsal|dorsum|plantar|palmar|radial|ulnar|referral|refers?|essential zone|spillover|palpat\w*|"
    r"paresth\w*|radiculopath\w*|myofascial|entrapment|innervat\w*|fascia\w*|syndrome|hypochondri\w*|"
    r"epigastri\w*|hypogastri\w*|umbilical|iliac|sacroiliac|suboccipital|occiput|interscapular|infraspinous|"
    r"supraspinous|thoracolumbar|thenar|hypothenar|coccyx|coccygeal)\b",
    re.IGNORECASE,
)


def handout(muscles: list[str], findings: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    atlas = shipped_atlas()
    session = Session(client_name="Sam Client", client_code="C-9", handout=muscles, findings=findings or {})
    result = LookupEngine(atlas, load_chart()).rank([], {})
    return plan(session, atlas, result, "handout")


def client_texts(doc) -> list[str]:  # type: ignore[no-untyped-def]
    """What the client reads apart from the muscle names (which they need to name the muscle)."""
    out = [HANDOUT_INTRO]
    for s in doc.sections:
        if isinstance(s, HandoutSection) and s.item is not None:
            out.append(s.item.where)
            out += [text for _kind, text in s.item.self_care]
    return out


def test_every_chart_region_has_everyday_words():
    names = {r.name for v in load_chart().views.values() for r in v.regions.values()}
    assert names <= set(REGION_WORDS)
    for words in REGION_WORDS.values():
        assert not JARGON.search(words), words


def test_no_muscle_puts_jargon_in_the_handout():
    atlas = shipped_atlas()
    doc = handout(sorted(atlas.muscles))
    items = [s for s in doc.sections if isinstance(s, HandoutSection)]
    assert len(items) == len(atlas.muscles)
    assert not JARGON.search(HANDOUT_INTRO)
    for section in items:
        item = section.item
        assert item is not None and item.where, f"{section.title}: no place named"
        for text in [item.where] + [t for _k, t in item.self_care]:
            found = JARGON.search(text)
            assert not found, f"{section.title}: “{found.group(0)}” in: {text}"


def test_the_handout_never_shows_rule_out_lines_or_scores():
    atlas = shipped_atlas()
    warned = [m.id for m in atlas.muscles.values() if m.rule_out][:3]
    doc = handout(warned)
    text = " ".join(client_texts(doc))
    for mid in warned:
        for rule in atlas.muscle(mid).rule_out:
            assert rule.condition not in text


def longest(n: int) -> list[str]:
    atlas = shipped_atlas()
    by_name = sorted(atlas.muscles.values(), key=lambda m: -len(m.name))[:n]
    by_care = sorted(atlas.muscles.values(), key=lambda m: -sum(len(c.text) for c in m.self_care))[:n]
    return list(dict.fromkeys(m.id for m in by_name + by_care))


def test_long_names_and_texts_stay_whole_and_on_the_page(tmp_path):
    muscles = longest(4)
    doc = handout(muscles)
    write(doc, tmp_path / "h.pdf")
    pdf = Pdf(tmp_path / "h.pdf")
    text = unicodedata.normalize("NFKC", pdf.text())
    joined = re.sub(r"-\s+", "-", text)
    atlas = shipped_atlas()
    for mid in muscles:
        assert atlas.muscle(mid).name in joined  # the whole name, on one line or broken at a space
        for care in atlas.muscle(mid).self_care:
            for word in care.text.split():
                assert word.strip(".,;:()") in joined, f"{mid}: “{word}” broken or lost"
    # and nothing is printed in the right margin or below the body, above the footer
    dpi = 100
    k = dpi / 25.4
    image = image_array(render_png(doc, dpi))
    page_h, gap = round(PAGE_H * k), round(6 * k)
    count = len(pdf.pages())
    for i in range(count):
        page = image[i * (page_h + gap) : i * (page_h + gap) + page_h]
        right = page[:, round((PAGE_W - MARGIN + 0.5) * k) :]
        below = page[round((BODY_BOTTOM + 0.5) * k) : round((PAGE_H - MARGIN + 3.5) * k)]
        assert (right.min(axis=2) > 235).all(), f"page {i + 1}: ink in the right margin"
        assert (below.min(axis=2) > 235).all(), f"page {i + 1}: ink under the body"


def test_the_handout_follows_the_palpated_side(tmp_path):
    doc = handout([], {"trapezius/trp1:left": "active", "trapezius/trp2:left": "not-tender"})
    (item,) = [s for s in doc.sections if isinstance(s, HandoutSection)]
    assert item.title == "Trapezius (left side)"
    assert item.item is not None and [p.key for p in item.item.patterns] == ["trapezius/trp1:left"]


def test_where_it_is_felt_follows_the_zones():
    atlas = shipped_atlas()
    chart = load_chart()

    for mid in ("trapezius", "quadratus-lumborum", "extensor-carpi-radialis-brevis"):
        patterns = [s for s in atlas.sided_for(mid) if s.side in ("right", "midline")]
        regions = felt_regions(chart, patterns)
        assert regions
        # the first place named is where the zones cover most
        covered = {
            name: sum(
                r.geometry.intersection(z).area
                for s in patterns
                for v, z in s.essential.items()
                for r in chart.view(v).regions.values()
                if r.name == name
            )
            for name in regions
        }
        assert max(covered, key=lambda n: covered[n]) == regions[0]
        assert np.all(np.diff([covered[n] for n in regions]) <= 1e-6)
