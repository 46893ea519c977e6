"""The cache is verified before use: a keyed hash per entry, a structural check, private folders."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path

import pytest

from nmt_bodymap import cache, paths, resources
from nmt_bodymap.atlas import load_atlas
from nmt_bodymap.atlas import loader as atlas_loader
from nmt_bodymap.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """A cache folder and data folder (holding the key) of this test's own."""
    monkeypatch.setenv("NMT_BODYMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "cache"


@pytest.fixture
def copied_cache(tmp_path, monkeypatch):
    """A copy of the test session's cache (warm if earlier tests filled it), keyed by the session's key."""
    session = Path(os.environ["NMT_BODYMAP_CACHE_DIR"])
    copy = tmp_path / "cache"
    if session.is_dir():
        shutil.copytree(session, copy)
    monkeypatch.setenv("NMT_BODYMAP_CACHE_DIR", str(copy))
    return copy


def entry_path(folder: Path, muscle: Path) -> Path:
    toml, svg = muscle.with_suffix(".toml"), muscle.with_suffix(".svg")
    key = cache.digest(atlas_loader.COMPILER, atlas_loader.chart_digest(), toml.read_bytes(), svg.read_bytes())
    return folder / "atlas" / f"{key}.json"


def split(entry: Path) -> tuple[bytes, dict]:
    header, _, payload = entry.read_bytes().partition(b"\n")
    return header, json.loads(payload)


def forge(entry: Path, value: dict, signed: bool) -> None:
    """Rewrite an entry: with a stale HMAC (an attacker without the key), or signed with the key."""
    payload = json.dumps(value, separators=(",", ":")).encode()
    header = split(entry)[0]
    if signed:
        key = cache.secret()
        assert key is not None
        header = b"hmac-sha256 " + cache._mac(key, "atlas", entry.stem, payload).encode()
    entry.write_bytes(header + b"\n" + payload)


def hollow(value: dict) -> dict:
    """The issue's attack: one muscle's lists emptied (temporalis: 402 sided trigger points instead of 410)."""
    value["instances"] = {trp: {} for trp in value["instances"]}
    return value


def test_entries_carry_an_hmac_and_the_key_is_private(private_cache, tmp_path):
    atlas = load_atlas([FIXTURES / "atlas_good"])
    entry = entry_path(private_cache, FIXTURES / "atlas_good" / "example")
    header, value = split(entry)
    assert header.startswith(b"hmac-sha256 ") and len(header) == len("hmac-sha256 ") + 64
    assert set(value) == {"problems", "instances"}
    key_file = tmp_path / "data" / paths.APP_NAME / paths.APP_NAME / cache.KEY_FILE
    assert key_file.stat().st_size == 32
    if os.name == "posix":
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert list(atlas.muscles) == ["example"]


@pytest.mark.parametrize("signed", [False, True], ids=["stale-hmac", "valid-hmac-bad-structure"])
def test_a_hollowed_entry_is_recompiled_and_rewritten(private_cache, monkeypatch, signed):
    first = load_atlas([FIXTURES / "atlas_good"])
    entry = entry_path(private_cache, FIXTURES / "atlas_good" / "example")
    good_bytes = entry.read_bytes()
    forge(entry, hollow(split(entry)[1]), signed)
    calls: list[str] = []
    real = atlas_loader._compile
    monkeypatch.setattr(atlas_loader, "_compile", lambda toml, *a: calls.append(toml.name) or real(toml, *a))
    again = load_atlas([FIXTURES / "atlas_good"])
    assert calls == ["example.toml"]
    assert [s.key for s in again.sided] == [s.key for s in first.sided]
    assert entry.read_bytes() == good_bytes  # rewritten


def test_an_entry_copied_under_another_key_is_refused(private_cache, tmp_path):
    load_atlas([FIXTURES / "atlas_good"])
    entry = entry_path(private_cache, FIXTURES / "atlas_good" / "example")
    other = entry.with_name("0" * 64 + ".json")
    shutil.copy(entry, other)
    assert cache.load("atlas", entry.stem) is not None
    assert cache.load("atlas", other.stem) is None
    assert cache.load("chart", entry.stem) is None  # nor in another bucket


def test_a_tampered_chart_entry_is_recompiled(private_cache):
    from nmt_bodymap.chart import CHART_COMPILER, load_view

    load_view("plantar")
    data = resources.chart_svg("plantar").read_bytes()
    entry = private_cache / "chart" / f"{cache.digest(CHART_COMPILER, 'plantar', data)}.json"
    _, value = split(entry)
    value["regions"] = value["regions"][:1]
    payload = json.dumps(value).encode()
    key = cache.secret()
    assert key is not None
    entry.write_bytes(b"hmac-sha256 " + cache._mac(key, "chart", entry.stem, payload).encode() + b"\n" + payload)
    assert len(load_view("plantar").regions) == 20
    assert len(split(entry)[1]["regions"]) == 20


def test_the_issue_reproduction_hollowed_temporalis(copied_cache, capsys):
    """Emptying one muscle's entry changed atlas check (402 of 410 then) and the lookup; it must not."""
    atlas_loader.shipped_atlas.cache_clear()

    def run(*argv: str) -> str:
        atlas_loader.shipped_atlas.cache_clear()
        assert main(list(argv)) == 0
        return capsys.readouterr().out

    whole = run("atlas", "check")
    count = re.search(r"(\d+) sided trigger points", whole)
    assert count, whole
    expected = f"{count.group(1)} sided trigger points"
    before = json.loads(run("lookup", "--at", "temple:right", "--json"))
    temporalis = resources.atlas_dir() / "head-neck" / "temporalis"
    entry = entry_path(copied_cache, temporalis)
    for signed in (False, True):
        forge(entry, hollow(split(entry)[1]), signed)
        assert expected in run("atlas", "check")
        forge(entry, hollow(split(entry)[1]), signed)
        after = json.loads(run("lookup", "--at", "temple:right", "--json"))
        assert after == before
        assert "temporalis" in [c["muscle"] for c in after["candidates"][:3]]  # the hollowed muscle still ranks
    atlas_loader.shipped_atlas.cache_clear()


@posix_only
def test_cache_and_key_folders_are_private_under_umask_000(tmp_path, monkeypatch):
    monkeypatch.setenv("NMT_BODYMAP_CACHE_DIR", str(tmp_path / "x" / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "d"))
    old = os.umask(0)
    try:
        load_atlas([FIXTURES / "atlas_good"])
    finally:
        os.umask(old)
    made = [tmp_path / "x", tmp_path / "x" / "cache", tmp_path / "x" / "cache" / "atlas"]
    made += [tmp_path / "d", tmp_path / "d" / paths.APP_NAME, paths.data_dir()]
    for folder in made:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for f in [*(tmp_path / "x" / "cache" / "atlas").iterdir(), paths.data_dir() / cache.KEY_FILE]:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f


@posix_only
def test_a_loose_existing_cache_folder_is_tightened(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    monkeypatch.setenv("NMT_BODYMAP_CACHE_DIR", str(folder))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    load_atlas([FIXTURES / "atlas_good"])
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@posix_only
def test_a_key_readable_by_others_is_replaced(private_cache, tmp_path):
    key_file = paths.data_dir() / cache.KEY_FILE
    paths.private_dir(key_file.parent)
    key_file.write_bytes(b"k" * 32)
    key_file.chmod(0o644)
    key = cache._load_or_make_key(key_file)
    assert key is not None and key != b"k" * 32
    assert key_file.read_bytes() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_without_a_writable_data_folder_the_cache_is_off(private_cache, tmp_path, monkeypatch):
    load_atlas([FIXTURES / "atlas_good"])
    entries = sorted((private_cache / "atlas").iterdir())
    (tmp_path / "blocked").write_text("a file where the data folder should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "blocked"))
    assert cache.secret() is None
    calls: list[str] = []
    real = atlas_loader._compile
    monkeypatch.setattr(atlas_loader, "_compile", lambda toml, *a: calls.append(toml.name) or real(toml, *a))
    atlas = load_atlas([FIXTURES / "atlas_good"])
    assert list(atlas.muscles) == ["example"]
    assert calls == ["example.toml"]  # the existing entry was not trusted
    assert sorted((private_cache / "atlas").iterdir()) == entries  # and nothing unkeyed was written


def test_garbage_entries_are_ignored(private_cache):
    load_atlas([FIXTURES / "atlas_good"])
    entry = entry_path(private_cache, FIXTURES / "atlas_good" / "example")
    for junk in (b"", b"{not json", b"hmac-sha256 zz\n{}", b"hmac-sha256 " + b"0" * 64 + b"\n[" * 100_000):
        entry.write_bytes(junk)
        assert list(load_atlas([FIXTURES / "atlas_good"]).muscles) == ["example"]
    if os.name == "posix":
        entry.unlink()
        os.mkfifo(entry)
        assert cache.load("atlas", entry.stem) is None
