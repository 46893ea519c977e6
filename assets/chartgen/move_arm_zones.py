"""Move atlas drawings on the lateral views' forearm and hand onto the bent arm.

The lateral views once drew the arm hanging straight down over the hip; now
the elbow is slightly bent (``lateral.bend``) so the forearm and hand hang in
front of the thigh. Zones and trigger point markers an author drew on the
straight forearm must move with it. Run from the repository root::

    python assets/chartgen/move_arm_zones.py FILE.svg [ID ...]

It was run once over the whole atlas when the elbow was bent. Run it again
only on drawings made for the straight arm (an atlas file from before the
bend), naming their element ids: a drawing already moved would move twice.
Without ids it moves, in the lateral view groups of FILE, every zone whose
anchors (``data-contains``) all lie on the arm, and every trigger point marker
on the forearm or hand whose ``near`` landmark (in the TOML file beside it) is
one of the arm and hand. Only coordinates
change: ids, anchors and styles stay as they are. The left-lateral view is
the mirror image (x -> -x).
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))

import lateral  # noqa: E402
from shapely.geometry import Point, Polygon  # noqa: E402
from shapes import Outline  # noqa: E402

from nmt_bodymap.chart import LANDMARKS  # noqa: E402

ROOT = HERE.parent.parent
VIEWS = {"right-lateral": 1.0, "left-lateral": -1.0}  # the view and its x sign
NUM = r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?"
Fn = Callable[[float, float], tuple[float, float]]


def _fmt(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _arm(points: list[tuple[float, float]]) -> Polygon:
    arm = Outline()
    for i, (x, y) in enumerate(points):
        arm.add(x, y, corner=i in lateral.ARM_CORNERS)
    return arm.polygon()


STRAIGHT_ARM = _arm(lateral.ARM)
STRAIGHT_LANDMARKS = {lid: (float(x), float(y)) for lid, x, y in lateral.LANDMARKS}
# Landmarks on the arm: those that move with the bend, and those of the upper arm above it.
ARM_LANDMARKS = set(lateral.ON_ARM) | {
    lid
    for lid, (x, y) in STRAIGHT_LANDMARKS.items()
    if y <= lateral.ELBOW_BEND[0] and STRAIGHT_ARM.contains(Point(x, y))
}


def transform_d(d: str, fn: Fn) -> str:
    """Apply ``fn`` to every point of path data made of absolute M, L, C and Z."""
    if re.search(r"[^MLCZ0-9eE.,\s-]", d):
        raise ValueError(f"path data with commands other than absolute M, L, C, Z: {d[:60]}...")
    out: list[str] = []
    for token in re.findall(r"[MLCZ]|" + NUM + r"\s*,\s*" + NUM + "|" + NUM, d):
        if token in "MLCZ":
            out.append(token)
            continue
        x, y = (float(v) for v in re.split(r"\s*,\s*", token))
        nx, ny = fn(x, y)
        out.append(f"{_fmt(nx)},{_fmt(ny)}")
    text = ""
    for token in out:
        if token in "MLCZ":
            text += (" " if text else "") + token
        else:
            text += token if text.endswith(tuple("MLC")) else " " + token
    return text


def _on_arm(anchor: str) -> bool:
    return anchor.partition(":")[0] in ARM_LANDMARKS


def _move(sign: float) -> Fn:
    def fn(x: float, y: float) -> tuple[float, float]:
        bx, by = lateral.bend(x * sign, y)
        return bx * sign, by

    return fn


def _arm_trigger_points(svg: Path) -> set[str]:
    """Trigger points whose ``near`` landmark is on the arm or hand."""
    toml = svg.with_suffix(".toml")
    if not toml.exists():
        return set()
    data = tomllib.loads(toml.read_text(encoding="utf-8"))
    return {
        tp["id"]
        for tp in data.get("trigger_point", [])
        if tp.get("near") in LANDMARKS and LANDMARKS[tp["near"]].group == "arm and hand"
    }


def migrate(path: Path, ids: set[str] | None = None) -> list[str]:
    """Move the arm drawings of one atlas file (only ``ids`` if given); returns the ids moved."""
    text = path.read_text(encoding="utf-8")
    arm_trps = _arm_trigger_points(path)
    moved: list[str] = []
    for view, sign in VIEWS.items():
        group = re.search(r'<g\b[^>]*data-view="' + view + r'"[^>]*>(.*?)</g>', text, re.S)
        if not group:
            continue
        body = group.group(1)
        new_body = body
        for el in re.finditer(r"<(path|circle)\b[^>]*/>", body, re.S):
            tag, src = el.group(1), el.group(0)
            eid = re.search(r'\bid="([^"]*)"', src)
            if not eid or (ids is not None and eid.group(1) not in ids):
                continue
            if tag == "circle":
                cx = float(re.search(r'\bcx="(' + NUM + ')"', src).group(1)) * sign
                cy = float(re.search(r'\bcy="(' + NUM + ')"', src).group(1))
                trp = re.search(r'\bdata-trp="([^"]*)"', src)
                on_forearm = (
                    cy > lateral.ELBOW_BEND[0]
                    and STRAIGHT_ARM.contains(Point(cx, cy))
                    and trp is not None
                    and trp.group(1) in arm_trps
                )
                if ids is None and not on_forearm:
                    continue
                nx, ny = _move(sign)(cx * sign, cy)
                dst = re.sub(r'\bcx="' + NUM + '"', f'cx="{_fmt(nx)}"', src)
                dst = re.sub(r'\bcy="' + NUM + '"', f'cy="{_fmt(ny)}"', dst)
            else:
                anchors = re.search(r'\bdata-contains="([^"]*)"', src)
                names = anchors.group(1).replace(",", " ").split() if anchors else []
                if ids is None and not (names and all(_on_arm(a) for a in names)):
                    continue
                d = re.search(r'\sd="([^"]*)"', src)
                if (
                    max(float(y) for y in re.findall(NUM + r"\s*,\s*(" + NUM + ")", d.group(1)))
                    <= lateral.ELBOW_BEND[0]
                ):
                    continue  # wholly above the elbow: the bend does not move it
                dst = src[: d.start(1)] + transform_d(d.group(1), _move(sign)) + src[d.end(1) :]
            new_body = new_body.replace(src, dst, 1)
            moved.append(f"{view}:{eid.group(1)}")
        text = text[: group.start(1)] + new_body + text[group.end(1) :]
    if moved:
        path.write_text(text, encoding="utf-8")
    return moved


def main(args: list[str]) -> None:
    if not args:
        sys.exit(__doc__)
    path, ids = Path(args[0]), set(args[1:]) or None
    for eid in migrate(path, ids):
        print(f"{path}: moved {eid}")


if __name__ == "__main__":
    main(sys.argv[1:])
