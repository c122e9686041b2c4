"""The live session of an encounter group, and the contributions colleagues add to it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.utils import utcnow

if TYPE_CHECKING:
    from app.auth.models import User
    from app.catalogue.models import School
    from app.problems.models import Problem

CONTRIBUTION_KINDS = {
    "punto_relevante": _l("Punto relevante"),
    "pregunta": _l("Pregunta o duda"),
    "similitud": _l("Similitud con nuestra escuela"),
    "diferencia": _l("Diferencia con nuestra escuela"),
    "propuesta": _l("Propuesta de solución"),
    "recurso": _l("Práctica o recurso recomendado"),
}


class LiveSession(db.Model):
    """The live room of one encounter group: its state and version, and who was present."""

    __tablename__ = "live_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("encounter_groups.id", ondelete="CASCADE"), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[dict] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    present_school_ids: Mapped[list] = mapped_column(JSON, default=list)

    def __repr__(self) -> str:
        return f"<LiveSession {self.id} group={self.group_id} v{self.version}>"


class Contribution(db.Model):
    """What a colleague says about a problem of the group (aportación), visible to all in the room:
    the presented problem by default while a school presents, else the one the person chose."""

    __tablename__ = "contributions"
    # an author's count in a room (the cap of app.live.writes), read from the index alone
    __table_args__ = (Index("ix_contributions_group_author", "group_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("encounter_groups.id", ondelete="CASCADE"), index=True)
    problem_id: Mapped[int | None] = mapped_column(ForeignKey("problems.id", ondelete="SET NULL"), index=True)
    presenting_school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    # The activity of the card (AgendaItem.activity: 0 review, 1..4) the room was on when written.
    activity: Mapped[int | None] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    is_hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_reason: Mapped[str | None] = mapped_column(String(300))
    will_try: Mapped[bool] = mapped_column(Boolean, default=False)  # "la probaremos"
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    typed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # the client's stamp
    after_close: Mapped[bool] = mapped_column(Boolean, default=False)  # registrado después del cierre

    problem: Mapped[Problem | None] = relationship()
    author: Mapped[User | None] = relationship()
    author_school: Mapped[School | None] = relationship(foreign_keys=[author_school_id])

    @property
    def kind_label(self) -> str:
        return str(CONTRIBUTION_KINDS.get(self.kind, self.kind))

    def __repr__(self) -> str:
        return f"<Contribution {self.id} {self.kind} problem={self.problem_id}>"
