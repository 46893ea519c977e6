"""The client store on a real database: clients, visits, amendment history, the bin, transactions, import.

Every test here takes ``store_url`` so that it runs on each backend
(SQLite today; the clinic-server issue adds PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from nmt_bodymap import progress
from nmt_bodymap import session as sessions
from nmt_bodymap.chart import load_chart
from nmt_bodymap.store import (
    Conflict,
    DuplicateCode,
    ImportRefused,
    NotFound,
    Store,
    StoreError,
    open_store,
)

FIXTURES = Path(__file__).parent / "fixtures"
HEADACHE = FIXTURES / "sessions" / "v1-headache.nmt"


@pytest.fixture
def store(store_url: str):
    with open_store(store_url, user="tester") as s:
        yield s


def headache() -> sessions.Session:
    return sessions.load(HEADACHE)


def low_back(radius: float = 25.0, intensity: int = 5, date: str = "2026-11-20") -> sessions.Session:
    chart = load_chart()
    lm = chart.view("posterior").landmark("low-back", "right")
    drawing = sessions.Session(date=date)
    drawing.marks.append(sessions.disc_mark(chart, "m1", "posterior", lm.x, lm.y, radius, "aching", intensity))
    return drawing


# -- clients ---------------------------------------------------------------------


def test_a_new_database_is_empty_and_at_the_current_schema(store: Store):
    from nmt_bodymap.store.engine import current_revision
    from nmt_bodymap.store.schema import HEAD_REVISION

    assert store.clients() == []
    with store.engine.connect() as conn:
        assert current_revision(conn) == HEAD_REVISION


def test_add_find_and_search_clients(store: Store):
    alex = store.add_client("C-017", "Alex Example", birth_date=dt.date(1980, 5, 17), contact="555-0100")
    store.add_client("C-018", "Zoë Müller")
    store.add_client("X-1")
    assert alex.id and alex.version == 1 and alex.birth_date == dt.date(1980, 5, 17)
    assert store.find_client("C-017") == alex
    assert store.clients("C-017")[0].to_dict() == {
        "id": alex.id,
        "code": "C-017",
        "name": "Alex Example",
        "birth_date": "1980-05-17",
        "visit_count": 0,
        "last_visit": None,
    }
    assert store.find_client("c-017").id == alex.id  # codes ignore case
    assert store.find_client("alex  example").id == alex.id  # exact name, case and spacing ignored
    assert [c.code for c in store.clients("zoe")] == ["C-018"]  # accents ignored
    assert [c.code for c in store.clients("mull c-0")] == ["C-018"]  # every word must match
    assert [c.code for c in store.clients("C-01")] == ["C-017", "C-018"]
    assert [c.code for c in store.clients("%")] == []  # LIKE wildcards are literal
    with pytest.raises(NotFound, match="no client with the code or name 'Alex'"):
        store.find_client("Alex")
    assert [c.code for c in store.clients()] == ["X-1", "C-017", "C-018"]  # by name; no name sorts first


def test_codes_are_unique_whatever_their_case(store: Store):
    store.add_client("C-017", "Alex")
    with pytest.raises(DuplicateCode, match="client code 'c-017' is already used"):
        store.add_client("c-017", "Someone else")
    with pytest.raises(StoreError, match="needs a code"):
        store.add_client("  ", "No code")


def test_two_clients_with_one_name_need_the_code(store: Store):
    store.add_client("A-1", "Sam Sample")
    store.add_client("A-2", "Sam Sample")
    with pytest.raises(NotFound, match=r"2 clients are named 'Sam Sample' \(codes A-1, A-2\)"):
        store.find_client("Sam Sample")


def test_update_client_with_optimistic_concurrency(store: Store):
    alex = store.add_client("C-017", "Alex")
    changed = store.update_client(alex.id, expected_version=1, name="Alex Example", notes="prefers mornings")
    assert (changed.name, changed.notes, changed.version) == ("Alex Example", "prefers mornings", 2)
    assert store.find_client("alex example").id == alex.id  # the search keys follow the name
    with pytest.raises(Conflict, match=r"changed by tester meanwhile \(version 2, you edited version 1\)") as caught:
        store.update_client(alex.id, expected_version=1, name="Stale")
    conflict = caught.value
    assert (conflict.kind, conflict.record_id, conflict.expected_version, conflict.current_version) == (
        "client",
        alex.id,
        1,
        2,
    )
    assert conflict.mine == {"name": "Stale"} and conflict.theirs["name"] == "Alex Example"
    assert store.client(alex.id).name == "Alex Example"
    with pytest.raises(StoreError, match="cannot change a client's id"):
        store.update_client(alex.id, id=5)


def test_the_client_list_carries_visit_count_and_last_visit(store: Store):
    alex = store.add_client("C-017", "Alex")
    store.add_visit(alex.id, headache(), date="2026-11-20")
    store.add_visit(alex.id, low_back(), date="2026-12-04")
    store.add_visit(alex.id, low_back(), date="2026-11-27")
    (row,) = store.clients()
    assert (row.visit_count, row.last_visit) == (3, dt.date(2026, 12, 4))


# -- visits ----------------------------------------------------------------------


def test_a_visit_keeps_its_session_and_its_figures(store: Store):
    alex = store.add_client("C-017", "Alex Example")
    original = headache()
    original.treatment = sessions.Treatment(pain_before=7, pain_after=3)
    summary = store.add_visit(alex.id, original, therapist="Jo")
    expected = progress.visit_metrics(original)
    assert summary.date == dt.date(2026, 11, 20)  # the session's own date
    assert summary.therapist == "Jo" and summary.created_by == "tester" and summary.version == 1
    assert summary.extent_percent == expected.extent_percent
    assert summary.weighted_area_mm2 == expected.weighted_area_mm2
    assert summary.regions == expected.regions and summary.extent_by_view == expected.extent_by_view
    assert (summary.pain_before, summary.pain_after) == (7, 3)
    assert summary.jaccard_previous is None
    visit = store.visit(summary.id)
    assert visit.session.notes == original.notes
    assert len(visit.session.marks) == len(original.marks)
    assert visit.document["client"] == {"name": "Alex Example", "code": "C-017"}
    assert original.client_code == "C-017" and original.date == "2026-11-20"  # the caller's session untouched


def test_the_date_given_overrides_the_sessions(store: Store):
    alex = store.add_client("C-017")
    summary = store.add_visit(alex.id, headache(), date="2026-12-24")
    assert summary.date == dt.date(2026, 12, 24)
    assert store.visit(summary.id).session.date == "2026-12-24"
    with pytest.raises(StoreError, match="'24/12/2026' is not a date"):
        store.add_visit(alex.id, headache(), date="24/12/2026")


def test_overlap_with_the_previous_visit_follows_the_timeline(store: Store):
    alex = store.add_client("C-017")
    a = store.add_visit(alex.id, low_back(25), date="2026-11-01")
    c = store.add_visit(alex.id, headache(), date="2026-11-15")
    b = store.add_visit(alex.id, low_back(20), date="2026-11-08")  # added late, between the two
    by_id = {v.id: v for v in store.visits(alex.id)}
    assert [v.id for v in store.visits(alex.id)] == [a.id, b.id, c.id]
    assert by_id[a.id].jaccard_previous is None
    assert by_id[b.id].jaccard_previous == progress.jaccard(low_back(25).marks, low_back(20).marks)
    assert 0.5 < by_id[b.id].jaccard_previous < 1
    assert by_id[c.id].jaccard_previous == 0.0  # the headache shares nothing with the low back
    store.bin_visit(b.id)
    assert {v.id: v.jaccard_previous for v in store.visits(alex.id)}[c.id] == 0.0
    store.restore_visit(b.id)
    store.bin_visit(a.id)
    assert store.visits(alex.id)[0].jaccard_previous is None  # b is first now


def test_amending_a_closed_visit_keeps_the_earlier_version(store: Store):
    alex = store.add_client("C-017")
    first = store.add_visit(alex.id, headache(), therapist="Jo")
    edited = store.visit(first.id).session
    edited.notes = "draft two"
    second = store.update_visit(first.id, edited, expected_version=1)
    assert second.version == 2 and store.visit_history(first.id) == []  # an open visit is a draft
    closed = store.close_visit(first.id)
    assert closed.closed and closed.version == 3
    edited.notes = "corrected after the visit"
    edited.marks = edited.marks[:1]
    amended = store.update_visit(first.id, edited, expected_version=3, reason="wrong side drawn")
    assert amended.version == 4 and amended.closed
    assert amended.extent_percent < closed.extent_percent  # the figures follow the new drawing
    (earlier,) = store.visit_history(first.id)
    assert earlier.version == 3 and earlier.reason == "wrong side drawn" and earlier.replaced_by == "tester"
    assert earlier.document["notes"] == "draft two"
    assert store.visit(first.id).session.notes == "corrected after the visit"


def test_a_stale_edit_is_refused(store: Store):
    alex = store.add_client("C-017")
    visit = store.add_visit(alex.id, headache())
    store.update_visit(visit.id, headache(), expected_version=1)
    with pytest.raises(Conflict, match="changed by tester meanwhile"):
        store.update_visit(visit.id, low_back(), expected_version=1)
    assert store.visit(visit.id).version == 2


# -- the bin and erasing -----------------------------------------------------------


def test_the_bin_restores_visits_and_clients(store: Store):
    alex = store.add_client("C-017", "Alex")
    visit = store.add_visit(alex.id, headache())
    store.bin_visit(visit.id)
    assert store.visits(alex.id) == [] and store.clients()[0].visit_count == 0
    assert [(e.kind, e.id, e.label) for e in store.bin()] == [("visit", visit.id, "Alex, 2026-11-20")]
    with pytest.raises(NotFound, match="in the bin"):
        store.visit(visit.id)
    store.restore_visit(visit.id)
    assert [v.id for v in store.visits(alex.id)] == [visit.id]
    store.bin_client(alex.id)
    # the therapist reads this (a refused save names it): the client by code, not by name, and what to do
    with pytest.raises(NotFound, match=r"^client C-017 is in the bin: restore the client") as caught:
        store.client(alex.id)
    assert "Alex" not in str(caught.value)
    store.restore_client(alex.id)
    store.bin_client(alex.id)
    assert store.clients() == [] and [e.kind for e in store.bin()] == ["client"]
    with pytest.raises(NotFound):
        store.find_client("C-017")
    with pytest.raises(DuplicateCode, match="in the bin"):
        store.add_client("C-017", "Someone new")
    store.restore_client(alex.id)
    assert [c.visit_count for c in store.clients()] == [1]


def test_erase_removes_the_client_visits_and_history(store: Store):
    alex = store.add_client("C-017", "Alex")
    sam = store.add_client("C-018", "Sam")
    visit = store.add_visit(alex.id, headache())
    store.close_visit(visit.id)
    store.update_visit(visit.id, low_back(), expected_version=2, reason="redrawn")
    store.add_visit(sam.id, low_back())
    store.bin_client(alex.id)
    assert store.erase_client(alex.id) == 1
    from sqlalchemy import func, select

    from nmt_bodymap.store.schema import clients, visit_versions, visits

    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(visits)).scalar() == 1  # Sam's
        assert conn.execute(select(func.count()).select_from(visit_versions)).scalar() == 0
        assert conn.execute(select(clients.c.code)).scalars().all() == ["C-018"]
    assert store.bin() == []


def test_erase_leaves_no_trace_in_the_database_file(tmp_path: Path):
    path = tmp_path / "practice.sqlite3"
    with open_store(path) as store:
        secret = store.add_client("C-900", "Unforgettable Zebediah")
        drawing = headache()
        drawing.notes = "Zebediah's private note"
        store.add_visit(secret.id, drawing)
        store.erase_client(secret.id)
    data = path.read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("practice.sqlite3-*"))
    assert b"Zebediah" not in data and b"zebediah" not in data


# -- transactions ------------------------------------------------------------------


def test_a_failing_write_leaves_nothing(store: Store, monkeypatch: pytest.MonkeyPatch):
    alex = store.add_client("C-017")
    store.add_visit(alex.id, low_back(), date="2026-11-01")

    def broken(*_args: object) -> float:
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(progress, "jaccard", broken)  # fails after the visit row was written
    with pytest.raises(RuntimeError, match="simulated"):
        store.add_visit(alex.id, headache(), date="2026-11-08")
    assert len(store.visits(alex.id)) == 1
    assert store.clients()[0].visit_count == 1


# -- import and export -------------------------------------------------------------


def test_import_the_version_1_session_file(store: Store):
    alex = store.add_client("C-017", "Alex Example")
    (visit,) = store.import_files([HEADACHE])  # matched by the session's code
    assert visit.client_id == alex.id and visit.date == dt.date(2026, 11, 20)
    session = store.visit(visit.id).session
    assert session.notes == "Right-sided headache after long drives."
    assert session.assessment["postural"].note == "Forward head posture"
    assert len(session.marks) == len(headache().marks)


def test_import_matches_by_code_then_by_exact_name(store: Store, tmp_path: Path):
    sam = store.add_client("C-100", "Alex Example")  # the file's name, another code
    named = tmp_path / "named.nmt"
    drawing = headache()
    drawing.client_code = ""
    sessions.save(drawing, named)
    assert store.import_files([named])[0].client_id == sam.id
    alex = store.add_client("C-017", "Someone")
    assert store.import_files([HEADACHE])[0].client_id == alex.id  # the code wins over the name
    assert store.match_client(headache()) == store.client(alex.id)
    stranger = headache()
    stranger.client_code, stranger.client_name = "Z-1", ""
    assert store.match_client(stranger) is None


def test_a_damaged_or_unmatched_file_imports_nothing(store: Store, tmp_path: Path):
    alex = store.add_client("C-017", "Alex Example")
    broken = tmp_path / "broken.nmt"
    broken.write_text(HEADACHE.read_text()[:400])
    with pytest.raises(ImportRefused, match=r"broken\.nmt: damaged or truncated"):
        store.import_files([HEADACHE, broken])
    stranger = tmp_path / "stranger.nmt"
    drawing = headache()
    drawing.client_code, drawing.client_name = "Z-9", "Nobody Known"
    sessions.save(drawing, stranger)
    with pytest.raises(ImportRefused, match=r"stranger\.nmt: no client matches 'Z-9'"):
        store.import_files([HEADACHE, stranger])
    assert store.visits(alex.id) == []
    assert len(store.import_files([HEADACHE, stranger], client_id=alex.id, date="2026-12-01")) == 2
    assert [v.date for v in store.visits(alex.id)] == [dt.date(2026, 12, 1)] * 2


def test_export_a_visit_as_a_session_file(store: Store, tmp_path: Path):
    alex = store.add_client("C-017", "Alex Example")
    visit = store.add_visit(alex.id, headache(), date="2026-12-01")
    store.update_client(alex.id, name="Alex Renamed")
    out = store.export_visit(visit.id, tmp_path / "out.nmt")
    again = sessions.load(out)
    assert (again.client_name, again.client_code, again.date) == ("Alex Renamed", "C-017", "2026-12-01")
    assert len(again.marks) == len(headache().marks)
    with pytest.raises(StoreError, match="already exists"):
        store.export_visit(visit.id, out)


def test_export_everything_about_a_client(store: Store, tmp_path: Path):
    alex = store.add_client("C-017", "Alex Example")
    store.add_client("C-018", "Sam Sample")
    first = store.add_visit(alex.id, headache())
    store.close_visit(first.id)
    store.update_visit(first.id, low_back(), expected_version=2, reason="redrawn")
    binned = store.add_visit(alex.id, headache(), date="2026-12-01")
    store.bin_visit(binned.id)
    hooked: list[int] = []

    def hook(visit, folder: Path) -> None:  # type: ignore[no-untyped-def]
        hooked.append(visit.id)
        (folder / f"visit-{visit.id}.pdf").write_bytes(b"%PDF-1.4 stand-in")

    folder = store.export_client(alex.id, tmp_path / "alex", visit_hook=hook)
    record = json.loads((folder / "record.json").read_text())
    assert record["format"] == "nmt-bodymap-client-record" and record["client"]["code"] == "C-017"
    assert [v["id"] for v in record["visits"]] == [first.id, binned.id]
    assert [v["in_bin"] for v in record["visits"]] == [False, True]
    assert record["visits"][0]["earlier_versions"][0]["reason"] == "redrawn"
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(
        [
            "record.json",
            f"visit-2026-11-20-{first.id}.nmt",
            f"visit-2026-12-01-{binned.id}.nmt",
            f"visit-{first.id}.pdf",
            f"visit-{binned.id}.pdf",
        ]
    )
    assert "Sam" not in (folder / "record.json").read_text()
    assert hooked == [first.id, binned.id]
    with pytest.raises(StoreError, match="not an empty folder"):
        store.export_client(alex.id, folder)


def test_a_failed_client_export_leaves_no_folder(store: Store, tmp_path: Path):
    alex = store.add_client("C-017")
    store.add_visit(alex.id, headache())

    def failing(_visit, _folder) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("the PDF writer failed")

    exports = tmp_path / "exports"
    exports.mkdir()
    with pytest.raises(RuntimeError):
        store.export_client(alex.id, exports / "out", visit_hook=failing)
    assert list(exports.iterdir()) == []
