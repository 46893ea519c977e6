"""Page layout of the exports: text that never breaks inside a word, and blocks flowed over pages."""

from __future__ import annotations

import pytest

from nmt_bodymap.render.flow import Block, paginate
from nmt_bodymap.render.page import K, text_document
from nmt_bodymap.render.sections import paragraph

pytestmark = pytest.mark.usefixtures("qapp")


def lines_of(doc) -> list[str]:  # type: ignore[no-untyped-def]
    text = doc.toPlainText()
    out = []
    block = doc.begin()
    while block.isValid():
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            start = block.position() + line.textStart()
            out.append(text[start : start + line.textLength()].strip())
        block = block.next()
    return out


@pytest.mark.parametrize("width", [20.0, 30.0, 45.0])
def test_a_long_word_shrinks_instead_of_breaking(width):
    doc = text_document("<b>Sternocleidomastoid</b> and <b>Multifidi</b> and rotatores", width, 3.1)
    assert doc.idealWidth() <= width * K + 0.5  # nothing sticks out of the column
    assert "Sternocleidomastoid" in lines_of(doc)[0]  # the word is whole on its line


def test_lines_break_at_spaces_and_hyphens_only():
    text = "iliocostalis thoracis (low-thoracic, T11) refers pain toward the right-sided lower abdomen"
    doc = text_document(text, 25.0, 3.1)
    lines = lines_of(doc)
    assert len(lines) > 2
    # joined back with a space after each line (none after a hyphen), the lines give the text:
    # a break inside a word would put a space into it
    rejoined = "".join(line if line.endswith("-") else line + " " for line in lines).strip()
    assert rejoined == text


def test_a_text_too_wide_even_when_shrunk_may_break_rather_than_overflow():
    doc = text_document("https://example.org/" + "a" * 120, 20.0, 3.1)
    assert doc.idealWidth() <= 20.0 * K + 0.5


def block(h: float, name: str, keep: bool = False, header: Block | None = None) -> Block:
    b = Block(h, lambda painter, y: None, keep_with_next=keep, header=header)
    b.name = name  # type: ignore[attr-defined]
    return b


def names(pages) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[p.block.name for p in page] for page in pages]


def test_a_heading_moves_to_the_next_page_with_its_first_row():
    blocks = [block(80, "text"), block(8, "heading", keep=True), block(15, "row")]
    assert names(paginate(blocks, 0, 0, 100)) == [["text"], ["heading", "row"]]


def test_a_chain_of_keeps_moves_whole():
    blocks = [block(70, "text"), block(8, "heading", True), block(6, "intro", True), block(5, "head", True)]
    blocks.append(block(15, "row1"))
    assert names(paginate(blocks, 0, 0, 100)) == [["text"], ["heading", "intro", "head", "row1"]]


def test_a_table_repeats_its_header_on_the_next_page():
    head = block(5, "head", True)
    rows = [block(30, f"row{i}", header=head) for i in range(5)]
    pages = paginate([head, *rows], 0, 0, 100)
    assert names(pages) == [["head", "row0", "row1", "row2"], ["head", "row3", "row4"]]
    assert pages[1][0].y == 0 and pages[1][1].y == 5


def test_nothing_runs_past_the_foot_of_a_page():
    blocks = [block(h, f"b{i}", keep=i % 3 == 0) for i, h in enumerate([12, 30, 7, 25, 40, 9, 18, 33, 21, 5, 16])]
    for page in paginate(blocks, 20, 10, 120):
        for placed in page:
            assert placed.y + placed.block.height <= 120 + 1e-9


def test_a_long_paragraph_is_cut_between_lines_with_two_lines_each_side():
    long = paragraph("<p>" + " ".join(f"word{i}" for i in range(900)) + "</p>")
    assert long.height > 100
    pages = paginate([block(20, "before"), long], 0, 0, 100)
    assert len(pages) >= 2
    total = sum(p.block.height for page in pages for p in page if getattr(p.block, "name", "") != "before")
    assert abs(total - long.height) < 0.01  # every line is printed once
    for page in pages:
        for placed in page:
            assert placed.y + placed.block.height <= 100 + 1e-9
            if getattr(placed.block, "name", "") != "before":
                assert placed.block.height >= 2 * 3.1  # at least two lines
