"""Commitments (compromisos): what a school will do after an encounter, and their follow-up notes."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.utils import utcnow

if TYPE_CHECKING:
    from app.auth.models import User
    from app.catalogue.models import School
    from app.encounters.models import Encounter
    from app.problems.models import Problem

COMMITMENT_STATUSES = {
    "pendiente": _l("Pendiente"),
    "en_curso": _l("En curso"),
    "cumplido": _l("Cumplido"),
    "no_cumplido": _l("No cumplido"),
    "reprogramado": _l("Reprogramado"),
}


class Commitment(db.Model):
    """What a school (or one of its classrooms) will do, with a responsible person and a deadline."""

    __tablename__ = "commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str | None] = mapped_column(String(64), unique=True)  # idempotent live writes
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    encounter_id: Mapped[int | None] = mapped_column(ForeignKey("encounters.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("encounter_groups.id"))
    problem_id: Mapped[int | None] = mapped_column(ForeignKey("problems.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(Text)
    classroom: Mapped[str | None] = mapped_column(String(120))
    responsible: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date, index=True)
    follow_up: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pendiente", index=True)
    needs_external_advice: Mapped[bool] = mapped_column(Boolean, default=False)
    school_year: Mapped[str] = mapped_column(String(9), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    typed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # the client's stamp
    after_close: Mapped[bool] = mapped_column(Boolean, default=False)  # registrado después del cierre
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # last edit (CommitmentEdit)

    school: Mapped[School] = relationship()
    encounter: Mapped[Encounter | None] = relationship()
    problem: Mapped[Problem | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    notes: Mapped[list[CommitmentNote]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan", order_by="CommitmentNote.id"
    )
    edits: Mapped[list[CommitmentEdit]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan", order_by="CommitmentEdit.id"
    )

    @property
    def status_label(self) -> str:
        return str(COMMITMENT_STATUSES.get(self.status, self.status))

    def __repr__(self) -> str:
        return f"<Commitment {self.id} school={self.school_id} {self.status}>"


class CommitmentNote(db.Model):
    """A progress note on a commitment, optionally with an evidence file and a new status."""

    __tablename__ = "commitment_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    status_after: Mapped[str | None] = mapped_column(String(20))
    due_date_after: Mapped[date | None] = mapped_column(Date)  # the new date when rescheduled
    evidence_stored_name: Mapped[str | None] = mapped_column(String(100))
    evidence_original_name: Mapped[str | None] = mapped_column(String(255))
    evidence_mime_type: Mapped[str | None] = mapped_column(String(50))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # A status set in a room's review of the previous commitments: its client id (stored once) and
    # the encounter whose room reviewed it.
    client_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    encounter_id: Mapped[int | None] = mapped_column(
        ForeignKey("encounters.id", ondelete="SET NULL"), index=True
    )

    commitment: Mapped[Commitment] = relationship(back_populates="notes")
    created_by: Mapped[User | None] = relationship()
    encounter: Mapped[Encounter | None] = relationship()

    def __repr__(self) -> str:
        return f"<CommitmentNote {self.id} commitment={self.commitment_id}>"


class CommitmentEdit(db.Model):
    """One edit of a commitment before the encounter closed: who, when, and each changed field as
    ``{field: [before, after]}`` (dates as ISO text)."""

    __tablename__ = "commitment_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str | None] = mapped_column(String(64), unique=True)  # stored once
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    commitment: Mapped[Commitment] = relationship(back_populates="edits")
    edited_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<CommitmentEdit {self.id} commitment={self.commitment_id}>"
