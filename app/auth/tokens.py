"""Personal API tokens: the secret shown once, stored as a hash, revocable."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _

from app import permissions
from app.auth.models import ApiToken, User
from app.extensions import db
from app.utils import hash_token, new_token, utcnow
from app.validation import PermissionDenied, ValidationError

#: How long a new token may work, in days, and what it may do (the token page offers these).
TOKEN_DAYS = (30, 90, 365)
DEFAULT_TOKEN_DAYS = 90
SCOPES = ("lectura", "lectura_escritura")


def create_api_token(
    name: str, *, actor: User, days: int = DEFAULT_TOKEN_DAYS, scope: str = "lectura"
) -> tuple[ApiToken, str]:
    """A personal API token for the actor; the secret is returned once and stored only as a hash.

    It works for ``days`` (30, 90 or 365) and, unless ``scope`` is ``lectura_escritura``, only reads.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Escribe un nombre para reconocer el token.")})
    if len(name) > 100:
        raise ValidationError({"name": _("El nombre puede tener hasta 100 caracteres.")})
    if days not in TOKEN_DAYS:
        raise ValidationError({"days": _("Elige cuánto tiempo funcionará el token: 30, 90 o 365 días.")})
    if scope not in SCOPES:
        raise ValidationError({"scope": _("Elige si el token solo consulta o también escribe.")})
    token, token_hash = new_token()
    api_token = ApiToken(
        user_id=actor.id,
        name=name,
        token_hash=token_hash,
        scope=scope,
        expires_at=utcnow() + timedelta(days=days),
    )
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


def find_api_token(raw_token: str | None) -> ApiToken | None:
    """The token whose secret this is (the value after ``Bearer``), revoked or expired alike."""
    raw = (raw_token or "").strip()
    if raw[:7].lower() == "bearer ":
        raw = raw[7:].strip()
    if not raw:
        return None
    return db.session.execute(db.select(ApiToken).filter_by(token_hash=hash_token(raw))).scalar_one_or_none()


def authenticate_token(raw_token: str | None, *, now: datetime | None = None) -> User | None:
    """The active user owning this API token, else None; records when the token was last used.

    A revoked or expired token, or a deactivated account, is refused.
    """
    api_token = find_api_token(raw_token)
    if api_token is None or api_token.revoked_at is not None or api_token.expired(now):
        return None
    user = api_token.user
    if user is None or not user.is_active:
        return None
    api_token.last_used_at = now or utcnow()
    db.session.flush()
    return user
