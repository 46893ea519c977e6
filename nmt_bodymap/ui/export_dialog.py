"""File → Export… (with a preview) and File → Print…."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nmt_bodymap.atomic import replace_with
from nmt_bodymap.chart import VIEW_TITLES, VIEWS
from nmt_bodymap.render.export import ExportError, pages_of, print_to, render_png, write
from nmt_bodymap.render.qt import PRACTICE_KEY, practice_name
from nmt_bodymap.report import Document, plan
from nmt_bodymap.ui.folders import remember_folder, start_folder
from nmt_bodymap.ui.model import SessionModel

KIND_TITLES = {"chart": "Annotated chart", "report": "Session report", "handout": "Home-care handout"}


def build_document(
    model: SessionModel,
    settings: QSettings,
    kind: str,
    views: list[str] | None = None,
    anonymize: bool = False,
    zones: int = 0,
) -> Document:
    practice = practice_name(settings)
    return plan(
        model.session, model.atlas, model.result, kind, views, anonymize=anonymize, practice=practice, show_zones=zones
    )


class ExportDialog(QDialog):
    """Choose what to export, see it, write it."""

    def __init__(self, model: SessionModel, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.settings = settings
        self.setWindowTitle("Export")
        self.resize(980, 760)
        self.written: Path | None = None

        kind_box = QGroupBox("What")
        kv = QVBoxLayout(kind_box)
        self.kinds = QButtonGroup(self)
        for kind, title in KIND_TITLES.items():
            b = QRadioButton(title)
            b.setProperty("kind", kind)
            self.kinds.addButton(b)
            kv.addWidget(b)
        self.kinds.buttons()[0].setChecked(True)

        view_box = QGroupBox("Views")
        vv = QVBoxLayout(view_box)
        self.view_checks: dict[str, QCheckBox] = {}
        chosen = str(settings.value("export/views", "anterior,posterior")).split(",")
        for v in VIEWS:
            c = QCheckBox(VIEW_TITLES[v])
            c.setChecked(v in chosen)
            self.view_checks[v] = c
            vv.addWidget(c)

        options = QGroupBox("Options")
        form = QFormLayout(options)
        self.zones = QSpinBox()
        self.zones.setRange(0, 5)
        self.zones.setToolTip("Draw the referral zones of this many top candidates")
        self.anonymize = QCheckBox("Leave out the client's name")
        self.anonymize.setChecked(settings.value("export/anonymize", "false") == "true")
        self.practice = QLineEdit(practice_name(settings))
        self.practice.setPlaceholderText("Shown in the title block")
        self.dpi = QSpinBox()
        self.dpi.setRange(72, 1200)
        self.dpi.setValue(int(str(settings.value("export/dpi", 300))))
        self.dpi.setSuffix(" dpi")
        form.addRow("Top candidates' zones", self.zones)
        form.addRow(self.anonymize)
        form.addRow("Practice name", self.practice)
        form.addRow("PNG resolution", self.dpi)

        left = QVBoxLayout()
        for w in (kind_box, view_box, options):
            left.addWidget(w)
        left.addStretch(1)
        self.page = QSpinBox()
        self.page.setPrefix("Page ")
        self.page.setMinimum(1)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setAccessibleName("Preview")
        scroll = QScrollArea()
        scroll.setWidget(self.preview)
        scroll.setWidgetResizable(True)
        right = QVBoxLayout()
        right.addWidget(self.page, 0, Qt.AlignmentFlag.AlignRight)
        right.addWidget(scroll, 1)
        top = QHBoxLayout()
        top.addLayout(left)
        top.addLayout(right, 1)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button = buttons.addButton("Print…", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(self.export)
        self.print_button.clicked.connect(self.print_)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(buttons)

        for button in self.kinds.buttons():
            button.toggled.connect(self.refresh)
        for c in self.view_checks.values():
            c.toggled.connect(self.refresh)
        self.zones.valueChanged.connect(self.refresh)
        self.anonymize.toggled.connect(self.refresh)
        self.practice.editingFinished.connect(self.refresh)
        self.page.valueChanged.connect(self.refresh)
        self.refresh()

    def kind(self) -> str:
        checked = self.kinds.checkedButton()
        return str(checked.property("kind")) if checked else "chart"

    def views(self) -> list[str]:
        return [v for v, c in self.view_checks.items() if c.isChecked()]

    def document(self) -> Document:
        self.settings.setValue(PRACTICE_KEY, self.practice.text().strip())
        self.settings.setValue("export/views", ",".join(self.views()))
        self.settings.setValue("export/anonymize", "true" if self.anonymize.isChecked() else "false")
        self.settings.setValue("export/dpi", self.dpi.value())
        return build_document(
            self.model,
            self.settings,
            self.kind(),
            self.views() or ["anterior"],
            self.anonymize.isChecked(),
            self.zones.value(),
        )

    def refresh(self) -> None:
        doc = self.document()
        pages = len(pages_of(doc))
        self.page.setMaximum(pages)
        self.page.setSuffix(f" of {pages}")
        image = render_png(doc, dpi=60)
        page_h = image.height() if pages == 1 else (image.height() - (pages - 1) * round(6 * 60 / 25.4)) // pages
        top = (self.page.value() - 1) * (page_h + (round(6 * 60 / 25.4) if pages > 1 else 0))
        self.preview.setPixmap(QPixmap.fromImage(image.copy(0, top, image.width(), page_h)))

    def export(self) -> None:
        doc = self.document()
        s = self.model.session
        stem = "-".join(p for p in (s.client_code or "session", s.date, self.kind()) if p)
        start = str(start_folder(self.settings, self.model.path) / f"{stem}.pdf")
        path, _ = QFileDialog.getSaveFileName(self, "Export", start, "PDF (*.pdf);;PNG picture (*.png);;SVG (*.svg)")
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() not in (".pdf", ".png", ".svg"):
            target = target.with_suffix(".pdf")
        try:
            replace_with(target, lambda tmp: write(doc, tmp, float(self.dpi.value())))
        except (OSError, ExportError) as exc:
            QMessageBox.critical(self, "Cannot export", f"{exc}\n\nNothing was written.")
            return
        remember_folder(self.settings, target)
        self.written = target
        self.accept()  # the main window's status bar says what was written, with "Open folder"

    def print_(self) -> None:
        print_document(self.document(), self)


def print_document(doc: Document, parent: QWidget | None) -> bool:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(doc.metadata_title)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    print_to(printer, doc)
    return True


def print_report(model: SessionModel, settings: QSettings, parent: QWidget | None) -> bool:
    """File → Print…: the session report through the system print dialog."""
    return print_document(build_document(model, settings, "report"), parent)
