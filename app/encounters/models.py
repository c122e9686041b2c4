"""Encounters (encuentros de Aprendizaje entre escuelas): schedule, groups, agenda, presentations,
attendance, agreements and notifications."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _
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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.utils import utcnow

if TYPE_CHECKING:
    from app.auth.models import User
    from app.catalogue.models import School, Zone
    from app.groupings.models import Grouping

MODALITIES = {"presencial": _l("Presencial"), "en_linea": _l("En línea"), "mixta": _l("Mixta")}
ENCOUNTER_STATUSES = {
    "borrador": _l("Borrador"),
    "programado": _l("Programado"),
    "en_curso": _l("En curso"),
    "concluido": _l("Concluido"),
}
ATTENDANCE_STATUSES = {
    "presente": _l("Presente"),
    "ausente": _l("Ausente"),
    "justificada": _l("Falta justificada"),
}
PRESENTATION_KINDS = {"generada": _l("Diapositivas generadas"), "pdf": _l("PDF propio")}

encounter_zones = Table(
    "encounter_zones",
    db.metadata,
    Column("encounter_id", Integer, ForeignKey("encounters.id", ondelete="CASCADE"), primary_key=True),
    Column("zone_id", Integer, ForeignKey("zones.id"), primary_key=True),
)


class Encounter(db.Model):
    """A school-to-school encounter of one or more zones (usually the CTE ordinary session day)."""

    __tablename__ = "encounters"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    modality: Mapped[str] = mapped_column(String(20), default="presencial")
    status: Mapped[str] = mapped_column(String(20), default="borrador", index=True)
    grouping_id: Mapped[int | None] = mapped_column(ForeignKey("groupings.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    zones: Mapped[list[Zone]] = relationship(secondary=encounter_zones)
    grouping: Mapped[Grouping | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    groups: Mapped[list[EncounterGroup]] = relationship(
        back_populates="encounter", cascade="all, delete-orphan", order_by="EncounterGroup.position"
    )

    @property
    def status_label(self) -> str:
        return str(ENCOUNTER_STATUSES.get(self.status, self.status))

    @property
    def modality_label(self) -> str:
        return str(MODALITIES.get(self.modality, self.modality))

    def __repr__(self) -> str:
        return f"<Encounter {self.id} {self.title!r} {self.status}>"


class EncounterGroup(db.Model):
    """One group of an encounter: the schools that meet together, where, and who facilitates."""

    __tablename__ = "encounter_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(120))
    host_school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    address: Mapped[str | None] = mapped_column(String(300))
    room: Mapped[str | None] = mapped_column(String(120))
    online_url: Mapped[str | None] = mapped_column(String(500))
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    facilitator_name: Mapped[str | None] = mapped_column(String(200))

    encounter: Mapped[Encounter] = relationship(back_populates="groups")
    host_school: Mapped[School | None] = relationship()
    facilitator: Mapped[User | None] = relationship()
    schools: Mapped[list[EncounterSchool]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="EncounterSchool.id"
    )
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )

    @property
    def label(self) -> str:
        return self.name or _("Grupo %(position)s", position=self.position)

    def __repr__(self) -> str:
        return f"<EncounterGroup {self.id} encounter={self.encounter_id} #{self.position}>"


class EncounterSchool(db.Model):
    """A school taking part in an encounter, in exactly one of its groups."""

    __tablename__ = "encounter_schools"
    __table_args__ = (UniqueConstraint("encounter_id", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("encounter_groups.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)

    group: Mapped[EncounterGroup] = relationship(back_populates="schools")
    school: Mapped[School] = relationship()

    def __repr__(self) -> str:
        return f"<EncounterSchool encounter={self.encounter_id} school={self.school_id}>"


class AgendaItem(db.Model):
    """A step of a group's agenda: one of the four activities, or a school's presentation turn."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("encounter_groups.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    activity: Mapped[int] = mapped_column(Integer)  # 0 review of commitments, 1..4 the card's activities
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    minutes: Mapped[int] = mapped_column(Integer, default=10)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))

    group: Mapped[EncounterGroup] = relationship(back_populates="agenda")
    school: Mapped[School | None] = relationship()

    def __repr__(self) -> str:
        return f"<AgendaItem {self.id} group={self.group_id} #{self.position} {self.title!r}>"


class Presentation(db.Model):
    """What a school presents: slides generated from its problems, or its own PDF."""

    __tablename__ = "presentations"
    __table_args__ = (UniqueConstraint("encounter_id", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="generada")
    problem_ids: Mapped[list] = mapped_column(JSON, default=list)
    ask: Mapped[str | None] = mapped_column(Text)  # what the school asks of its colleagues
    pdf_stored_name: Mapped[str | None] = mapped_column(String(100))
    pdf_original_name: Mapped[str | None] = mapped_column(String(255))
    pdf_pages: Mapped[int | None] = mapped_column(Integer)
    # The text of each page of the PDF, extracted once at upload, for the room's text-only mode
    # (a page that is only a picture has ""); None for a PDF stored before the extraction existed.
    pdf_text: Mapped[list | None] = mapped_column(JSON)
    is_ready: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    encounter: Mapped[Encounter] = relationship()
    school: Mapped[School] = relationship()

    def __repr__(self) -> str:
        return f"<Presentation encounter={self.encounter_id} school={self.school_id} {self.kind}>"


class Attendance(db.Model):
    """A school's attendance at an encounter: registered by the host, or taken from the live room."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("encounter_id", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="presente")
    people: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(10), default="sede")  # "sede" or "sala"
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    school: Mapped[School] = relationship()

    def __repr__(self) -> str:
        return f"<Attendance encounter={self.encounter_id} school={self.school_id} {self.status}>"


class Notification(db.Model):
    """A message for one person inside the platform (and by e-mail when SMTP is configured)."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    message: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(300))
    dedupe_key: Mapped[str | None] = mapped_column(String(120), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<Notification {self.id} user={self.user_id} {self.kind}>"


class CalendarFeed(db.Model):
    """A person's secret calendar feed URL (a capability: whoever has it reads the calendar)."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<CalendarFeed user={self.user_id}>"
