"""Accounts, roles, invitations, password resets and API tokens."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.utils import as_utc, utcnow

if TYPE_CHECKING:
    from app.catalogue.models import School, Zone

ROLES = ("admin", "supervisor", "director", "docente", "asesor")
ROLE_LABELS = {  # lazy: shown in the reader's language
    "admin": _l("Administración"),
    "supervisor": _l("Supervisión de zona"),
    "director": _l("Dirección escolar"),
    "docente": _l("Docente"),
    "asesor": _l("Asesoría técnico pedagógica"),
}

advisor_schools = Table(
    "advisor_schools",
    db.metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("school_id", Integer, ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True),
)
advisor_zones = Table(
    "advisor_zones",
    db.metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("zone_id", Integer, ForeignKey("zones.id", ondelete="CASCADE"), primary_key=True),
)


def new_session_token() -> str:
    """A fresh random session token (256 bits, URL-safe): see ``User.get_id``."""
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), index=True)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"), index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    failed_login_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Named by every login cookie of this person (Flask-Login's alternative id); a new one ends
    # every session and remember-me cookie issued before it (app.auth.sessions).
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)

    zone: Mapped[Zone | None] = relationship(foreign_keys=[zone_id])
    school: Mapped[School | None] = relationship(foreign_keys=[school_id])
    advised_schools: Mapped[list[School]] = relationship(secondary=advisor_schools)
    advised_zones: Mapped[list[Zone]] = relationship(secondary=advisor_zones)

    def get_id(self) -> str:
        """What the session and remember-me cookies carry: the id and the current session token.

        Flask-Login's "alternative tokens": the user loader (app.auth.sessions.load_user) accepts a
        cookie only while its token is the account's, so changing the token ends every session.
        """
        if self.session_token is None:  # a new account, not flushed yet
            self.session_token = new_session_token()
        return f"{self.id}:{self.session_token}"

    def set_password(self, password: str) -> None:
        # scrypt by default; the test configuration picks a cheap method so that thousands of test
        # users do not cost minutes.
        method = current_app.config["PASSWORD_HASH_METHOD"] if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def is_locked(self, now: datetime | None = None) -> bool:
        until = as_utc(self.locked_until)
        return until is not None and until > (now or utcnow())

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS.get(self.role, self.role))

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class Invitation(db.Model):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # An advisor (asesor) is invited with the schools and zones they will accompany.
    advised_school_ids: Mapped[list] = mapped_column(JSON, default=list)
    advised_zone_ids: Mapped[list] = mapped_column(JSON, default=list)

    zone: Mapped[Zone | None] = relationship()
    school: Mapped[School | None] = relationship()
    invited_by: Mapped[User | None] = relationship()

    def is_usable(self, now: datetime | None = None) -> bool:
        return self.accepted_at is None and as_utc(self.expires_at) > (now or utcnow())

    def __repr__(self) -> str:
        return f"<Invitation {self.id} {self.email} {self.role}>"


class PasswordReset(db.Model):
    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])

    def is_usable(self, now: datetime | None = None) -> bool:
        return self.used_at is None and as_utc(self.expires_at) > (now or utcnow())

    def __repr__(self) -> str:
        return f"<PasswordReset {self.id} user={self.user_id}>"


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When it stops working (chosen at creation: 30, 90 or 365 days), and what it may do.
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    scope: Mapped[str] = mapped_column(String(20), default="lectura")

    user: Mapped[User] = relationship()

    @property
    def read_only(self) -> bool:
        return self.scope != "lectura_escritura"

    def expired(self, now: datetime | None = None) -> bool:
        return as_utc(self.expires_at) <= (now or utcnow())

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} user={self.user_id} {self.name}>"
