"""Personal API tokens: the secret shown once, stored as a hash, revocable."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app import permissions
from app.auth.models import ApiToken, User
from app.extensions import db
from app.utils import hash_token, new_token, utcnow
from app.validation import PermissionDenied, ValidationError


def create_api_token(name: str, *, actor: User) -> tuple[ApiToken, str]:
    """A personal API token for the actor; the secret is returned once and stored only as a hash."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Escribe un nombre para reconocer el token.")})
    if len(name) > 100:
        raise ValidationError({"name": _("El nombre puede tener hasta 100 caracteres.")})
    token, token_hash = new_token()
    api_token = ApiToken(user_id=actor.id, name=name, token_hash=token_hash)
    db.session.add(api_token)
    db.session.flush()
    return api_token, token


def api_tokens_of(user: User) -> list[ApiToken]:
    """The person's API tokens, newest first (revoked ones included)."""
    return list(
        db.session.execute(
            db.select(ApiToken)
            .filter_by(user_id=user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        ).scalars()
    )


def revoke_api_token(api_token: ApiToken, *, actor: User, now: datetime | None = None) -> None:
    """Revoke a token: it stops authenticating at once."""
    if api_token.user_id != actor.id and not permissions.is_admin(actor):
        raise PermissionDenied(_("Este token no es tuyo."))
    if api_token.revoked_at is None:
        api_token.revoked_at = now or utcnow()
        db.session.flush()


def authenticate_token(raw_token: str | None, *, now: datetime | None = None) -> User | None:
    """The active user owning this API token (the value after ``Bearer``), else None.

    Records when the token was last used. A revoked token or a deactivated account is refused.
    """
    raw = (raw_token or "").strip()
    if raw[:7].lower() == "bearer ":
        raw = raw[7:].strip()
    if not raw:
        return None
    api_token = db.session.execute(
        db.select(ApiToken).filter_by(token_hash=hash_token(raw))
    ).scalar_one_or_none()
    if api_token is None or api_token.revoked_at is not None:
        return None
    user = api_token.user
    if user is None or not user.is_active:
        return None
    api_token.last_used_at = now or utcnow()
    db.session.flush()
    return user
