"""The field checker of atlas TOML files, muscles' and nerves' alike.

Every field is checked for presence and type, unknown keys are reported
(they are usually typos), and each fault is collected as a problem
``(where, message)`` instead of stopping at the first. The parts both kinds
of file share are here too: the format version, the file's own id, and the
``[[rule_out]]`` and ``[[source]]`` tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from nmt_bodymap.atlas.model import RuleOut, Source
from nmt_bodymap.guarded import shown

FORMAT_VERSION = 1
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


class TextChecker:
    """Reads fields out of a parsed TOML document, collecting every fault in :attr:`problems`."""

    def __init__(self) -> None:
        self.problems: list[tuple[str | None, str]] = []

    def fail(self, where: str | None, message: str) -> None:
        # values from the file are echoed in messages: keep a hostile one readable
        self.problems.append((where[:120] if where else where, message if len(message) <= 300 else message[:299] + "…"))

    def text(self, table: dict[str, Any], key: str, where: str | None, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.fail(where, f"missing '{key}'")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"'{key}' must be non-empty text")
            return ""
        return " ".join(value.split()) if "\n" not in value.strip() else value.strip()

    def text_list(self, table: dict[str, Any], key: str, where: str | None, required: bool = True) -> tuple[str, ...]:
        value = table.get(key)
        if value is None:
            if required:
                self.fail(where, f"missing '{key}'")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(where, f"'{key}' must be a list of non-empty texts")
            return ()
        if required and not value:
            self.fail(where, f"'{key}' must not be empty")
        return tuple(" ".join(v.split()) for v in value)

    def tables(self, table: dict[str, Any], key: str, where: str | None, required: bool = True) -> list[dict[str, Any]]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(where, f"'{key}' must be written as [[{key}]] tables")
            return []
        if required and not value:
            self.fail(where, f"needs at least one [[{key}]]")
        return value

    def unknown(self, table: dict[str, Any], allowed: set[str], where: str | None) -> None:
        for key in sorted(set(table) - allowed):
            self.fail(where, f"unknown key '{key}'")

    def identifier(self, value: str, where: str | None, what: str) -> None:
        """``value`` (when given) must be lower-case words joined by hyphens."""
        if value and not ID_PATTERN.fullmatch(value):
            self.fail(where, f"{what} '{value}' must be lower-case words joined by hyphens")

    def entries(
        self, doc: dict[str, Any], key: str, allowed: set[str], what: str, required: bool = True
    ) -> Iterator[tuple[dict[str, Any], str, str]]:
        """Each ``[[key]]`` table with its id (checked, unique) and where its problems are.

        Until the id is known an entry's problems name its number ("[[trigger_point]] #2"),
        then its id ("trigger point 'tp1'"), ``what`` naming the kind of entry.
        """
        seen: set[str] = set()
        for i, table in enumerate(self.tables(doc, key, None, required=required)):
            where = f"[[{key}]] #{i + 1}"
            self.unknown(table, allowed, where)
            entry = self.text(table, "id", where)
            if entry:
                where = f"{what} '{entry}'"
                self.identifier(entry, where, "id")
                if entry in seen:
                    self.fail(where, f"duplicate {what} id")
                seen.add(entry)
            yield table, entry, where

    def format_version(self, doc: dict[str, Any]) -> None:
        fmt = doc.get("format")
        if fmt != FORMAT_VERSION:
            self.fail(None, f"'format' must be {FORMAT_VERSION} (got {shown(fmt)})")

    def own_id(self, doc: dict[str, Any], expected_id: str) -> str:
        """The file's ``id``: well formed, and the same as its file name."""
        own = self.text(doc, "id", None)
        self.identifier(own, None, "id")
        if own and own != expected_id:
            self.fail(None, f"id '{own}' does not match the file name '{expected_id}'")
        return own

    def rule_out(self, doc: dict[str, Any]) -> tuple[RuleOut, ...]:
        """The ``[[rule_out]]`` tables (optional): conditions to rule out first, and their signs."""
        found = []
        for i, t in enumerate(self.tables(doc, "rule_out", None, required=False)):
            where = f"[[rule_out]] #{i + 1}"
            self.unknown(t, {"condition", "signs"}, where)
            found.append(RuleOut(self.text(t, "condition", where), self.text(t, "signs", where)))
        return tuple(found)

    def sources(self, doc: dict[str, Any]) -> tuple[Source, ...]:
        """The ``[[source]]`` tables (at least one): citations, each with an optional web address."""
        found = []
        for i, t in enumerate(self.tables(doc, "source", None)):
            where = f"[[source]] #{i + 1}"
            self.unknown(t, {"citation", "url"}, where)
            url = self.text(t, "url", where, required=False)
            if url and not url.startswith(("https://", "http://")):
                self.fail(where, "'url' must start with https://")
            found.append(Source(self.text(t, "citation", where), url))
        return tuple(found)
