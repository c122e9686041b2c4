"""Contact requests between schools: a director writes to another school's director about a problem
or a practice, the other answers in the platform, and either may propose an encounter between the
two schools to both zones' supervisors."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.catalogue.models import School
from app.extensions import db
from app.practices.models import Practice
from app.problems.models import Problem
from app.utils import utcnow

CONTACT_STATUSES = {"enviada": _l("Enviada"), "respondida": _l("Respondida"), "cerrada": _l("Cerrada")}
MESSAGE_MIN = 10
MESSAGE_MAX = 1500


class ContactRequest(db.Model):
    """One conversation between two schools, opened by a director of the first."""

    __tablename__ = "contact_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    sender_school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    recipient_school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    problem_id: Mapped[int | None] = mapped_column(ForeignKey("problems.id", ondelete="SET NULL"))
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("practices.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="enviada", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    encounter_proposed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    encounter_proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    sender: Mapped[User | None] = relationship(foreign_keys=[sender_id])
    sender_school: Mapped[School] = relationship(foreign_keys=[sender_school_id])
    recipient_school: Mapped[School] = relationship(foreign_keys=[recipient_school_id])
    problem: Mapped[Problem | None] = relationship()
    practice: Mapped[Practice | None] = relationship()
    encounter_proposed_by: Mapped[User | None] = relationship(foreign_keys=[encounter_proposed_by_id])
    messages: Mapped[list[ContactMessage]] = relationship(
        back_populates="request", order_by="ContactMessage.id", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return str(CONTACT_STATUSES.get(self.status, self.status))

    @property
    def zone_ids(self) -> set[int]:
        """The zones of both schools (one when they share it)."""
        return {z for z in (self.sender_school.zone_id, self.recipient_school.zone_id) if z is not None}

    @property
    def is_inter_zone(self) -> bool:
        return len(self.zone_ids) > 1

    def other_school(self, school_id: int | None) -> School:
        """The school on the other side from ``school_id``."""
        return self.recipient_school if school_id == self.sender_school_id else self.sender_school

    def __repr__(self) -> str:
        return f"<ContactRequest {self.id} {self.sender_school_id}->{self.recipient_school_id} {self.status}>"


class ContactMessage(db.Model):
    """One message of a conversation: the request itself, then the replies of either side."""

    __tablename__ = "contact_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("contact_requests.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    request: Mapped[ContactRequest] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()
    school: Mapped[School] = relationship()

    def __repr__(self) -> str:
        return f"<ContactMessage {self.id} request={self.request_id} school={self.school_id}>"
