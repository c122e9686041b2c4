"""Zones (zonas escolares), schools (escuelas, CCT) and catalogue import runs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.utils import utcnow

if TYPE_CHECKING:
    from app.auth.models import User

LEVELS = ("inicial", "preescolar", "primaria", "secundaria")
LEVEL_LABELS = {  # lazy: shown in the reader's language
    "inicial": _l("Inicial"),
    "preescolar": _l("Preescolar"),
    "primaria": _l("Primaria"),
    "secundaria": _l("Secundaria"),
}


class Zone(db.Model):
    """A zona escolar, identified by the CCT of its supervision office."""

    __tablename__ = "zones"

    id: Mapped[int] = mapped_column(primary_key=True)
    cct: Mapped[str] = mapped_column(String(10), unique=True)
    number: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))
    level: Mapped[str | None] = mapped_column(String(20), index=True)
    service: Mapped[str | None] = mapped_column(String(120))
    municipality: Mapped[str | None] = mapped_column(String(120))
    sector_cct: Mapped[str | None] = mapped_column(String(10), index=True)
    region_cct: Mapped[str | None] = mapped_column(String(10), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    schools: Mapped[list[School]] = relationship(back_populates="zone", order_by="School.name")

    @property
    def label(self) -> str:
        return _("Zona %(number)s", number=self.number) if self.number is not None else self.name

    def __repr__(self) -> str:
        return f"<Zone {self.cct} {self.number}>"


class School(db.Model):
    """A school (escuela, plantel, CAI) identified by its CCT."""

    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    cct: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    level: Mapped[str | None] = mapped_column(String(20), index=True)
    service: Mapped[str | None] = mapped_column(String(120))
    shift: Mapped[str | None] = mapped_column(String(60))
    municipality: Mapped[str | None] = mapped_column(String(120))
    locality: Mapped[str | None] = mapped_column(String(160))
    address: Mapped[str | None] = mapped_column(String(300))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    control: Mapped[str | None] = mapped_column(String(60))
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"), index=True)
    supervision_cct: Mapped[str | None] = mapped_column(String(10))
    sector_cct: Mapped[str | None] = mapped_column(String(10), index=True)
    region_cct: Mapped[str | None] = mapped_column(String(10), index=True)
    is_multigrade: Mapped[bool] = mapped_column(Boolean, default=False)
    enlace_math6: Mapped[float | None] = mapped_column(Float)
    enlace_evaluated: Mapped[int | None] = mapped_column(Integer)
    marginalization: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    zone: Mapped[Zone | None] = relationship(back_populates="schools")

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS.get(self.level or "", self.level or "—"))

    def __repr__(self) -> str:
        return f"<School {self.cct} {self.name!r}>"


class ImportRun(db.Model):
    """One import of a catalogue file: progress while it runs, the bad rows when it ends."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default="pendiente")
    is_strict: Mapped[bool] = mapped_column(Boolean, default=False)
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    zones_created: Mapped[int] = mapped_column(Integer, default=0)
    zones_updated: Mapped[int] = mapped_column(Integer, default=0)
    schools_created: Mapped[int] = mapped_column(Integer, default=0)
    schools_updated: Mapped[int] = mapped_column(Integer, default=0)
    skipped_rows: Mapped[int] = mapped_column(Integer, default=0)
    bad_rows: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list] = mapped_column(JSON, default=list)
    message: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    user: Mapped[User | None] = relationship()  # who uploaded it (by name: accounts sit above)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<ImportRun {self.id} {self.filename} {self.status}>"
