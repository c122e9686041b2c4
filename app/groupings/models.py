"""Groupings proposed by the network engine and accepted by the zone council (CTZ)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.utils import utcnow

if TYPE_CHECKING:
    from app.auth.models import User
    from app.catalogue.models import School, Zone

GROUPING_STATUSES = {"propuesta": "Propuesta", "aceptada": "Aceptada"}


class Grouping(db.Model):
    """A partition of a zone's schools into groups that will meet together."""

    __tablename__ = "groupings"

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="propuesta")
    min_size: Mapped[int] = mapped_column(Integer, default=2)
    max_size: Mapped[int] = mapped_column(Integer, default=3)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    is_mixed_levels: Mapped[bool] = mapped_column(Boolean, default=False)
    avoid_last: Mapped[int] = mapped_column(Integer, default=0)
    max_distance_km: Mapped[float | None] = mapped_column(Float)
    # Complementarity: schools that solved a problem are placed with those still working on it.
    by_progress: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    objective: Mapped[float] = mapped_column(Float, default=0.0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    zone: Mapped[Zone] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    accepted_by: Mapped[User | None] = relationship(foreign_keys=[accepted_by_id])
    groups: Mapped[list[GroupingGroup]] = relationship(
        back_populates="grouping", cascade="all, delete-orphan", order_by="GroupingGroup.position"
    )

    @property
    def is_accepted(self) -> bool:
        return self.status == "aceptada"

    def __repr__(self) -> str:
        return f"<Grouping {self.id} zone={self.zone_id} {self.status}>"


class GroupingGroup(db.Model):
    """One group of a grouping: its schools, host school, score and reasons."""

    __tablename__ = "grouping_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    grouping_id: Mapped[int] = mapped_column(ForeignKey("groupings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    host_school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    shared: Mapped[list] = mapped_column(JSON, default=list)
    reasons: Mapped[dict] = mapped_column(JSON, default=dict)

    grouping: Mapped[Grouping] = relationship(back_populates="groups")
    host_school: Mapped[School | None] = relationship()
    members: Mapped[list[GroupingMember]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupingMember.id"
    )

    def __repr__(self) -> str:
        return f"<GroupingGroup {self.id} grouping={self.grouping_id} #{self.position}>"


class GroupingMember(db.Model):
    """A school in a group."""

    __tablename__ = "grouping_members"
    __table_args__ = (UniqueConstraint("group_id", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("grouping_groups.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)

    group: Mapped[GroupingGroup] = relationship(back_populates="members")
    school: Mapped[School] = relationship()

    def __repr__(self) -> str:
        return f"<GroupingMember group={self.group_id} school={self.school_id}>"
