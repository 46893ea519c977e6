"""Edits of the visit record: therapist, red-flag screen, SOAP notes, treatment, copying from the last visit.

Each edit is one undo step of the session (typing in one field merges into
one step). :class:`VisitEdits` is joined into
:class:`~nmt_bodymap.ui.model.SessionModel`.
"""

from __future__ import annotations

from dataclasses import replace

from nmt_bodymap.red_flags import RED_FLAGS, RedFlagScreen
from nmt_bodymap.session import Session, SoapNotes, Treatment
from nmt_bodymap.ui.model_base import ModelBase

#: Sections of a visit that "copy from last visit" can fill, with their titles.
COPYABLE_SECTIONS: dict[str, str] = {
    "findings": "Palpation findings",
    "assessment": "Five-cause assessment",
    "notes": "Notes",
    "subjective": "Subjective",
    "objective": "Objective",
    "soap-assessment": "Assessment (SOAP)",
    "plan": "Plan",
    "treatment": "Treatment (trigger points and technique)",
    "handout": "Home-care muscles",
}
SOAP_FIELDS = {"subjective": "subjective", "objective": "objective", "soap-assessment": "assessment", "plan": "plan"}


class VisitEdits(ModelBase):
    """The visit's record around the drawing."""

    def set_therapist(self, name: str) -> None:
        self._set_field("therapist", name, "Edit therapist", "therapist")

    def set_red_flags(self, screen: RedFlagScreen) -> None:
        """The red-flag screen; its note merges typing, ticks are one step each."""
        old = self.session.red_flags
        typing = old.present == screen.present and old.screened == screen.screened
        self._set_field("red_flags", screen, "Edit red-flag screen", "red-flags-note" if typing else "")

    def set_red_flag(self, flag_id: str, present: bool) -> None:
        old = self.session.red_flags
        ids = [f for f in old.present if f != flag_id] + ([flag_id] if present else [])
        ordered = tuple(f for f in RED_FLAGS if f in ids)
        self.set_red_flags(replace(old, screened=True, present=ordered))

    def set_soap(self, soap: SoapNotes, section: str = "") -> None:
        """The SOAP notes; typing in one ``section`` merges into one undo step."""
        self._set_field("soap", soap, f"Edit {section or 'SOAP notes'}", f"soap:{section}" if section else "")

    def set_treatment(self, treatment: Treatment, merge_key: str = "", text: str = "Edit treatment") -> None:
        self._set_field("treatment", treatment, text, merge_key)

    def is_treated(self, key: str) -> bool:
        """Whether a sided trigger point (``muscle/trp:side``) is recorded as treated in this session."""
        return key in self.session.treatment.trigger_points

    def mark_treated(self, key: str, treated: bool = True, text: str = "") -> None:
        """Record a trigger point (``muscle/trp:side``) as treated in this session, or take it off."""
        old = self.session.treatment
        points = [k for k in old.trigger_points if k != key] + ([key] if treated else [])
        if tuple(points) != old.trigger_points:
            self.set_treatment(replace(old, trigger_points=tuple(points)), text=text or "Edit treatment")

    def copy_from(self, source: Session, section: str) -> None:
        """Fill one section (see :data:`COPYABLE_SECTIONS`) from another session, as one undo step."""
        title = COPYABLE_SECTIONS[section]
        text = f"Copy {title[:1].lower() + title[1:]} from last visit"
        s = self.session
        if section == "findings":
            self._set_field("findings", dict(source.findings), text)
        elif section == "assessment":
            self._set_field("assessment", dict(source.assessment), text)
        elif section == "notes":
            self._set_field("notes", source.notes, text)
        elif section in SOAP_FIELDS:
            name = SOAP_FIELDS[section]
            self._set_field("soap", replace(s.soap, **{name: getattr(source.soap, name)}), text)
        elif section == "treatment":
            t = source.treatment
            self._set_field(
                "treatment", replace(s.treatment, trigger_points=t.trigger_points, technique=t.technique), text
            )
        elif section == "handout":
            self._set_field("handout", list(source.handout), text)


__all__ = ["COPYABLE_SECTIONS", "SOAP_FIELDS", "VisitEdits"]
