"""Guarded reading: only regular files within a limit, TOML and SVG faults as one clear error."""

from __future__ import annotations

import os
import socket

import pytest

from nmt_bodymap.guarded import BadFile, parse_toml, read_limited, shown
from nmt_bodymap.svgdoc import SvgError, read_svg
from nmt_bodymap.svgscan import MAX_DEPTH, MAX_ELEMENTS, MAX_PATH_SEGMENTS, path_segments

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs, sockets and /dev/zero are POSIX")


def test_a_regular_file_and_a_symlink_to_one_are_read(tmp_path):
    (tmp_path / "a.toml").write_bytes(b"x = 1\n")
    assert read_limited(tmp_path / "a.toml", 100) == b"x = 1\n"
    if os.name == "posix":
        (tmp_path / "link.toml").symlink_to(tmp_path / "a.toml")
        assert read_limited(tmp_path / "link.toml", 100) == b"x = 1\n"


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path):
    (tmp_path / "big.svg").write_bytes(b"x" * 2049)
    with pytest.raises(BadFile, match="is 2,049 bytes, over the limit of 2 KB") as info:
        read_limited(tmp_path / "big.svg", 2048)
    assert info.value.source == str(tmp_path / "big.svg")
    assert read_limited(tmp_path / "big.svg", 2049) == b"x" * 2049


def test_missing_files_and_folders_are_named(tmp_path):
    with pytest.raises(BadFile, match="cannot read"):
        read_limited(tmp_path / "none.svg", 100)
    with pytest.raises(BadFile, match="is a folder, not a regular file"):
        read_limited(tmp_path, 100)


@posix_only
def test_a_fifo_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.svg")
    with pytest.raises(BadFile, match="FIFO"):
        read_limited(tmp_path / "pipe.svg", 100)


@posix_only
def test_dev_zero_behind_a_symlink_is_refused(tmp_path):
    (tmp_path / "zero.svg").symlink_to("/dev/zero")
    with pytest.raises(BadFile, match="character device"):
        read_limited(tmp_path / "zero.svg", 100)


@posix_only
def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "s.svg"
    if len(str(path)) > 100:
        pytest.skip("socket path too long for AF_UNIX")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(BadFile, match="socket"):
            read_limited(path, 100)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (b"a = " + b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"a = " + b"1" * 5_000, "Exceeds the limit (4300 digits)"),
        (b"a = \xff", "not UTF-8"),
        (b'a = "unclosed', "malformed TOML"),
    ],
)
def test_toml_faults_are_one_error(text, words):
    with pytest.raises(BadFile, match=None) as info:
        parse_toml(text, "m.toml")
    assert words in info.value.reason
    assert str(info.value).startswith("m.toml: ")


def test_shown_cuts_and_never_raises():
    assert shown("x" * 500).endswith("…") and len(shown("x" * 500)) == 60
    assert "too large" in shown(int("1" * 4000) ** 2)  # more digits than str() converts
    nested: list = []
    for _ in range(100_000):
        nested = [nested]
    assert "too large" in shown(nested)


SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('<circle cx="1" cy="1" r="1"/>' * MAX_ELEMENTS, f"more than {MAX_ELEMENTS:,} elements"),
        ("<g>" * (MAX_DEPTH + 1) + "</g>" * (MAX_DEPTH + 1), f"nested more than {MAX_DEPTH} deep"),
        (f'<path d="M0,0 {"L1,1 " * MAX_PATH_SEGMENTS}"/>', f"more than {MAX_PATH_SEGMENTS:,} path segments"),
        (f'<polygon points="{"1,1 " * (MAX_PATH_SEGMENTS + 1)}"/>', "path segments"),
        ('<circle id="c" r="1"/><use href="#c"/>', "<use> (a clone) is not allowed"),
        ('<circle cx="1" cy="1" r="0"/>', "'r' must be a number above 0, got '0'"),
        ('<circle cx="1" cy="1" r="-5"/>', "got '-5'"),
        ('<circle cx="1" cy="1" r="nan"/>', "got 'nan'"),
        ('<circle cx="1" cy="1"/>', "needs a 'r' above 0"),
        ('<rect width="0" height="4"/>', "'width' must be a number above 0"),
        ('<ellipse rx="-1" ry="2"/>', "'rx' must be a number above 0"),
        ('<path d="M0,0 L1e300,0 L0,1e300 Z"/>', "coordinates beyond"),
        ('<path d="M0,0 C 9e5,0 9e5,9e5 0,9e5 C 9e5,0 9e5,9e5 0,0 Z"/>', "sampled points"),
        ('<path transform="rotate(garbage)" d="M0,0 L1,1 L0,1 Z"/>', "cannot parse SVG"),
    ],
)
def test_svg_limits_and_faults_are_one_error(body, words):
    with pytest.raises(SvgError) as info:
        read_svg("m.svg", (SVG_HEAD + body + "</svg>").encode())
    assert words in str(info.value)


@pytest.mark.parametrize(
    ("root", "words"),
    [
        ('viewBox="0 0 0 0"', "above 0"),
        ('viewBox="nan 0 inf 0"', "finite"),
        ('viewBox="0 0 10"', "four numbers"),
        ('viewBox="0 0 10 10" width="0"', "width must be above 0"),
        ("", "no viewBox"),
    ],
)
def test_a_bad_viewbox_is_refused(root, words):
    with pytest.raises(SvgError, match=words):
        read_svg("m.svg", f'<svg xmlns="http://www.w3.org/2000/svg" {root}><g/></svg>'.encode())


def test_not_svg_and_entities_are_refused():
    with pytest.raises(SvgError, match="root element is <html>"):
        read_svg("m.svg", b"<html/>")
    with pytest.raises(SvgError, match="entities are not allowed"):
        read_svg("m.svg", b'<!DOCTYPE svg [<!ENTITY a "b">]><svg viewBox="0 0 1 1">&a;</svg>')
    with pytest.raises(SvgError, match="entities are not allowed"):
        read_svg("m.svg", b'<!DOCTYPE svg [<!ENTITY e SYSTEM "file:///dev/zero">]><svg viewBox="0 0 1 1">&e;</svg>')


def test_an_image_linking_dev_zero_is_never_read():
    doc = read_svg("m.svg", (SVG_HEAD + '<image href="/dev/zero" width="10" height="10"/></svg>').encode())
    assert doc.shapes == []


def test_path_segments_counts_implicit_repeats():
    assert path_segments("M0,0 L1,1 2,2 3,3 Z") == 5
    assert path_segments("M0 0 C1 1 2 2 3 3 4 4 5 5 6 6") == 3
    assert path_segments("m0,0 h1 v1 h-1 z") == 5
