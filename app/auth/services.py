"""Accounts: authentication with lockout after repeated failures."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from app.auth.models import User
from app.extensions import db
from app.utils import utcnow


class AuthError(Exception):
    """A login that must be refused, with the message to show."""


@dataclass
class LoginResult:
    user: User | None
    error: str | None = None


def normalise_email(email: str) -> str:
    """E-mail addresses are compared in lower case, without surrounding spaces."""
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    """The account with this e-mail address, if any."""
    return db.session.execute(
        db.select(User).filter_by(email=normalise_email(email))
    ).scalar_one_or_none()


def authenticate(email: str, password: str) -> LoginResult:
    """Check a login; count failures and lock the account for a while after too many."""
    user = find_user_by_email(email)
    generic = "Correo o contraseña incorrectos."
    if user is None:
        return LoginResult(None, generic)
    now = utcnow()
    if user.is_locked(now):
        return LoginResult(None, "Demasiados intentos fallidos. Espera unos minutos e intenta de nuevo.")
    if not user.is_active:
        return LoginResult(None, "Esta cuenta está desactivada.")
    if not user.check_password(password):
        user.failed_login_count = (user.failed_login_count or 0) + 1
        if user.failed_login_count >= current_app.config["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + current_app.config["LOGIN_LOCKOUT"]
            user.failed_login_count = 0
        db.session.flush()
        return LoginResult(None, generic)
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = now
    db.session.flush()
    return LoginResult(user)
