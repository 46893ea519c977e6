"""Hostile atlas files: each is a Problem naming the file, never an exception or a hang.

The reproductions of issue 12 (huge, deep, device and FIFO files, bombs,
degenerate viewBoxes and radii) plus property-based tests that generate
hostile TOML and SVG values of the same classes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nmt_bodymap.atlas import load_atlas

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from make_atlas_fixtures import good, large_cases, write

GOOD_TOML, GOOD_SVG = good()
posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")

LARGE_EXPECTED = {
    "toml-nested-100000-deep": ("example.toml", "nested too deeply"),
    "svg-over-2-mb": ("example.svg", "over the limit of 2 MB"),
    "svg-too-many-elements": ("example.svg", "more than 1,000 elements"),
    "svg-too-many-segments": ("example.svg", "more than 50,000 path segments"),
    "svg-nested-1000-deep": ("example.svg", "nested more than 32 deep"),
}


def assert_named(atlas, folder: Path, file_name: str, words: str) -> None:
    assert "example" not in atlas.muscles
    hits = [p for p in atlas.problems if Path(p.file) == folder / file_name and words in p.message]
    assert hits, [str(p) for p in atlas.problems]
    assert any(Path(s).parent == folder for s in atlas.skipped)


def test_every_large_case_is_expected():
    assert set(large_cases()) == set(LARGE_EXPECTED)


@pytest.mark.parametrize("case", sorted(LARGE_EXPECTED))
def test_large_hostile_files_are_refused_by_limits(tmp_path, case):
    toml, svg = large_cases()[case]
    write(tmp_path / case, "example", toml, svg)
    atlas = load_atlas([tmp_path / case])
    assert_named(atlas, tmp_path / case, *LARGE_EXPECTED[case])


@posix_only
@pytest.mark.parametrize(
    ("kind", "words"),
    [("fifo", "FIFO"), ("dev-zero", "character device"), ("folder", "is a folder"), ("dangling", "cannot read")],
)
def test_special_files_are_refused(tmp_path, kind, words):
    (tmp_path / "example.toml").write_text(GOOD_TOML)
    svg = tmp_path / "example.svg"
    if kind == "fifo":
        os.mkfifo(svg)
    elif kind == "dev-zero":
        svg.symlink_to("/dev/zero")
    elif kind == "folder":
        svg.mkdir()
    else:
        svg.symlink_to(tmp_path / "gone.svg")
    assert_named(load_atlas([tmp_path]), tmp_path, "example.svg", words)


@posix_only
def test_a_symlinked_muscle_loads(tmp_path):
    (tmp_path / "real").mkdir()
    write(tmp_path / "real", "example", GOOD_TOML, GOOD_SVG)
    (tmp_path / "atlas").mkdir()
    for name in ("example.toml", "example.svg"):
        (tmp_path / "atlas" / name).symlink_to(tmp_path / "real" / name)
    atlas = load_atlas([tmp_path / "atlas"])
    assert atlas.problems == [] and list(atlas.muscles) == ["example"]


def test_an_unforeseen_exception_is_a_problem_too(tmp_path, monkeypatch):
    from nmt_bodymap.atlas import loader

    def boom(*_args):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(loader, "_compile", boom)
    write(tmp_path, "other", GOOD_TOML.replace('id = "example"', 'id = "other"'), GOOD_SVG)
    atlas = load_atlas([tmp_path])
    assert [str(p) for p in atlas.problems] == [
        f"{tmp_path / 'other.toml'}: cannot be loaded (ZeroDivisionError: float division by zero)"
    ]


@posix_only
def test_atlas_check_names_every_hostile_file_without_a_traceback(tmp_path):
    """The issue's reproductions through the real command, in one process."""
    for case, (toml, svg) in large_cases().items():
        write(tmp_path / case, "example", toml, svg)
    fixtures = Path(__file__).parent / "fixtures" / "atlas_bad"
    for case in ("viewbox-zero", "viewbox-not-finite", "trp-radius-zero", "trp-radius-negative", "use-bomb"):
        write(tmp_path / case, "example", (fixtures / case / "example.toml").read_text(), None)
        (tmp_path / case / "example.svg").write_bytes((fixtures / case / "example.svg").read_bytes())
    write(
        tmp_path / "toml-huge-integer", "example", GOOD_TOML.replace("format = 1", "format = " + "1" * 5000), GOOD_SVG
    )
    for case, make in (("fifo", lambda p: os.mkfifo(p)), ("dev-zero", lambda p: p.symlink_to("/dev/zero"))):
        write(tmp_path / case, "example", GOOD_TOML, None)
        make(tmp_path / case / "example.svg")
    result = subprocess.run(
        [sys.executable, "-m", "nmt_bodymap", "atlas", "check", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    for case in [p.name for p in tmp_path.iterdir()]:
        assert str(tmp_path / case / "example.") in result.stdout, case
    assert "0 muscle(s) valid" in result.stdout


# -- property-based: generated hostile values -----------------------------------------------

TOML_FIELDS = {
    "format": "format = 1",
    "id": 'id = "example"',
    "name": 'name = "Example muscle"',
    "synonyms": 'synonyms = ["test muscle"]',
    "near": 'near = "superior-angle-of-scapula"',
    "regions": 'regions = ["neck-side"]',
    "cause": 'cause = "postural"',
}

#: TOML values that must make the file fail, and values that may or may not.
FATAL_TOML = st.one_of(
    st.integers(1_000, 100_000).map(lambda n: "[" * n + "]" * n),
    st.integers(4_301, 6_000).map(lambda n: "1" * n),
    st.integers(1, 30).map(lambda n: '"unclosed' + "x" * n),
)
ANY_TOML = st.one_of(
    FATAL_TOML,
    st.integers(4_000, 6_000).map(lambda n: "0x" + "f" * n),  # hexadecimal is exempt from the digit limit
    st.sampled_from(["inf", "nan", "-inf", "1e400", "true", "{}", "[]", '""', "[1, 'a']", "1979-05-27T07:32:00Z"]),
    st.text(max_size=40).map(json.dumps),
    st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
)


def _replace_toml(field: str, value: str) -> str:
    old = TOML_FIELDS[field]
    return GOOD_TOML.replace(old, old.split(" = ")[0] + " = " + value, 1)


def _check(folder: Path, must_fail_file: str | None) -> None:
    atlas = load_atlas([folder])  # must not raise
    for problem in atlas.problems:
        assert Path(problem.file).parent == folder, str(problem)
        assert problem.message and str(problem).startswith(problem.file)
    if "example" not in atlas.muscles:
        assert atlas.problems and atlas.skipped
    if must_fail_file:
        assert any(Path(p.file).name == must_fail_file for p in atlas.problems), [str(p) for p in atlas.problems]


# A generous per-example deadline: a guard against hangs, not a speed test (benchmarks/hostile_atlas.py times them).
# NMT_HOSTILE_EXAMPLES raises the number of examples for a longer hunt.
HOSTILE = settings(
    max_examples=int(os.environ.get("NMT_HOSTILE_EXAMPLES", "25")),
    deadline=20_000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
)


@HOSTILE
@given(field=st.sampled_from(sorted(TOML_FIELDS)), value=ANY_TOML)
def test_hostile_toml_values_never_stop_the_load(tmp_path_factory, field, value):
    folder = tmp_path_factory.mktemp("toml")
    write(folder, "example", _replace_toml(field, value).encode("utf-8", "surrogatepass"), GOOD_SVG)
    _check(folder, "example.toml" if _is_fatal(value) else None)


def _is_fatal(value: str) -> bool:
    return value.startswith("[[") or value.startswith('"unclosed') or (value.isdigit() and len(value) > 4300)


NUMBERS = st.one_of(
    st.sampled_from(["0", "-0", "-5", "nan", "inf", "-inf", "1e400", "1e-320", "", "abc", "1e308"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
PATH_TOKENS = st.sampled_from(
    [*"MmLlCcZzAaQqHhVvSsTt", "0", "1", "-1", "1e308", "nan", ",", ".", "inf", "1e-320", "9e5"]
)
TRANSFORMS = st.sampled_from(
    [
        "rotate(garbage)",
        "scale(0)",
        "matrix(0 0 0 0 0 0)",
        "scale(1e308)",
        "translate(nan)",
        "skewX(90)",
        "scale(1e-300)",
    ]
)


@st.composite
def hostile_svg(draw) -> tuple[str, bool]:
    """An SVG with one hostile change, and whether it must be refused."""
    kind = draw(st.sampled_from(["viewbox", "radius", "path", "transform", "nesting", "use", "truncated", "bytes"]))
    s = GOOD_SVG
    if kind == "viewbox":
        box = draw(st.lists(NUMBERS, min_size=4, max_size=4))
        out = s.replace('viewBox="0 0 4140 1860"', f'viewBox="{" ".join(box)}"', 1)
        try:
            numbers = [float(v) for v in box]
            fatal = not all(abs(v) < float("inf") for v in numbers) or numbers[2] <= 0 or numbers[3] <= 0
        except ValueError:
            fatal = True
        return out, fatal
    if kind == "radius":
        r = draw(NUMBERS)
        try:
            fatal = not 0 < float(r) < float("inf")
        except ValueError:
            fatal = True
        return s.replace('cx="90" cy="336" r="4"', f'cx="90" cy="336" r="{r}"', 1), fatal
    if kind == "path":
        d = " ".join(draw(st.lists(PATH_TOKENS, max_size=60)))
        return s.replace('d="M30,240', f'd="{d}" data-x="', 1), False
    if kind == "transform":
        return s.replace(
            'id="trp1-posterior-essential-1"', f'id="trp1-posterior-essential-1" transform="{draw(TRANSFORMS)}"', 1
        ), False
    if kind == "nesting":
        depth = draw(st.integers(33, 3_000))
        head, _, tail = s.partition('<g id="posterior"')
        return head + "<g>" * depth + '<g id="posterior"' + tail.replace("</svg>", "</g>" * depth + "</svg>"), True
    if kind == "use":
        copies = draw(st.integers(1, 20))
        return s.replace("</svg>", '<use href="#trp1-posterior"/>' * copies + "</svg>"), True
    if kind == "truncated":
        cut = draw(st.integers(0, len(s) - 10))
        return s[:cut], True
    return draw(st.binary(max_size=200)).decode("latin-1"), True


@HOSTILE
@given(case=hostile_svg())
def test_hostile_svg_values_never_stop_the_load(tmp_path_factory, case):
    svg, fatal = case
    folder = tmp_path_factory.mktemp("svg")
    write(folder, "example", GOOD_TOML, None)
    (folder / "example.svg").write_bytes(svg.encode("utf-8", "surrogatepass"))
    _check(folder, "example.svg" if fatal else None)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 0 0"/>', "viewBox width and height must be above 0"),
        (b"<svg", "malformed XML"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><g/></svg>', "no body outline"),
    ],
)
def test_a_bad_chart_file_is_a_chart_error_naming_it(tmp_path, monkeypatch, content, words):
    from nmt_bodymap import resources
    from nmt_bodymap.chart import ChartError, load_view

    bad = tmp_path / "plantar.svg"
    bad.write_bytes(content)
    monkeypatch.setattr(resources, "chart_svg", lambda _view: bad)
    with pytest.raises(ChartError) as info:
        load_view("plantar")
    assert info.value.file == str(bad) and words in info.value.reason


def test_a_broken_chart_is_a_problem_not_an_exception(monkeypatch):
    from nmt_bodymap.atlas import loader
    from nmt_bodymap.chart import ChartError

    def broken():
        raise ChartError("is a FIFO (named pipe), not a regular file", "/x/anterior.svg")

    monkeypatch.setattr(loader, "load_chart", broken)
    atlas = load_atlas([Path(__file__).parent / "fixtures" / "atlas_good"])
    assert [str(p) for p in atlas.problems] == ["/x/anterior.svg: is a FIFO (named pipe), not a regular file"]
    assert atlas.muscles == {} and atlas.skipped == ["/x/anterior.svg"]
