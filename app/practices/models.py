"""Practices (prácticas de intervención), their resources, evidence, links and adoptions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    exists,
    false,
    select,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.utils import utcnow

if TYPE_CHECKING:
    from app.auth.models import User
    from app.catalogue.models import School
    from app.problems.models import Category, Problem

VISIBILITIES = ("escuela", "zona", "todos")
VISIBILITY_LABELS = {
    "escuela": _l("Solo mi escuela"),
    "zona": _l("Mi zona escolar"),
    "todos": _l("Todas las escuelas"),
}
# The CTE guide sorts materials and resources by why they help.
MATERIAL_CRITERIA = {
    "estrategias": _l("Estrategias didácticas"),
    "contenidos": _l("Información sobre contenidos"),
    "planeacion": _l("Planeación, seguimiento y evaluación"),
    "materiales": _l("Elaboración de materiales didácticos"),
    "consolidacion": _l("Consolidación de aprendizajes esperados"),
    "indicadores": _l("Indicadores de seguimiento"),
}
OUTCOMES = {
    "en_proceso": _l("En proceso"),
    "bueno": _l("Buenos resultados"),
    "regular": _l("Resultados parciales"),
    "sin_resultado": _l("Sin resultados"),
}

practice_categories = Table(
    "practice_categories",
    db.metadata,
    Column("practice_id", Integer, ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", Integer, ForeignKey("categories.id"), primary_key=True, index=True),
)


class Practice(db.Model):
    """What a school did about a problem, so that others can learn from it and adopt it."""

    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    problem_id: Mapped[int | None] = mapped_column(ForeignKey("problems.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    steps: Mapped[str | None] = mapped_column(Text)
    level: Mapped[str | None] = mapped_column(String(20), index=True)
    grades: Mapped[list] = mapped_column(JSON, default=list)
    results: Mapped[str | None] = mapped_column(Text)
    visibility: Mapped[str] = mapped_column(String(10), default="zona", index=True)
    # Good practices (app/goodpractices): the fulfilled commitment it was published from, the
    # author's own judgement of its results (an OUTCOMES key), and whether a zone recognised it.
    source_commitment_id: Mapped[int | None] = mapped_column(
        ForeignKey("commitments.id", ondelete="SET NULL"), unique=True
    )
    outcome: Mapped[str | None] = mapped_column(String(20), index=True)
    is_recognised: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), index=True)
    # Whether it has any evidence, kept by the Evidence events below: the library's "con evidencia"
    # filter and the search's ranking read it from the row (an index PostgreSQL can AND with the
    # full-text one) instead of probing the evidence table for each of thousands of matches.
    has_evidence: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    school: Mapped[School] = relationship()
    author: Mapped[User | None] = relationship()
    problem: Mapped[Problem | None] = relationship()
    categories: Mapped[list[Category]] = relationship(secondary=practice_categories)
    resources: Mapped[list[PracticeResource]] = relationship(
        back_populates="practice", cascade="all, delete-orphan", order_by="PracticeResource.id"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="practice", cascade="all, delete-orphan", order_by="Evidence.id"
    )
    links: Mapped[list[PracticeLink]] = relationship(
        back_populates="practice", cascade="all, delete-orphan", order_by="PracticeLink.id"
    )
    adoptions: Mapped[list[Adoption]] = relationship(
        back_populates="practice", cascade="all, delete-orphan", order_by="Adoption.id"
    )

    def __repr__(self) -> str:
        return f"<Practice {self.id} {self.title!r}>"


class PracticeResource(db.Model):
    """A material or resource of a practice, with the CTE guide's criterion for why it helps."""

    __tablename__ = "practice_resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(500))
    criterion: Mapped[str] = mapped_column(String(20))

    practice: Mapped[Practice] = relationship(back_populates="resources")

    @property
    def criterion_label(self) -> str:
        return str(MATERIAL_CRITERIA.get(self.criterion, self.criterion))

    def __repr__(self) -> str:
        return f"<PracticeResource {self.id} {self.criterion}>"


class Evidence(db.Model):
    """An uploaded evidence file (image or PDF), stored under a random safe name."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(100), unique=True)
    mime_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)
    caption: Mapped[str | None] = mapped_column(String(300))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    practice: Mapped[Practice] = relationship(back_populates="evidence")

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")

    def __repr__(self) -> str:
        return f"<Evidence {self.id} {self.mime_type}>"


@event.listens_for(Evidence, "after_insert")
def _practice_has_evidence(mapper, connection, evidence: Evidence) -> None:
    connection.execute(
        update(Practice.__table__)
        .where(Practice.__table__.c.id == evidence.practice_id)
        .values(has_evidence=True)
    )


@event.listens_for(Evidence, "after_delete")
def _practice_may_have_no_evidence(mapper, connection, evidence: Evidence) -> None:
    practices, table = Practice.__table__, Evidence.__table__
    connection.execute(
        update(practices)
        .where(practices.c.id == evidence.practice_id)
        .values(has_evidence=exists(select(table.c.id).where(table.c.practice_id == evidence.practice_id)))
    )


class PracticeLink(db.Model):
    """A link to an outside resource of a practice."""

    __tablename__ = "practice_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(1000))
    label: Mapped[str | None] = mapped_column(String(200))

    practice: Mapped[Practice] = relationship(back_populates="links")

    def __repr__(self) -> str:
        return f"<PracticeLink {self.id} {self.url}>"


class Adoption(db.Model):
    """Another school adopted a practice, with its own outcome."""

    __tablename__ = "adoptions"
    __table_args__ = (UniqueConstraint("practice_id", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    adopted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str] = mapped_column(String(20), default="en_proceso")
    notes: Mapped[str | None] = mapped_column(Text)  # what the school meant to adapt (when adopting)
    outcome_notes: Mapped[str | None] = mapped_column(Text)  # what it saw when applying it (its outcome)
    # The commitment "Aplicar la práctica" written into the adopting school's logbook (goodpractices).
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("commitments.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    practice: Mapped[Practice] = relationship(back_populates="adoptions")
    school: Mapped[School] = relationship()
    adopted_by: Mapped[User | None] = relationship()

    @property
    def outcome_label(self) -> str:
        return str(OUTCOMES.get(self.outcome, self.outcome))

    def __repr__(self) -> str:
        return f"<Adoption practice={self.practice_id} school={self.school_id} {self.outcome}>"
