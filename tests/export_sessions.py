"""Sessions for the export tests, built from chart landmarks (no hand-typed coordinates).

:func:`busy_session` is a visit a report has to work for: pain on the head,
neck, chest and low back in several qualities, palpation findings of every
kind (active, latent and not tender) on muscles with long names and with
"rule out first" lines, a handout of several muscles, five-cause notes and
notes of several lines.
"""

from __future__ import annotations

from pathlib import Path

from nmt_bodymap.atlas import Atlas, shipped_atlas
from nmt_bodymap.chart import load_chart
from nmt_bodymap.session import CauseNote, PainMark, Session, disc_mark, save

NAME = "Alexandra Example-Whitfield"
CODE = "C-042"
PRACTICE = "Hands On Neuromuscular Therapy"

MARKS = [  # view, landmark, side, radius mm, quality, intensity
    ("anterior", "eyebrow", "right", 18, "throbbing", 7),
    ("anterior", "ear", "right", 15, "aching", 5),
    ("posterior", "occiput", "right", 20, "aching", 6),
    ("anterior", "sternal-notch", None, 22, "sharp", 6),
    ("posterior", "low-back", "right", 35, "aching", 8),
    ("right-lateral", "jaw-angle", "right", 15, "burning", 4),
    ("plantar", "heel", "left", 15, "tingling", 3),
]


def rule_out_muscle(atlas: Atlas) -> str:
    """A muscle whose file carries "rule out first" lines (the first in the atlas's order)."""
    return next(m.id for m in atlas.muscles.values() if m.rule_out)


def marks() -> list[PainMark]:
    chart = load_chart()
    out = []
    for view, landmark, side, radius, quality, intensity in MARKS:
        p = chart.view(view).landmark(landmark, side)
        out.append(disc_mark(chart, f"m{len(out) + 1}", view, p.x, p.y, radius, quality, intensity))
    return out


def busy_session(extra_not_tender: int = 0) -> Session:
    """The busy visit; ``extra_not_tender`` more not-tender findings lengthen the findings table."""
    atlas = shipped_atlas()
    warn = rule_out_muscle(atlas)
    findings = {
        "sternocleidomastoid/trp1:right": "not-tender",
        "sternocleidomastoid/trp2:right": "latent",
        "thoracolumbar-multifidi/l2:right": "not-tender",
        f"{warn}/{atlas.muscle(warn).trigger_points[0].id}:right": "active",
        "trapezius/trp1:right": "active",
    }
    spare = [
        s.key for s in atlas.by_key().values() if s.side == "left" and s.key not in findings and s.muscle.id != warn
    ]
    for key in sorted(spare)[:extra_not_tender]:
        findings[key] = "not-tender"
    session = Session(
        client_name=NAME,
        client_code=CODE,
        date="2026-11-24",
        notes="Headaches since a new office job.\nWorse after long drives; better after a walk.\n"
        "Sleeps on the right side.\nAsked about home exercises for the low back.",
        marks=marks(),
        findings=findings,
        handout=["sternocleidomastoid", "thoracolumbar-multifidi", "extensor-carpi-radialis-brevis", "trapezius"],
    )
    session.assessment["postural"] = CauseNote(3, "Forward head posture, rounded shoulders, a high right shoulder")
    session.assessment["ischemia"] = CauseNote(1, "")
    return session


def write_busy_session(folder: Path, extra_not_tender: int = 0) -> Path:
    path = folder / "busy.nmt"
    save(busy_session(extra_not_tender), path)
    return path
