"""Requests for outside advice (solicitudes de asesoría), one per commitment or agreement that asks
for it, opened when the encounter closes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.utils import utcnow

if TYPE_CHECKING:
    from app.auth.models import User
    from app.catalogue.models import School
    from app.encounters.models import Encounter, EncounterGroup
    from app.problems.models import Problem

ADVICE_STATUSES = {"recibida": _l("Recibida"), "en_atencion": _l("En atención"), "atendida": _l("Atendida")}
OPEN_ADVICE_STATUSES = ("recibida", "en_atencion")
REPLY_MAX = 2000


class AdviceRequest(db.Model):
    """What a school (or a whole group) asks an advisor for, with its topic, status and reply."""

    __tablename__ = "advice_requests"
    __table_args__ = (
        UniqueConstraint("agreement_id", "school_id", name="uq_advice_requests_agreement_school"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("encounter_groups.id", ondelete="SET NULL"))
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"), index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    problem_id: Mapped[int | None] = mapped_column(ForeignKey("problems.id", ondelete="SET NULL"))
    commitment_id: Mapped[int | None] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), unique=True
    )
    # one request per school an agreement names (uq_advice_requests_agreement_school below)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    topic: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="recibida", index=True)
    reply: Mapped[str | None] = mapped_column(Text)
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    replied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    encounter: Mapped[Encounter] = relationship()
    group: Mapped[EncounterGroup | None] = relationship()
    school: Mapped[School | None] = relationship()
    problem: Mapped[Problem | None] = relationship()
    replied_by: Mapped[User | None] = relationship()

    @property
    def status_label(self) -> str:
        return str(ADVICE_STATUSES.get(self.status, self.status))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ADVICE_STATUSES

    def __repr__(self) -> str:
        return f"<AdviceRequest {self.id} school={self.school_id} {self.status}>"
