"""Problems (problemáticas) of a school's PEMC, their categories and their change history."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.utils import utcnow

if TYPE_CHECKING:
    from app.auth.models import User
    from app.catalogue.models import School

PRIORITIES = ("alta", "media", "baja")
PRIORITY_WEIGHTS = {"alta": 3, "media": 2, "baja": 1}
# Labels are lazy: shown in the reader's language.
PRIORITY_LABELS = {"alta": _l("Alta"), "media": _l("Media"), "baja": _l("Baja")}
STATUSES = ("abierta", "en_atencion", "resuelta")
STATUS_LABELS = {"abierta": _l("Abierta"), "en_atencion": _l("En atención"), "resuelta": _l("Resuelta")}
GRADES = ("1°", "2°", "3°", "4°", "5°", "6°")


class Category(db.Model):
    """A category of the problem taxonomy: a PEMC ámbito or a learning/follow-up área."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    facet: Mapped[str] = mapped_column(String(10))  # "ambito" or "area"
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    levels: Mapped[list] = mapped_column(JSON, default=list)
    source: Mapped[str | None] = mapped_column(String(255))

    def __repr__(self) -> str:
        return f"<Category {self.code}>"


class Problem(db.Model):
    """A problem the school has not managed to solve, from its improvement plan."""

    __tablename__ = "problems"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    grades: Mapped[list] = mapped_column(JSON, default=list)
    causes: Mapped[str | None] = mapped_column(Text)
    actions_tried: Mapped[str | None] = mapped_column(Text)
    results: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="abierta", index=True)
    school_year: Mapped[str] = mapped_column(String(9), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    school: Mapped[School] = relationship()
    created_by: Mapped[User | None] = relationship()
    categories: Mapped[list[ProblemCategory]] = relationship(
        back_populates="problem", cascade="all, delete-orphan"
    )
    changes: Mapped[list[ProblemChange]] = relationship(
        back_populates="problem", cascade="all, delete-orphan", order_by="ProblemChange.id"
    )

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def ambito(self) -> ProblemCategory | None:
        return next((pc for pc in self.categories if pc.category.facet == "ambito"), None)

    @property
    def areas(self) -> list[ProblemCategory]:
        return [pc for pc in self.categories if pc.category.facet == "area"]

    def __repr__(self) -> str:
        return f"<Problem {self.id} {self.title!r}>"


class ProblemCategory(db.Model):
    """A problem tagged with a category, at a priority."""

    __tablename__ = "problem_categories"
    __table_args__ = (UniqueConstraint("problem_id", "category_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problems.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    priority: Mapped[str] = mapped_column(String(10), default="media")

    problem: Mapped[Problem] = relationship(back_populates="categories")
    category: Mapped[Category] = relationship()

    @property
    def weight(self) -> int:
        return PRIORITY_WEIGHTS.get(self.priority, 0)

    def __repr__(self) -> str:
        return f"<ProblemCategory p={self.problem_id} c={self.category_id} {self.priority}>"


class ProblemChange(db.Model):
    """Who changed what in a problem, and when: field -> [before, after]."""

    __tablename__ = "problem_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problems.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(20), default="editado")
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    problem: Mapped[Problem] = relationship(back_populates="changes")
    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ProblemChange {self.id} problem={self.problem_id} {self.action}>"
