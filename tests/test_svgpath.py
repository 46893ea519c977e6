"""Path helpers: smooth curves through points, sampling, strict path data."""

from __future__ import annotations

import numpy as np
import pytest
import svgelements as se
from hypothesis import given
from hypothesis import strategies as st

from nmt_bodymap.svgpath import PathDataError, check_path_data, element_rings, smooth_beziers, smooth_path_d


def test_smooth_path_passes_through_every_point():
    pts = [(0, 0), (40, 10), (60, 60), (10, 70)]
    segs = smooth_beziers(pts, closed=True)
    assert len(segs) == 4
    starts = [tuple(s[0]) for s in segs]
    assert starts == [tuple(map(float, p)) for p in pts]
    assert np.allclose(segs[-1][3], pts[0])


def test_smooth_path_is_tangent_continuous_except_at_corners():
    pts = [(0, 0), (40, 10), (60, 60), (10, 70)]
    segs = smooth_beziers(pts, closed=True, corners=[2])
    for i in range(4):
        incoming = segs[i - 1][3] - segs[i - 1][2]
        outgoing = segs[i][1] - segs[i][0]
        cross = incoming[0] * outgoing[1] - incoming[1] * outgoing[0]
        aligned = abs(cross) < 1e-6 * np.linalg.norm(incoming) * np.linalg.norm(outgoing)
        assert aligned == (i != 2)


def test_sampling_is_fine_and_fast_enough():
    d = smooth_path_d([(0, 0), (100, 0), (100, 100), (0, 100)])
    rings = element_rings(se.Path(d))
    assert len(rings) == 1
    steps = np.linalg.norm(np.diff(rings[0], axis=0), axis=1)
    assert steps.max() <= 0.6 and steps[steps > 0].mean() <= 0.5


@pytest.mark.parametrize(
    "d, message",
    [
        ("", "empty"),
        ("L 10 10", "start with a move"),
        ("M 0 0 L 10 10 Q 3", "needs 4 numbers"),
        ("M 0 0 L 10 x10", "unexpected"),
        ("M 0 0 L 10 10 Z 5", "numbers after"),
        ("M0 0 A 5 5 0 2 0 10 10", "arc flags"),
    ],
)
def test_bad_path_data_is_named(d, message):
    with pytest.raises(PathDataError, match=message):
        check_path_data(d)


def test_svgelements_would_have_truncated_this_silently():
    bad = "M 0 0 L 10 0 L 10 10 X 0 10 Z"
    assert len(list(se.Path(bad).segments())) < 5  # the trap
    with pytest.raises(PathDataError):
        check_path_data(bad)


@given(st.lists(st.tuples(st.floats(-500, 500), st.floats(-500, 500)), min_size=3, max_size=12))
def test_generated_path_data_always_validates(points):
    d = smooth_path_d(points)
    assert check_path_data(d) == len(points) + 1  # one move, n curves; Z counts as a command
