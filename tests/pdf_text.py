"""Just enough PDF reading for the export tests: pages, text and raw streams.

Text comes from pdfium (pypdfium2, in the test extra), which reads Qt's
glyph-id fonts through their ToUnicode maps the way a PDF viewer does.
``all_streams`` decompresses every content and metadata stream by its
declared length, so a test can check that a name appears nowhere in the
file, not only nowhere in the visible text.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
import zlib
from pathlib import Path

import pypdfium2

_OBJ_START = re.compile(rb"(\d+) 0 obj\b")
_LENGTH = re.compile(rb"/Length\s+(\d+)(\s+0\s+R)?")
_STREAM = re.compile(rb"stream\r?\n")


class Pdf:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.raw = self.path.read_bytes()
        self._doc = pypdfium2.PdfDocument(self.raw)

    def pages(self) -> list[int]:
        return list(range(len(self._doc)))

    def page_text(self, page: int) -> str:
        textpage = self._doc[page].get_textpage()
        try:
            text = textpage.get_text_range()
        finally:
            textpage.close()
        return re.sub(r"\s+", " ", text.replace("\t", " ").replace("\r", " "))

    def text(self) -> str:
        """All pages' text, ligatures unfolded ("ﬁ" becomes "fi")."""
        return unicodedata.normalize("NFKC", "\n".join(self.page_text(p) for p in self.pages()))

    def _objects(self) -> dict[int, int]:
        """Object number -> byte offset of its body."""
        return {int(m.group(1)): m.end() for m in _OBJ_START.finditer(self.raw)}

    def all_streams(self) -> list[bytes]:
        """Every stream of the file, decompressed where it is Flate-encoded."""
        objects = self._objects()
        out: list[bytes] = []
        for start in objects.values():
            head_end = self.raw.find(b"stream", start)
            next_obj = self.raw.find(b" 0 obj", start)
            if head_end < 0 or (0 <= next_obj < head_end):
                continue
            head = self.raw[start:head_end]
            length = _LENGTH.search(head)
            begin = _STREAM.match(self.raw, head_end)
            if length is None or begin is None:
                continue
            size = int(length.group(1))
            if length.group(2):  # an indirect length: "/Length 12 0 R"
                ref = objects.get(size)
                if ref is None:
                    continue
                size = int(self.raw[ref : self.raw.find(b"endobj", ref)].strip())
            data = self.raw[begin.end() : begin.end() + size]
            if b"/FlateDecode" in head:
                with contextlib.suppress(zlib.error):
                    data = zlib.decompress(data)
            out.append(data)
        return out
