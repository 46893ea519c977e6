"""Just enough PDF reading for the export tests: pages, text and metadata.

Qt's PDF writer stores text as glyph ids in Flate-compressed content
streams, with a ToUnicode map per font. This follows those maps back to
text, so a test can check what a page says without a PDF library.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
import zlib
from pathlib import Path

_OBJ = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
# Only the "\n" before "endstream" is an end-of-line marker: compressed data may itself end in a "\r" byte
# (zlib ignores a stray trailing byte, but a lost last byte truncates the stream).
_STREAM = re.compile(rb"stream\r?\n(.*?)\nendstream", re.S)


class Pdf:
    def __init__(self, path: Path) -> None:
        self.raw = path.read_bytes()
        self.objects: dict[int, bytes] = {int(n): body for n, body in _OBJ.findall(self.raw)}

    def stream(self, num: int) -> bytes:
        body = self.objects[num]
        m = _STREAM.search(body)
        if not m:
            return b""
        data = m.group(1)
        return zlib.decompress(data) if b"/FlateDecode" in body else data

    def all_streams(self) -> list[bytes]:
        out = []
        for num in self.objects:
            with contextlib.suppress(zlib.error):
                out.append(self.stream(num))
        return out

    def pages(self) -> list[int]:
        return [n for n, body in self.objects.items() if re.search(rb"/Type\s*/Page\b(?!s)", body)]

    def _ref(self, body: bytes, key: bytes) -> int | None:
        m = re.search(rb"/" + key + rb"\s+(\d+) 0 R", body)
        return int(m.group(1)) if m else None

    def _cmap(self, font_obj: int) -> dict[int, str]:
        ref = self._ref(self.objects[font_obj], b"ToUnicode")
        if ref is None:
            return {}
        text = self.stream(ref).decode("latin-1")
        out: dict[int, str] = {}
        for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
            for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                out[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be", "replace")
        for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
            for lo, hi, dst, array in re.findall(
                r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(?:<([0-9A-Fa-f]+)>|\[(.*?)\])", block, re.S
            ):
                codes = range(int(lo, 16), int(hi, 16) + 1)
                if array:  # one destination per code
                    for code, d in zip(codes, re.findall(r"<([0-9A-Fa-f]+)>", array), strict=False):
                        out[code] = bytes.fromhex(d).decode("utf-16-be", "replace")
                else:
                    for i, code in enumerate(codes):
                        out[code] = chr(int(dst, 16) + i)
        return out

    def _fonts(self, page: int) -> dict[str, dict[int, str]]:
        body = self.objects[page]
        res_ref = self._ref(body, b"Resources")
        res = self.objects[res_ref] if res_ref is not None else body
        fonts: dict[str, dict[int, str]] = {}
        m = re.search(rb"/Font\s*<<(.*?)>>", res, re.S)
        if m:
            for name, num in re.findall(rb"/(\w+)\s+(\d+) 0 R", m.group(1)):
                fonts[name.decode()] = self._cmap(int(num))
        return fonts

    def page_text(self, page: int) -> str:
        fonts = self._fonts(page)
        contents = self._ref(self.objects[page], b"Contents")
        if contents is None:
            return ""
        data = self.stream(contents).decode("latin-1")
        cmap: dict[int, str] = {}
        out: list[str] = []
        for token in re.finditer(r"/(\w+)\s+[\d.]+\s+Tf|\[(.*?)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj|(ET)", data, re.S):
            font, array, single, end = token.groups()
            if font:
                cmap = fonts.get(font, {})
            elif end:
                out.append(" ")
            else:
                for hexs in re.findall(r"<([0-9A-Fa-f]*)>", array or f"<{single}>"):
                    for i in range(0, len(hexs), 4):
                        out.append(cmap.get(int(hexs[i : i + 4], 16), ""))
        return re.sub(r"\s+", " ", "".join(out).replace("\t", " "))

    def text(self) -> str:
        """All pages' text, ligatures unfolded ("ﬁ" becomes "fi")."""
        return unicodedata.normalize("NFKC", "\n".join(self.page_text(p) for p in sorted(self.pages())))
