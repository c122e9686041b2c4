"""New passwords: reset links issued by the administration or the supervision (used once), and a
person changing their own password. Either ends every session of the account (app.auth.sessions).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import update

from app import permissions
from app.auth.models import PasswordReset, User
from app.auth.passwords import check_new_password, personal_words
from app.auth.sessions import PASSWORD_CHANGED, end_sessions
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
    check_new_password(password, confirm, user_inputs=personal_words(reset.user.email, reset.user.name))
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
    end_sessions(user, reason=PASSWORD_CHANGED)  # whoever used a stolen cookie is out
    return user


def change_password(user: User, current: str, password: str, confirm: str | None = None) -> None:
    """The person's own new password, given the current one; their other sessions end.

    The caller logs the browser that asked in again (``sessions.stay_logged_in``).
    """
    if not user.check_password(current or ""):
        raise ValidationError({"current": _("La contraseña actual no es correcta.")})
    check_new_password(password, confirm, user_inputs=personal_words(user.email, user.name))
    if user.check_password(password):
        raise ValidationError({"password": _("La contraseña nueva debe ser distinta de la actual.")})
    user.set_password(password)
    end_sessions(user, reason=PASSWORD_CHANGED)
