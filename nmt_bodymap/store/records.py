"""What the store hands out: plain, immutable records (no database handles)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from nmt_bodymap.session import Session


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _plain(record: object, names: tuple[str, ...]) -> dict[str, Any]:
    """The named fields of a record, in that order, dates and times as ISO text (for JSON)."""
    return {name: value.isoformat() if isinstance(value := getattr(record, name), dt.date) else value for name in names}


@dataclass(frozen=True)
class Client:
    id: int
    code: str
    name: str
    birth_date: dt.date | None
    contact: str
    notes: str
    visit_count: int
    last_visit: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int
    deleted_at: dt.datetime | None = None
    created_by: str = ""
    updated_by: str = ""

    @property
    def in_bin(self) -> bool:
        return self.deleted_at is not None

    @property
    def label(self) -> str:
        """The name when there is one, else the code."""
        return self.name or self.code

    def to_dict(self) -> dict[str, Any]:
        return _plain(
            self,
            (
                "id",
                "code",
                "name",
                "birth_date",
                "contact",
                "notes",
                "visit_count",
                "last_visit",
                "created_at",
                "updated_at",
            ),
        )


@dataclass(frozen=True)
class ClientSummary:
    """A row of the client list: what the list shows, read without the rest of the record."""

    id: int
    code: str
    name: str
    birth_date: dt.date | None
    visit_count: int
    last_visit: dt.date | None

    @property
    def label(self) -> str:
        return self.name or self.code

    def to_dict(self) -> dict[str, Any]:
        return _plain(self, ("id", "code", "name", "birth_date", "visit_count", "last_visit"))


@dataclass(frozen=True)
class VisitSummary:
    """A visit as the lists and the progress series need it (its document is not parsed)."""

    id: int
    client_id: int
    date: dt.date
    therapist: str
    closed_at: dt.datetime | None
    pain_before: int | None
    pain_after: int | None
    extent_percent: float
    extent_by_view: dict[str, float]
    painted_area_mm2: float
    weighted_area_mm2: float
    max_intensity: int | None
    mean_intensity: float | None
    regions: tuple[str, ...]
    jaccard_previous: float | None
    created_at: dt.datetime
    updated_at: dt.datetime
    created_by: str
    updated_by: str
    version: int
    in_bin: bool = False

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    def progress_dict(self) -> dict[str, Any]:
        """The progress figures of ``nmt-bodymap progress --json``."""
        return {
            "date": self.date.isoformat(),
            "extent_percent": round(self.extent_percent, 3),
            "weighted_area_mm2": round(self.weighted_area_mm2, 1),
            "max_intensity": self.max_intensity,
            "mean_intensity": None if self.mean_intensity is None else round(self.mean_intensity, 2),
            "pain_before": self.pain_before,
            "pain_after": self.pain_after,
            "regions": list(self.regions),
            "jaccard_previous": self.jaccard_previous,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "therapist": self.therapist,
            "closed": self.closed,
            "closed_at": _iso(self.closed_at),
            **{k: v for k, v in self.progress_dict().items() if k != "date"},
            "extent_by_view": dict(self.extent_by_view),
            "painted_area_mm2": round(self.painted_area_mm2, 1),
            "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at),
            "created_by": self.created_by,
            "updated_by": self.updated_by,
            "version": self.version,
        }


@dataclass(frozen=True)
class Visit:
    """One visit with its session (drawing, findings, notes, treatment) parsed."""

    summary: VisitSummary
    session: Session
    document: dict[str, Any] = field(repr=False)

    @property
    def id(self) -> int:
        return self.summary.id

    @property
    def version(self) -> int:
        return self.summary.version


@dataclass(frozen=True)
class VisitVersion:
    """An earlier version of a closed visit, kept when it was amended."""

    visit_id: int
    version: int
    date: dt.date
    therapist: str
    document: dict[str, Any] = field(repr=False)
    saved_at: dt.datetime
    saved_by: str
    replaced_at: dt.datetime
    replaced_by: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return _plain(
            self,
            (
                "version",
                "date",
                "therapist",
                "saved_at",
                "saved_by",
                "replaced_at",
                "replaced_by",
                "reason",
                "document",
            ),
        )


@dataclass(frozen=True)
class BinEntry:
    """Something in the bin: a client (with its visits), or one visit of a client."""

    kind: str  # "client" or "visit"
    id: int
    client_id: int
    label: str  # the client's name or code; for a visit, with its date
    deleted_at: dt.datetime
