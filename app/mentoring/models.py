"""Mentoring: offers to mentor on categories, requests for a mentor, the pairs a network leader
confirmed (with their acceptance, plan and closing) and the log of their sessions."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.catalogue.models import School
from app.extensions import db
from app.problems.models import Category, Problem
from app.utils import utcnow

CAPACITY_MIN, CAPACITY_MAX = 1, 5
NOTE_MAX = 500
TEXT_MAX = 1500

REQUEST_KINDS = {
    "docente_novel": _l("Docente de nuevo ingreso"),
    "director_nuevo": _l("Director(a) de nuevo ingreso"),
    "escuela": _l("La escuela"),
}
REQUEST_STATUSES = {
    "abierta": _l("Esperando mentor(a)"),
    "emparejada": _l("Con mentor(a) propuesto(a)"),
    "activa": _l("En mentoría"),
    "cerrada": _l("Concluida"),
}
PAIR_STATUSES = {
    "propuesta": _l("Por aceptar"),
    "activa": _l("Activa"),
    "rechazada": _l("No aceptada"),
    "cerrada": _l("Concluida"),
}
OUTCOMES = {"logrado": _l("Logrado"), "parcial": _l("Parcial"), "no_logrado": _l("No logrado")}
#: A pair in these states takes one place of the mentor's capacity.
BUSY_PAIR_STATUSES = ("propuesta", "activa")

offer_categories = Table(
    "mentor_offer_categories",
    db.metadata,
    Column("offer_id", Integer, ForeignKey("mentor_offers.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", Integer, ForeignKey("categories.id"), primary_key=True, index=True),
)


class MentorOffer(db.Model):
    """A person's offer to mentor on some categories, with how many mentees at once."""

    __tablename__ = "mentor_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship()
    school: Mapped[School] = relationship()
    categories: Mapped[list[Category]] = relationship(secondary=offer_categories, order_by=Category.name)

    def __repr__(self) -> str:
        return f"<MentorOffer {self.id} user={self.user_id} capacity={self.capacity}>"


class MentoringRequest(db.Model):
    """A request for a mentor on one of the school's problems, or on a category."""

    __tablename__ = "mentoring_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    problem_id: Mapped[int | None] = mapped_column(ForeignKey("problems.id", ondelete="SET NULL"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="abierta", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    requester: Mapped[User] = relationship()
    school: Mapped[School] = relationship()
    problem: Mapped[Problem | None] = relationship()
    category: Mapped[Category | None] = relationship()

    @property
    def kind_label(self) -> str:
        return str(REQUEST_KINDS.get(self.kind, self.kind))

    @property
    def status_label(self) -> str:
        return str(REQUEST_STATUSES.get(self.status, self.status))

    @property
    def categories(self) -> list[Category]:
        """What the request is about: the problem's categories, or the one category chosen."""
        if self.problem is not None:
            return [pc.category for pc in self.problem.categories]
        return [self.category] if self.category is not None else []

    @property
    def topic(self) -> str:
        return (
            self.problem.title if self.problem is not None else (self.category.name if self.category else "")
        )

    def __repr__(self) -> str:
        return f"<MentoringRequest {self.id} school={self.school_id} {self.status}>"


class MentoringPair(db.Model):
    """A mentor and a request, confirmed by a network leader; both accept it; then its plan and close."""

    __tablename__ = "mentoring_pairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_requests.id", ondelete="CASCADE"), index=True
    )
    offer_id: Mapped[int] = mapped_column(ForeignKey("mentor_offers.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="propuesta", index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    mentor_accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    mentee_accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    declined_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    goals: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))
    closing_note: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    request: Mapped[MentoringRequest] = relationship()
    offer: Mapped[MentorOffer] = relationship()
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    declined_by: Mapped[User | None] = relationship(foreign_keys=[declined_by_id])
    sessions: Mapped[list[MentoringSession]] = relationship(
        back_populates="pair",
        order_by="MentoringSession.held_on, MentoringSession.id",
        cascade="all, delete-orphan",
    )

    @property
    def mentor(self) -> User:
        return self.offer.user

    @property
    def mentee(self) -> User:
        return self.request.requester

    @property
    def status_label(self) -> str:
        return str(PAIR_STATUSES.get(self.status, self.status))

    @property
    def outcome_label(self) -> str:
        return str(OUTCOMES.get(self.outcome or "", ""))

    def __repr__(self) -> str:
        return f"<MentoringPair {self.id} request={self.request_id} offer={self.offer_id} {self.status}>"


class MentoringSession(db.Model):
    """One session of a pair: when, what was done, the next step."""

    __tablename__ = "mentoring_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("mentoring_pairs.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    done: Mapped[str] = mapped_column(Text)
    next_step: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    pair: Mapped[MentoringPair] = relationship(back_populates="sessions")
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<MentoringSession {self.id} pair={self.pair_id} {self.held_on}>"
