"""Saves the server refused for a reason other than a conflict: kept with the reason, copied, retried, discarded.

The refusal is real: the client is moved to the bin on the server (SQLite
file and the throwaway PostgreSQL cluster) before the queue is delivered.
The command line (``nmt-bodymap outbox``) is driven on the same databases.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from nmt_bodymap import session as sessions
from nmt_bodymap.cli import main
from nmt_bodymap.store import Outbox, StoreError, flush_outbox, open_store
from nmt_bodymap.store.refused import discard, refused_saves, save_copy, write_copy

HEADACHE = Path(__file__).parent / "fixtures" / "sessions" / "v1-headache.nmt"


@pytest.fixture(autouse=True)
def private_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def drawing(notes: str, code: str = "C-9", date: str = "2026-11-20") -> sessions.Session:
    session = sessions.load(HEADACHE)
    session.notes, session.date, session.client_code, session.client_name = notes, date, code, "Alex Example"
    return session


def refused_add(store_url: str, outbox: Outbox) -> tuple[int, str, str]:
    """A new visit and an edit of it queued, the client binned on the server, the queue flushed."""
    with open_store(store_url, user="jo") as store:
        client = store.add_client("C-9", "Alex Example")
        made = outbox.add(client.id, drawing("first notes"), user="jo", date="2026-11-20")
        edit = outbox.update(made, drawing("edited notes"), user="jo")
        store.bin_client(client.id)  # another therapist deleted the client meanwhile
        report = flush_outbox(store, outbox)
    ((entry, error),) = report.failed
    assert entry.save_id == made.save_id and "in the bin" in str(error)
    assert report.delivered == [] and report.conflicts == [] and report.pending == 2
    return client.id, made.save_id, edit.save_id


def test_a_refused_save_is_kept_with_the_servers_reason_and_goes_once_delivered(store_url: str, tmp_path: Path):
    outbox = Outbox(tmp_path / "outbox")
    client_id, made, edit = refused_add(store_url, outbox)
    (refusal,) = outbox.refusals()
    assert refusal.save_id == made and "client C-9 is in the bin" in refusal.reason and refusal.refused_at
    note = refusal.path.with_suffix(".refused")
    assert stat.S_IMODE(note.stat().st_mode) == 0o600 and len(outbox) == 2  # the note is not a queued save

    (item,) = refused_saves(outbox)  # the edit waits behind it: not refused itself
    assert item.save_id == made and [e.save_id for e in item.later] == [edit] and not item.damaged
    assert item.client_code == "C-9" and item.visit_date == "2026-11-20" and item.queued_at
    assert "in the bin" in item.reason and "\n" not in item.reason

    with open_store(store_url, user="jo") as store:
        store.restore_client(client_id)  # the cause is fixed on the server
        report = flush_outbox(store, outbox)
        assert [e.save_id for e, _ in report.delivered] == [made, edit] and report.failed == []
        (visit,) = store.visits(client_id)
        assert store.visit(visit.id).session.notes == "edited notes"
    assert outbox.refusals() == [] and list(outbox.folder.glob("*.refused")) == [] and len(outbox) == 0


def test_a_copy_holds_the_newest_queued_version_and_never_replaces_a_file(store_url: str, tmp_path: Path):
    outbox = Outbox(tmp_path / "outbox")
    _client_id, made, _edit = refused_add(store_url, outbox)
    (item,) = refused_saves(outbox)
    folder = tmp_path / "copies"
    folder.mkdir()
    first = save_copy(item, folder)
    assert first.name == f"2026-11-20-{made}.nmt" and "Alex" not in first.name
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    copy = sessions.load(first)  # a valid session file
    assert copy.notes == "edited notes" and copy.date == "2026-11-20" and copy.client_code == "C-9"
    assert len(copy.marks) == len(sessions.load(HEADACHE).marks)

    first.write_text("the therapist's own file")
    second = save_copy(item, folder)
    assert second.name == f"2026-11-20-{made}-2.nmt" and first.read_text() == "the therapist's own file"
    with pytest.raises(StoreError, match="exists; nothing was written over it"):
        write_copy(item, first)
    assert first.read_text() == "the therapist's own file" and len(outbox) == 2  # copying keeps the save


def test_discarding_drops_the_save_its_later_edits_and_the_reason(store_url: str, tmp_path: Path):
    outbox = Outbox(tmp_path / "outbox")
    client_id, made, edit = refused_add(store_url, outbox)
    with open_store(store_url, user="jo") as store:
        other = store.add_client("C-10")
        waiting = outbox.add(other.id, drawing("another client's visit", "C-10"), user="jo")
    (item,) = refused_saves(outbox)
    assert discard(outbox, item) == [made, edit]
    assert [e.save_id for e in outbox.pending()] == [waiting.save_id]
    assert outbox.refusals() == [] and list(outbox.folder.glob("*.refused")) == []
    with open_store(store_url, user="jo") as store:
        store.restore_client(client_id)
        report = flush_outbox(store, outbox)
        assert [e.save_id for e, _ in report.delivered] == [waiting.save_id]
        assert store.visits(client_id) == []  # the discarded visit never reaches the server


def test_a_damaged_queue_file_is_listed_as_damaged_and_can_only_be_discarded(store_url: str, tmp_path: Path):
    outbox = Outbox(tmp_path / "outbox")
    with open_store(store_url) as store:
        client = store.add_client("C-1")
        outbox.add(client.id, drawing("fine"), user="jo")
        damaged = outbox.folder / "00000000000000000001-broken.json"
        damaged.write_text("{not json")
        flush_outbox(store, outbox)
    (item,) = refused_saves(outbox)
    assert item.damaged and item.path == damaged and item.save_id == "broken"
    assert "cannot be read" in item.reason and str(damaged) in item.reason
    with pytest.raises(StoreError, match="damaged"):
        save_copy(item, tmp_path)
    assert discard(outbox, item) == ["broken"]
    assert not damaged.exists() and refused_saves(outbox) == [] and outbox.pending() == []


def test_a_refusal_that_becomes_a_conflict_is_no_longer_listed_as_refused(store_url: str, tmp_path: Path):
    outbox = Outbox(tmp_path / "outbox")
    with open_store(store_url, user="jo") as store:
        client = store.add_client("C-1")
        visit = store.add_visit(client.id, drawing("first"))
        mine = outbox.update(visit.id, drawing("jo's offline edit"), user="jo", expected_version=1)
        store.bin_visit(visit.id)
        assert len(flush_outbox(store, outbox).failed) == 1 and len(outbox.refusals()) == 1
        store.restore_visit(visit.id)
        store.update_visit(visit.id, drawing("sam's edit"), expected_version=store.visit(visit.id).version)
        report = flush_outbox(store, outbox)
    ((entry, _conflict),) = report.conflicts
    assert entry.save_id == mine.save_id and outbox.refusals() == [] and refused_saves(outbox) == []


# -- the command line ------------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def test_the_outbox_command_lists_exports_discards_and_retries(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    with open_store(store_url) as store:
        db = store.db
    outbox = Outbox.for_database(db)
    client_id, made, edit = refused_add(store_url, outbox)

    status, out, _ = run(capsys, "outbox", "list", "--db", store_url)
    assert status == 0 and "2 queued save(s), 1 refused or damaged" in out
    (line,) = [row for row in out.splitlines() if row.startswith(made)]
    assert "refused" in line and "C-9" in line and "2026-11-20" in line and "in the bin" in line
    status, out, _ = run(capsys, "outbox", "list", "--json", "--db", store_url)
    rows = json.loads(out)["saves"]
    assert [(r["save_id"], r["state"], r["later_edits"]) for r in rows] == [(made, "refused", 1), (edit, "waiting", 0)]

    target = tmp_path / "kept.nmt"
    status, out, _ = run(capsys, "outbox", "export", made[:8], str(target), "--db", store_url)
    assert status == 0 and sessions.load(target).notes == "edited notes"
    status, _, err = run(capsys, "outbox", "export", made, str(target), "--db", store_url)
    assert status == 2 and len(err.strip().splitlines()) == 1 and "nothing was written over it" in err
    status, _, err = run(capsys, "outbox", "discard", made, "--db", store_url)
    assert status == 2 and "--yes" in err and len(outbox) == 2  # not without --yes
    status, _, err = run(capsys, "outbox", "discard", "zzzz", "--yes", "--db", store_url)
    assert status == 2 and "no queued save 'zzzz'" in err

    status, out, _ = run(capsys, "outbox", "retry", "--db", store_url)
    assert status == 0 and "delivered 0" in out and "refused 1" in out and "in the bin" in out
    with open_store(store_url) as store:
        store.restore_client(client_id)
    status, out, _ = run(capsys, "outbox", "retry", "--db", store_url)
    assert status == 0 and "delivered 2" in out and "left 0" in out and len(outbox) == 0

    queued = outbox.add(client_id, drawing("to let go"), user="jo")
    status, out, _ = run(capsys, "outbox", "discard", queued.save_id, "--yes", "--db", store_url)
    assert status == 0 and queued.save_id in out and len(outbox) == 0
