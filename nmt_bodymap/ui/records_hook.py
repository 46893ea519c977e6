"""The one place the client records join the main window.

:func:`install_records` adds, to any window that has the few attributes of
:class:`~nmt_bodymap.ui.records_actions.RecordsHost` plus ``canvas`` (the
chart) and optionally ``session_dock``:

* the **Clients** tab (list, search, client page, progress plot);
* the **Visit** panel, a dock tabbed with the session panel (therapist,
  red-flag screen, SOAP notes, treatment);
* the notices over the chart ("refer before treating", the last visit's
  ghost) and the ghost layer under the marks;
* the **Practice** menu, File → Back up practice…, View → Visit panel;
* a moment after start, the database check and today's backup;
* the clinic server's state in the status bar (:mod:`.server_status`), kept
  by :mod:`.records_sync`, which also refreshes the lists when another
  therapist changes the records and delivers saves kept while the server was
  out of reach (a conflict among them opens the conflict dialog).

The window then routes File → Save to the records when the open session
is a visit (:meth:`RecordsUi.handles_save`, :meth:`RecordsUi.save_visit`)
and shows :attr:`SessionModel.record_label` in its title. Nothing of the
store is imported here: the records load when first used.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

from nmt_bodymap.ui.chart_notices import ChartNotices
from nmt_bodymap.ui.clients_view import ClientsView
from nmt_bodymap.ui.ghost_layer import GhostLayer
from nmt_bodymap.ui.records_actions import RecordsController
from nmt_bodymap.ui.records_model import RecordsModel
from nmt_bodymap.ui.records_startup import RecordsStartup
from nmt_bodymap.ui.records_sync import RecordsSync
from nmt_bodymap.ui.server_status import ServerStatus
from nmt_bodymap.ui.visit_panel import VisitPanel


class RecordsUi:
    """Everything :func:`install_records` added, for the window and for tests."""

    def __init__(self, window: QMainWindow, startup: bool) -> None:
        host = window
        model = host.model  # type: ignore[attr-defined]
        self.records = RecordsModel(model, host.settings, window)  # type: ignore[attr-defined]
        self.clients = ClientsView(self.records)
        host.tabs.addTab(self.clients, "C&lients")  # type: ignore[attr-defined]

        self.visit_panel = VisitPanel(model, self.records)
        self.visit_dock = QDockWidget("Visit", window)
        self.visit_dock.setObjectName("visitDock")
        self.visit_dock.setWidget(self.visit_panel)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.visit_dock)
        session_dock = getattr(window, "session_dock", None)
        if isinstance(session_dock, QDockWidget):
            window.tabifyDockWidget(session_dock, self.visit_dock)
            session_dock.raise_()
        # wide enough for the visit panel's rows (a saved window layout wins over this)
        width = self.visit_panel.body.minimumSizeHint().width() + 40
        window.resizeDocks([self.visit_dock], [width], Qt.Orientation.Horizontal)

        canvas = host.canvas  # type: ignore[attr-defined]
        self.ghost = GhostLayer(model, canvas)
        self.notices = ChartNotices(model, canvas, lambda: self.records.previous_date)
        self.notices.refer.reviewRequested.connect(self.show_visit_panel)

        self.controller = RecordsController(window, self.records, self.clients, self.visit_dock)
        self.sync = RecordsSync(self.records, window)
        self.controller.sync = self.sync
        self.sync.conflictFound.connect(self.controller.resolve_queued_conflict)
        self.sync.openVisitChanged.connect(
            lambda who: window.statusBar().showMessage(
                f"{who} saved the visit open here meanwhile: saving it shows both versions to choose from", 15000
            )
        )
        self.server_status = ServerStatus(self.sync)
        window.statusBar().addPermanentWidget(self.server_status)
        self.startup = RecordsStartup(self.records, window)
        self.startup.status.connect(lambda text: window.statusBar().showMessage(text, 6000))
        self.startup.serverInUse.connect(self.sync.start)
        if startup:
            self.startup.start()

    def close(self) -> None:
        """The window closes: stop watching the server, close the store (saves waiting stay in the outbox)."""
        self.sync.close()
        self.records.close()

    def show_visit_panel(self) -> None:
        self.visit_dock.show()
        self.visit_dock.raise_()

    def handles_save(self) -> bool:
        return self.controller.handles_save()

    def save_visit(self) -> bool:
        return self.controller.save_visit()


def install_records(window: QMainWindow, startup: bool = True) -> RecordsUi:
    """Add the client records to ``window`` (see the module docstring); ``startup`` runs the checks."""
    return RecordsUi(window, startup)


__all__ = ["RecordsUi", "install_records"]
