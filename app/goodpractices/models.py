"""Recognitions of good practices by a zone, and narratives (relatos) of experiences."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.utils import utcnow

if TYPE_CHECKING:
    from app.auth.models import User
    from app.catalogue.models import School, Zone
    from app.encounters.models import Encounter
    from app.practices.models import Practice
    from app.problems.models import Problem


class Recognition(db.Model):
    """A zone's council (supervisor or advisor) marks a practice as a *buena práctica* of the zone."""

    __tablename__ = "recognitions"
    __table_args__ = (UniqueConstraint("practice_id", "zone_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"), index=True)
    recognised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The role in which that person recognised it (supervisor, asesor, admin), kept as it was then:
    # the booklet says who recognised the practice even after the person changes role.
    recognised_as: Mapped[str | None] = mapped_column(String(20))
    rationale: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    practice: Mapped[Practice] = relationship()
    zone: Mapped[Zone] = relationship()
    recognised_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Recognition practice={self.practice_id} zone={self.zone_id}>"


class Narrative(db.Model):
    """A relato: what a school faced, tried, saw happen and learned, so that others learn from it."""

    __tablename__ = "narratives"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    practice_id: Mapped[int | None] = mapped_column(
        ForeignKey("practices.id", ondelete="SET NULL"), index=True
    )
    problem_id: Mapped[int | None] = mapped_column(ForeignKey("problems.id", ondelete="SET NULL"))
    encounter_id: Mapped[int | None] = mapped_column(ForeignKey("encounters.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    faced: Mapped[str] = mapped_column(Text)  # qué enfrentamos
    tried: Mapped[str] = mapped_column(Text)  # qué intentamos
    happened: Mapped[str] = mapped_column(Text)  # qué pasó
    learned: Mapped[str] = mapped_column(Text)  # qué aprendimos
    # Title and sections folded (lower case, no accents): what the relatos index searches.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    school: Mapped[School] = relationship()
    author: Mapped[User | None] = relationship()
    practice: Mapped[Practice | None] = relationship()
    problem: Mapped[Problem | None] = relationship()
    encounter: Mapped[Encounter | None] = relationship()

    def __repr__(self) -> str:
        return f"<Narrative {self.id} {self.title!r}>"
