"""File → Print… (Ctrl+P): a print preview of the chart, the report or the handout.

The preview is Qt's :class:`QPrintPreviewDialog` with a chooser of what to
print added to its toolbar; its pages are painted by the same code as the
exports (``render/export.py``), so the paper matches the PDF. The choice is
remembered in the settings. :func:`open_print_preview` is the main window's
entry point: it opens the dialog without blocking and returns it.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QComboBox, QLabel, QToolBar, QWidget

from nmt_bodymap.render.export import print_to
from nmt_bodymap.report import KINDS, Document
from nmt_bodymap.ui.export_dialog import KIND_TITLES, build_document
from nmt_bodymap.ui.model import SessionModel

KIND_KEY = "print/kind"


def a4_printer() -> QPrinter:
    """A high-resolution printer set to A4 portrait, painting from the paper's edge."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    return printer


class PrintPreview(QPrintPreviewDialog):
    """Preview and print one of the session's documents; the kind is chosen in the toolbar."""

    def __init__(
        self, model: SessionModel, settings: QSettings, parent: QWidget | None = None, kind: str | None = None
    ) -> None:
        self._printer = a4_printer()  # the dialog does not own it: keep it alive as long as the dialog
        super().__init__(self._printer, parent)
        self.model = model
        self.settings = settings
        self.setWindowTitle("Print preview")
        self.kind_box = QComboBox()
        self.kind_box.setAccessibleName("What to print")
        for k in KINDS:
            self.kind_box.addItem(KIND_TITLES[k], k)
        chosen = kind or str(settings.value(KIND_KEY, "report"))
        self.set_kind(chosen if chosen in KINDS else "report")
        toolbar = self.findChild(QToolBar)
        if toolbar is not None:
            toolbar.addSeparator()
            toolbar.addWidget(QLabel(" Print: "))
            toolbar.addWidget(self.kind_box)
        self.preview = self.findChild(QPrintPreviewWidget)
        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        self.paintRequested.connect(self.paint)

    def kind(self) -> str:
        return str(self.kind_box.currentData())

    def set_kind(self, kind: str) -> None:
        self.kind_box.setCurrentIndex(KINDS.index(kind))

    def document(self) -> Document:
        """What is printed: the chosen kind, with the export dialog's views and name setting."""
        views = [v for v in str(self.settings.value("export/views", "anterior,posterior")).split(",") if v]
        anonymize = self.settings.value("export/anonymize", "false") == "true"
        return build_document(self.model, self.settings, self.kind(), views or None, anonymize)

    def paint(self, printer: QPrinter) -> None:
        """Paint the chosen document onto ``printer`` (the preview's pages, or the real printer)."""
        doc = self.document()
        printer.setDocName(doc.metadata_title)
        print_to(printer, doc)

    def _kind_changed(self) -> None:
        self.settings.setValue(KIND_KEY, self.kind())
        if self.preview is not None:
            self.preview.updatePreview()


def open_print_preview(model: SessionModel, settings: QSettings, parent: QWidget | None) -> PrintPreview:
    """Open the print preview (window-modal, without blocking) and return it."""
    dialog = PrintPreview(model, settings, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.resize(900, 1000)
    dialog.open()
    return dialog
