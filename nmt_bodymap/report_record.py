"""The visit record in the session report: red-flag screen, SOAP notes and the treatment given (Qt-free).

* **Refer before treating**: when the client reported any red-flag sign at
  intake, a boxed notice that opens the report, naming each sign and what it
  may point to.
* **Red-flag screen**: whether the checklist was asked, the signs asked and
  those present, and the therapist's note.
* **SOAP notes**: Subjective, Objective, Assessment, Plan; only the parts
  written.
* **Treatment**: the trigger points treated by their readable names, the
  technique and the client's pain before and after (0–10).
"""

from __future__ import annotations

from nmt_bodymap.atlas import Atlas
from nmt_bodymap.document import SIDE, Field, FieldsSection, NoticeItem, NoticeSection
from nmt_bodymap.red_flags import RED_FLAGS, needs_referral, present_flags
from nmt_bodymap.session import Session

REFER_TITLE = "Refer before treating"
REFER_INTRO = (
    "At intake the client reported {signs} that can point to serious disease. Refer the client to a "
    "physician before any soft-tissue treatment."
)
SOAP_PARTS = (("Subjective", "subjective"), ("Objective", "objective"), ("Assessment", "assessment"), ("Plan", "plan"))


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def refer_notice(session: Session) -> NoticeSection | None:
    """The notice that opens the report when any red-flag sign was present; None otherwise."""
    screen = session.red_flags
    if not needs_referral(screen):
        return None
    flags = present_flags(screen)
    signs = "a sign" if len(flags) == 1 else f"{len(flags)} signs"
    items = [NoticeItem(flag.title, flag.why) for flag in flags]
    if screen.note.strip():
        items.append(NoticeItem("Note", " ".join(_lines(screen.note))))
    return NoticeSection(REFER_TITLE, REFER_INTRO.format(signs=signs), items)


def red_flag_section(session: Session) -> FieldsSection:
    """The screen as asked: every sign asked, those present, the note; or that it was not recorded."""
    screen = session.red_flags
    title = "Red-flag screen"
    if not screen.screened and not screen.present:
        return FieldsSection(title, empty="Not recorded for this visit.")
    present = present_flags(screen)
    fields = [
        Field(
            "Present",
            ("; ".join(f.title for f in present) + "." if present else "None of the signs asked.",),
            alert=bool(present),
        ),
        Field("Asked", (_upper_first(", ".join(_lower_first(f.title) for f in RED_FLAGS.values())) + ".",)),
    ]
    if screen.note.strip():
        fields.append(Field("Note", _lines(screen.note)))
    return FieldsSection(title, fields)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def soap_section(session: Session) -> FieldsSection | None:
    """The parts of the SOAP notes that were written; None when none was."""
    fields = [
        Field(label, _lines(getattr(session.soap, attr))) for label, attr in SOAP_PARTS if getattr(session.soap, attr)
    ]
    fields = [f for f in fields if f.paragraphs]
    return FieldsSection("SOAP notes", fields) if fields else None


def trigger_point_name(atlas: Atlas, key: str) -> str:
    """``Trapezius TrP1, upper fibres, right`` for ``trapezius/trp1:right``; a key the atlas does not know stays."""
    sided = atlas.by_key().get(key)
    if sided is None:
        return key
    return f"{sided.muscle.name} {sided.trp.label}, {SIDE[sided.side]}"


def pain_rating(before: int | None, after: int | None) -> str:
    """``7 before, 4 after treatment`` (client's rating, 0–10); only the ratings recorded."""
    if before is not None and after is not None:
        return f"{before} before, {after} after treatment (0–10)."
    if before is not None:
        return f"{before} before treatment (0–10); not rated after."
    if after is not None:
        return f"{after} after treatment (0–10); not rated before."
    return ""


def treatment_section(session: Session, atlas: Atlas) -> FieldsSection | None:
    """What was done: trigger points treated, technique, pain before and after; None when nothing is recorded."""
    t = session.treatment
    fields: list[Field] = []
    if t.trigger_points:
        fields.append(Field("Trigger points treated", tuple(trigger_point_name(atlas, k) for k in t.trigger_points)))
    if t.technique.strip():
        fields.append(Field("Technique", _lines(t.technique)))
    rating = pain_rating(t.pain_before, t.pain_after)
    if rating:
        fields.append(Field("Pain (client's rating)", (rating,)))
    return FieldsSection("Treatment", fields) if fields else None
