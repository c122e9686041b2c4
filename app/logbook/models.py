"""The logbook (Cuaderno de Bitácora del CTE): entries, agreements, minutes (commitments: app.commitments)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.commitments.models import (  # noqa: F401  (the logbook's public names before the split)
    COMMITMENT_STATUSES,
    Commitment,
    CommitmentNote,
)
from app.extensions import db
from app.utils import utcnow

if TYPE_CHECKING:
    from app.catalogue.models import School
    from app.encounters.models import Encounter, EncounterGroup
    from app.problems.models import Problem

TITLE_MAX = 300  # a logbook entry's title (the services check it, the note form announces it)
ENTRY_KINDS = {
    "acuerdo": _l("Acuerdo"),
    "compromiso": _l("Compromiso"),
    "acta": _l("Acta"),
    "nota": _l("Nota"),
    "seguimiento": _l("Seguimiento"),  # a commitment's status set in an encounter's review
}
#: The kinds of agreement, in the order of the card's activities (the room's form and the acta).
AGREEMENT_KIND_LABELS = {
    "acuerdo": _l("Acuerdo"),
    "norma": _l("Norma de convivencia"),
    "probaremos": _l("Lo que probaremos"),
    "observacion": _l("Experiencia de aula a observar"),
    "asesoria": _l("Requiere asesoría externa"),
}

# How titles of older entries began (always in Spanish: stored text), now left to the kind's badge.
_STORED_PREFIXES = {"acta": "Acta: ", "compromiso": "Compromiso: ", "acuerdo": "Acuerdo: "}


class Agreement(db.Model):
    """An agreement of a group in plenary (acuerdo), the session's norms (norma), what the group will
    try (probaremos), what needs outside advice (asesoria: its topic, school(s) and problem), or the
    classroom experience to observe next time (observacion: school and classroom). ``activity`` is
    the card's activity it belongs to; ``school_ids`` every school it names (``school_id`` the first)."""

    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("encounter_groups.id"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    kind: Mapped[str] = mapped_column(String(20), default="acuerdo")  # see minutes.AGREEMENT_KIND_LABELS
    text: Mapped[str] = mapped_column(Text)
    activity: Mapped[int | None] = mapped_column(Integer)
    problem_id: Mapped[int | None] = mapped_column(ForeignKey("problems.id", ondelete="SET NULL"))
    topic: Mapped[str | None] = mapped_column(String(200))
    classroom: Mapped[str | None] = mapped_column(String(120))
    contribution_id: Mapped[int | None] = mapped_column(ForeignKey("contributions.id", ondelete="SET NULL"))
    school_ids: Mapped[list | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    typed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # the client's stamp
    after_close: Mapped[bool] = mapped_column(Boolean, default=False)  # registrado después del cierre

    school: Mapped[School | None] = relationship()
    problem: Mapped[Problem | None] = relationship()

    @property
    def named_school_ids(self) -> list[int]:
        """Every school the agreement names (``school_ids``; an older row: its ``school_id``)."""
        if self.school_ids:
            return [int(i) for i in self.school_ids]
        return [self.school_id] if self.school_id is not None else []

    def __repr__(self) -> str:
        return f"<Agreement {self.id} encounter={self.encounter_id} {self.kind}>"


class Minutes(db.Model):
    """The minutes (acta) of an encounter group, generated when the encounter closes."""

    __tablename__ = "minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("encounter_groups.id"))
    content: Mapped[dict] = mapped_column(JSON, default=dict)
    generated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # SHA-256 of the frozen content (app.logbook.minutes.content_hash): set once, at the close.
    content_hash: Mapped[str | None] = mapped_column(String(64))

    encounter: Mapped[Encounter] = relationship()
    group: Mapped[EncounterGroup | None] = relationship()

    def __repr__(self) -> str:
        return f"<Minutes {self.id} encounter={self.encounter_id} group={self.group_id}>"


class LogbookEntry(db.Model):
    """An entry of a school's logbook, in time order: agreement, commitment, minutes or note."""

    __tablename__ = "logbook_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    school_year: Mapped[str] = mapped_column(String(9), index=True)
    encounter_id: Mapped[int | None] = mapped_column(ForeignKey("encounters.id"))
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("commitments.id", ondelete="SET NULL"))
    minutes_id: Mapped[int | None] = mapped_column(ForeignKey("minutes.id", ondelete="SET NULL"))
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    school: Mapped[School] = relationship()
    commitment: Mapped[Commitment | None] = relationship()
    minutes: Mapped[Minutes | None] = relationship()

    is_in_session = False  # an entry of the logbook proper (see app.logbook.in_session)

    @property
    def kind_label(self) -> str:
        return str(ENTRY_KINDS.get(self.kind, self.kind))

    @property
    def display_title(self) -> str:
        """The title without the kind it began with before issue 11 ("Acta: …", "Compromiso: …",
        "Acuerdo: …"), which the kind's badge already says: never "Acta Acta: …"."""
        prefix = _STORED_PREFIXES.get(self.kind)
        if prefix and self.title.startswith(prefix) and len(self.title) > len(prefix):
            return self.title[len(prefix) :]
        return self.title

    def __repr__(self) -> str:
        return f"<LogbookEntry {self.id} school={self.school_id} {self.kind}>"
