"""Flow blocks of a known height over pages: headings stay with what follows, tables repeat their header.

A section of a document becomes a list of :class:`Block` (a heading, a
table header, a row, a paragraph). :func:`paginate` places them top to
bottom and starts a new page when the next one does not fit. A block that
``keeps_with_next`` moves to the next page together with the block after it,
so a heading never stands alone at the foot of a page. A block that can be
``split`` (a long paragraph) is cut between two lines instead of moving
whole. A block that can ``fit`` (a figure) is drawn smaller to fill the
rest of a page rather than move to the next one. A row of a table carries
the table's ``header``, which is repeated when the row opens a page. A block
that ``opens_page`` always starts a new page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QPainter

BlockPainter = Callable[[QPainter, float], None]  # paints the block with its top at y (mm)


@dataclass
class Block:
    height: float  # mm
    paint: BlockPainter
    keep_with_next: bool = False
    space_before: float = 0.0  # mm, left out at the top of a page
    header: Block | None = None  # repeated above this block when it opens a page
    #: Cut the block so that its first part is at most this tall (mm): (first, rest), or None if it cannot.
    split: Callable[[float], tuple[Block, Block] | None] | None = None
    #: The block redrawn at most this tall (mm), or None when it would be too small to read.
    fit: Callable[[float], Block | None] | None = None
    opens_page: bool = False


@dataclass
class Placed:
    block: Block
    y: float  # mm from the top of the page


def _unit(queue: list[Block]) -> list[Block]:
    """The blocks that must start on the same page: a run of keep-with-next blocks and the one after."""
    n = 1
    while n < len(queue) and queue[n - 1].keep_with_next:
        n += 1
    return queue[:n]


def paginate(blocks: list[Block], first_top: float, top: float, bottom: float) -> list[list[Placed]]:
    """Place ``blocks`` on pages whose body runs from ``top`` (``first_top`` on page one) to ``bottom`` mm."""
    pages: list[list[Placed]] = [[]]
    y = first_top
    queue = list(blocks)

    def place(run: list[Block]) -> None:
        nonlocal y
        for b in run:
            y += b.space_before if pages[-1] else 0.0
            pages[-1].append(Placed(b, y))
            y += b.height

    def new_page() -> None:
        nonlocal y
        pages.append([])
        y = top

    while queue:
        unit = _unit(queue)
        if unit[0].opens_page and pages[-1]:
            new_page()
        at_top = not pages[-1]
        run = ([unit[0].header] if at_top and unit[0].header is not None else []) + unit
        need = sum(b.height + b.space_before for b in run) - (run[0].space_before if at_top else 0.0)
        if y + need <= bottom:
            place(run)
            del queue[: len(unit)]
            continue
        last = run[-1]
        room = bottom - y - (need - last.height)
        smaller = last.fit(room) if last.fit is not None and room > 0 else None
        cut = last.split(room) if smaller is None and last.split is not None and room > 0 else None
        if smaller is not None and smaller.height <= room + 1e-9:  # drawn smaller, it fills this page
            place([*run[:-1], smaller])
            del queue[: len(unit)]
        elif cut is not None:  # the first part fits here with what goes before it; the rest flows on
            place([*run[:-1], cut[0]])
            del queue[: len(unit)]
            if cut[1].header is None:
                cut[1].header = last.header
            queue.insert(0, cut[1])
            new_page()
        elif at_top:  # taller than a page and cannot be cut: it overflows rather than loop forever
            place(run)
            del queue[: len(unit)]
        else:
            new_page()
    return pages


def paint_placed(painter: QPainter, placed: list[Placed]) -> None:
    for p in placed:
        p.block.paint(painter, p.y)
