"""Password resets issued by the administration or the supervision: a link used once."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import update

from app import permissions
from app.auth.login import check_new_password
from app.auth.models import PasswordReset, User
from app.extensions import db
from app.utils import hash_token, new_token, utcnow
from app.validation import PermissionDenied, ValidationError


def issue_password_reset(
    target: User, *, actor: User, now: datetime | None = None, ttl: timedelta | None = None
) -> tuple[PasswordReset, str]:
    """A one-time link to set a new password; earlier unused links of the same person stop working."""
    if not permissions.can_issue_password_reset(actor, target):
        raise PermissionDenied(_("No puedes restablecer la contraseña de esta persona."))
    now = now or utcnow()
    for earlier in db.session.execute(
        db.select(PasswordReset).filter_by(user_id=target.id, used_at=None)
    ).scalars():
        earlier.used_at = now
    token, token_hash = new_token()
    reset = PasswordReset(
        token_hash=token_hash,
        user_id=target.id,
        issued_by_id=actor.id,
        expires_at=now + (ttl or current_app.config["PASSWORD_RESET_TTL"]),
        created_at=now,
    )
    db.session.add(reset)
    db.session.flush()
    return reset, token


def find_password_reset(token: str) -> PasswordReset | None:
    """The password reset whose link carries this token, if any."""
    if not token:
        return None
    return db.session.execute(
        db.select(PasswordReset).filter_by(token_hash=hash_token(token))
    ).scalar_one_or_none()


def reset_password(
    reset: PasswordReset, password: str, confirm: str | None = None, *, now: datetime | None = None
) -> User:
    """Set the new password, use up the link and lift any lockout."""
    now = now or utcnow()
    if not reset.is_usable(now):
        raise ValidationError(_("Este enlace ya fue usado o venció."))
    check_new_password(password, confirm)
    # Use the link up in one conditional UPDATE: of two requests racing with the same link, the
    # database lets one through; the other finds it used (its row count is 0) and changes nothing.
    taken = db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        raise ValidationError(_("Este enlace ya fue usado o venció."))
    reset.used_at = now
    user = reset.user
    user.set_password(password)
    user.failed_login_count = 0
    user.locked_until = None
    db.session.flush()
    return user
