"""The client's home-care handout, decided without Qt.

For each muscle the therapist chose or found active or latent: where it is
and where it usually sends pain (in everyday words, ``plain_words.py``), and
its self-care from the atlas. With earlier visits, the handout opens with how
the client's pain has changed since the first one (``report_progress.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from nmt_bodymap.atlas import SELF_CARE_KINDS, Atlas
from nmt_bodymap.chart import load_chart
from nmt_bodymap.document import HandoutItem, HandoutSection, Section, TextSection, confirmed_trigger_points
from nmt_bodymap.plain_words import where_felt
from nmt_bodymap.report_progress import handout_progress
from nmt_bodymap.session import Session
from nmt_bodymap.visit_history import VisitPoint


def handout_muscles(session: Session, atlas: Atlas) -> list[str]:
    """Muscles for the handout: chosen ones, then those palpated active or latent."""
    chosen = [m for m in session.handout if m in atlas.muscles]
    for sided, _finding in confirmed_trigger_points(session, atlas):
        if sided.muscle.id not in chosen:
            chosen.append(sided.muscle.id)
    return chosen


HANDOUT_INTRO = (
    "Your therapist found tight, tender spots (trigger points) in the muscles below. A trigger point "
    "can send pain to another place: the pictures show where the spot is (X) and where its pain is "
    "usually felt (red; red dots: sometimes). Do these steps gently, a little every day. Stop and tell "
    "your therapist if pain gets sharper, spreads, or you feel numbness or weakness."
)
HANDOUT_PLAN_TITLE = "What to do at home"
HANDOUT_EMPTY = (
    "No muscles are chosen yet: mark trigger points active or latent, or tick “Include in the handout” in the atlas."
)


def handout_sections(session: Session, atlas: Atlas, history: Sequence[VisitPoint] = ()) -> list[Section]:
    chart = load_chart()
    palpated = {s.key for s, _f in confirmed_trigger_points(session, atlas)}
    muscles = handout_muscles(session, atlas)
    sections: list[Section] = []
    change = handout_progress(history)
    if change is not None:
        sections.append(change)
    # after the progress words, the plan needs a heading of its own
    intro_title = HANDOUT_PLAN_TITLE if change is not None else ""
    sections.append(TextSection(intro_title, [HANDOUT_INTRO] + ([] if muscles else [HANDOUT_EMPTY])))
    for mid in muscles:
        muscle = atlas.muscle(mid)
        found = [s for s in atlas.sided_for(mid) if s.key in palpated]
        # show the side(s) the therapist found; a muscle chosen by hand shows its right side as authored
        patterns = found or [s for s in atlas.sided_for(mid) if s.side in ("right", "midline")]
        sides = sorted({s.side for s in patterns})
        care = [(SELF_CARE_KINDS[c.kind], c.text) for k in SELF_CARE_KINDS for c in muscle.self_care if c.kind == k]
        item = HandoutItem(mid, muscle.name, sides, patterns, where_felt(chart, patterns), care)
        sections.append(HandoutSection(handout_heading(item), item))
    return sections


def handout_heading(item: HandoutItem) -> str:
    sides = " and ".join(s for s in item.sides if s != "midline")
    return f"{item.name} ({sides} side)" if sides else item.name
