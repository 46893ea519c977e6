"""The intake red-flag screen: signs that call for a physician before soft-tissue work.

Trigger point pain can be mimicked by serious disease (a heart attack felt in
the arm, a tumour felt as back pain, a clot felt as calf pain). Before
treating, the therapist asks a short checklist; any sign present means the
client is referred to a physician first. The items follow the screening
lists of the classic manual-therapy and physiotherapy literature; the
wording is ours.

A session stores the screen as :class:`RedFlagScreen`: whether the checklist
was asked, which items were present, and a note.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RedFlag:
    id: str
    title: str  # short, for lists and reports
    question: str  # as the therapist asks it
    why: str  # one line: what it may point to


def _flags(*flags: RedFlag) -> dict[str, RedFlag]:
    return {f.id: f for f in flags}


#: The checklist, in the order it is asked.
RED_FLAGS: dict[str, RedFlag] = _flags(
    RedFlag(
        "chest-pain",
        "Chest pain on exertion",
        "Do you get pain, pressure or tightness in your chest when you exert yourself?",
        "Exertional chest pain can be the heart (angina), which also refers pain to the arm, jaw and back.",
    ),
    RedFlag(
        "weight-loss",
        "Unexplained weight loss",
        "Have you lost weight lately without trying to?",
        "Weight loss without a reason can be a sign of cancer or another disease of the whole body.",
    ),
    RedFlag(
        "fever",
        "Fever or feeling unwell",
        "Have you had a fever or chills, or felt generally unwell, recently?",
        "Pain with fever can be an infection, of a joint or of the spine for example.",
    ),
    RedFlag(
        "night-pain",
        "Night pain unrelieved by rest or position",
        "Does the pain wake you at night and stay whatever position you lie in?",
        "Pain that no rest or position eases is not mechanical: a tumour or an infection must be ruled out.",
    ),
    RedFlag(
        "saddle-numbness",
        "Saddle numbness",
        "Is there any numbness around your groin, buttocks or inner thighs, where you would sit on a saddle?",
        "With back pain it can mean compression of the cauda equina: an emergency.",
    ),
    RedFlag(
        "bladder-bowel",
        "New bladder or bowel change",
        "Have you noticed any new trouble passing or holding urine, or a change in your bowels?",
        "New bladder or bowel trouble with back pain can mean cauda equina compression: an emergency.",
    ),
    RedFlag(
        "calf-swelling",
        "Calf swelling, warmth or redness",
        "Is one of your calves swollen, warm, red or tender?",
        "These are signs of a deep vein thrombosis; massage could dislodge the clot.",
    ),
    RedFlag(
        "progressive-weakness",
        "Progressive weakness or numbness",
        "Is any weakness or numbness getting worse, or spreading?",
        "Worsening loss of strength or feeling needs a medical check of the nerves or spinal cord.",
    ),
    RedFlag(
        "major-trauma",
        "Recent major trauma",
        "Have you had a fall, an accident or another serious injury recently?",
        "A fracture or other structural injury must be ruled out before soft-tissue work.",
    ),
    RedFlag(
        "cancer-history",
        "History of cancer",
        "Have you ever had cancer, or treatment for it?",
        "In someone who has had cancer, new pain is a possible metastasis until shown otherwise.",
    ),
)


@dataclass(frozen=True)
class RedFlagScreen:
    """The screen as asked in one session."""

    screened: bool = False  # the checklist was asked
    present: tuple[str, ...] = ()  # ids of RED_FLAGS the client reported, in checklist order
    note: str = ""


def needs_referral(screen: RedFlagScreen) -> bool:
    """True when the screen asks for referral to a physician before treating: any sign present."""
    return bool(screen.present)


def present_flags(screen: RedFlagScreen) -> list[RedFlag]:
    """The flags reported present, in checklist order."""
    return [flag for flag_id, flag in RED_FLAGS.items() if flag_id in screen.present]
