"""The client list as a Qt table model: searched in the database, read a page at a time.

A practice may hold 10,000 clients: the list never reads them all. It asks
the store for the first :data:`PAGE` rows matching the search (every word of
it in the name or code) and reads the next page only when the view scrolls
near the end (Qt's ``canFetchMore``/``fetchMore``). The last column says who
recorded or changed one of the client's visits last (several therapists
share a clinic's record; its tooltip says when), read for the page's rows in
one more query (``Store.last_changes``), so the list itself stays as fast.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from nmt_bodymap.ui.records_model import RecordsModel

if TYPE_CHECKING:
    from nmt_bodymap.store import ClientSummary

PAGE = 200
COLUMNS = ("Name", "Code", "Visits", "Last visit", "Changed by")
ANONYMOUS = "(code only)"

_Index = QModelIndex | QPersistentModelIndex
_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.UserRole,
        Qt.ItemDataRole.ToolTipRole,
    }
)


class ClientListModel(QAbstractTableModel):
    """Clients matching :attr:`search`, by name; rows are :class:`ClientSummary`."""

    failed = Signal(str)  # the store could not be read (the message says why)

    def __init__(self, records: RecordsModel) -> None:
        super().__init__(records)
        self.records = records
        self.search = ""
        self.rows: list[ClientSummary] = []
        self.changes: dict[int, tuple[str, dt.datetime]] = {}  # client id -> who changed a visit last, when
        self._more = False
        self.loaded = False
        self.error = ""  # why the last read failed, or ""

    # -- reading -----------------------------------------------------------------

    def reload(self, search: str | None = None) -> None:
        """Read the first page again (for ``search`` when given)."""
        if search is not None:
            self.search = search
        self.error = ""
        page = self._read(0)
        if self.error and self.loaded:
            return  # the store cannot be read now (the server out of reach): keep the rows shown
        self.beginResetModel()
        self._more = len(page) > PAGE
        self.rows = page[:PAGE]
        self.changes = self._changes_of(self.rows)
        self.loaded = True
        self.endResetModel()

    def _read(self, offset: int) -> list[ClientSummary]:
        """A page and one row more (to know whether there is more), or [] when the store fails."""
        from nmt_bodymap.store import StoreError

        try:
            return self.records.store().clients(self.search, limit=PAGE + 1, offset=offset)
        except StoreError as exc:
            self.records.lost(exc)
            self.error = str(exc)
            self.failed.emit(self.error)
            return []

    def _changes_of(self, rows: list[ClientSummary]) -> dict[int, tuple[str, dt.datetime]]:
        """Who changed each listed client's visits last (one query per page); {} when it cannot be read."""
        from nmt_bodymap.store import StoreError

        if not rows:
            return {}
        try:
            return self.records.store().last_changes(c.id for c in rows)
        except StoreError:
            return {}

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and self._more

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more:
            return
        first = len(self.rows)
        page = self._read(first)
        more = len(page) > PAGE
        page = page[:PAGE]
        if page:
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self.changes.update(self._changes_of(page))
            self.rows.extend(page)
            self._more = more
            self.endInsertRows()
        else:
            self._more = False

    # -- the table -------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES:
            return None
        row = index.row()
        if not 0 <= row < len(self.rows):
            return None
        c = self.rows[row]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return c.name or ANONYMOUS
            if column == 1:
                return c.code
            if column == 2:
                return c.visit_count
            if column == 3:
                return c.last_visit.isoformat() if c.last_visit else "–"
            return self.changes.get(c.id, ("–", None))[0] or "–"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return c.id
        if role == Qt.ItemDataRole.ToolTipRole and column == 0 and not c.name:
            return "No name recorded: the client is known by the code only"
        if role == Qt.ItemDataRole.ToolTipRole and column == 4 and c.id in self.changes:
            who, at = self.changes[c.id]
            when = at.astimezone().strftime("%Y-%m-%d %H:%M")
            return f"A visit was last recorded or changed by {who or 'an unknown user'} at {when}"
        return None

    def client_id(self, row: int) -> int | None:
        return self.rows[row].id if 0 <= row < len(self.rows) else None

    def row_of(self, client_id: int) -> int:
        return next((i for i, c in enumerate(self.rows) if c.id == client_id), -1)


__all__ = ["COLUMNS", "PAGE", "ClientListModel"]
