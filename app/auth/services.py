"""Accounts: authentication, invitations, password resets, people management and API tokens.

Every function takes the acting user explicitly (``actor=``) and never reads the request, so the
pages, the API, the CLI and the tests call the same code. Functions flush; the caller commits.
Secrets (invitation links, reset links, API tokens) are returned once and stored only as hashes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_
from werkzeug.security import check_password_hash, generate_password_hash

from app import permissions, ratelimits, signals
from app.auth.models import ROLES, ApiToken, Invitation, PasswordReset, User
from app.catalogue.models import School, Zone
from app.extensions import db
from app.utils import hash_token, new_token, utcnow
from app.validation import PermissionDenied, ValidationError

MIN_PASSWORD_LENGTH = 10
GENERIC_LOGIN_ERROR = _l(
    "Correo o contraseña incorrectos. Tras varios intentos fallidos la cuenta se bloquea unos minutos."
)
IP_LIMIT_ERROR = _l(
    "Demasiados intentos fallidos desde esta conexión. Espera unos minutos e intenta de nuevo."
)


class AuthError(Exception):
    """A login that must be refused, with the message to show."""


@dataclass
class LoginResult:
    user: User | None
    error: str | None = None
    rate_limited: bool = False


# --- login -----------------------------------------------------------------------------------


def _ip_rule():
    """LOGIN_IP_MAX_FAILURES failed logins per address within LOGIN_IP_WINDOW (0 turns it off).

    The address must be the client's: behind a reverse proxy set PROXY_FIX, or every person would
    share the proxy's address and its counter. Counted in app.ratelimits, so every process shares
    the count when REDIS_URL is set. The per-account lockout (in the database) is the hard limit.
    """
    config = current_app.config
    limit = config["LOGIN_IP_MAX_FAILURES"]
    return ratelimits.window(limit, config["LOGIN_IP_WINDOW"]) if limit else None


_dummy_hashes: dict[str, str] = {}


def _spend_a_hash(password: str) -> None:
    """Check the password against a dummy hash so an unknown e-mail takes as long as a known one."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _dummy_hashes:
        _dummy_hashes[method] = generate_password_hash("contraseña-que-nadie-tiene", method=method)
    check_password_hash(_dummy_hashes[method], password or "")


def normalise_email(email: str) -> str:
    """E-mail addresses are compared in lower case, without surrounding spaces."""
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    """The account with this e-mail address, if any."""
    return db.session.execute(db.select(User).filter_by(email=normalise_email(email))).scalar_one_or_none()


def authenticate(
    email: str, password: str, *, ip: str | None = None, now: datetime | None = None
) -> LoginResult:
    """Check a login; lock the account after repeated failures, and slow down a noisy address.

    Unknown e-mail, wrong password and locked account give the same message (and take about the
    same time), so the form does not tell who has an account.
    """
    config = current_app.config
    now = now or utcnow()
    ip_rule = _ip_rule() if ip else None
    if ip_rule is not None and not ratelimits.limits().allows(ip_rule, "login-ip", ip):
        return LoginResult(None, str(IP_LIMIT_ERROR), rate_limited=True)

    def failure() -> LoginResult:
        if ip_rule is not None:
            ratelimits.limits().hit(ip_rule, "login-ip", ip)
        return LoginResult(None, str(GENERIC_LOGIN_ERROR))

    user = find_user_by_email(email)
    if user is None or user.is_locked(now):
        _spend_a_hash(password)
        return failure()
    if not user.check_password(password):
        user.failed_login_count = (user.failed_login_count or 0) + 1
        if user.failed_login_count >= config["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + config["LOGIN_LOCKOUT"]
            user.failed_login_count = 0
        db.session.flush()
        return failure()
    if not user.is_active:
        # Only someone who knows the password learns that the account is deactivated.
        return LoginResult(
            None, _("Esta cuenta está desactivada. Pide ayuda a tu supervisión o a la administración.")
        )
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = now
    db.session.flush()
    return LoginResult(user)


def check_new_password(password: str, confirm: str | None = None) -> None:
    """Refuse a password that is too short or that does not match its confirmation."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            {"password": _("La contraseña debe tener al menos %(min)d caracteres.", min=MIN_PASSWORD_LENGTH)}
        )
    if confirm is not None and confirm != password:
        raise ValidationError({"confirm": _("Las contraseñas no coinciden.")})


# --- schools and zones by CCT ----------------------------------------------------------------


def school_by_cct(cct: str) -> School | None:
    """The school with this CCT (case-insensitive), if any."""
    return db.session.execute(
        db.select(School).filter_by(cct=(cct or "").strip().upper())
    ).scalar_one_or_none()


def zone_by_cct(cct: str) -> Zone | None:
    """The zone whose supervision has this CCT (case-insensitive), if any."""
    return db.session.execute(db.select(Zone).filter_by(cct=(cct or "").strip().upper())).scalar_one_or_none()


def resolve_ccts(text: str, *, field: str = "advised") -> tuple[list[School], list[Zone]]:
    """Split a list of CCTs (commas, spaces or lines) into the schools and zones they name."""
    schools: list[School] = []
    zones: list[Zone] = []
    unknown: list[str] = []
    for cct in dict.fromkeys(c.upper() for c in re.split(r"[\s,;]+", text or "") if c):
        zone = zone_by_cct(cct)
        if zone is not None:
            zones.append(zone)
            continue
        school = school_by_cct(cct)
        if school is not None:
            schools.append(school)
        else:
            unknown.append(cct)
    if unknown:
        raise ValidationError(
            {field: _("No encontramos estas claves CCT: %(ccts)s.", ccts=", ".join(unknown))}
        )
    return schools, zones


# --- invitations -----------------------------------------------------------------------------


def invitable_roles(actor: User) -> list[str]:
    """The roles this person may invite (the same rule as ``permissions.can_invite``)."""
    if permissions.is_admin(actor):
        return list(ROLES)
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return []
    if actor.role == "supervisor" and actor.zone_id is not None:
        return ["director"]
    if actor.role == "director" and actor.school_id is not None:
        return ["docente"]
    return []


def invitation_status(invitation: Invitation, now: datetime | None = None) -> str:
    """'aceptada', 'vencida' or 'pendiente'."""
    if invitation.accepted_at is not None:
        return "aceptada"
    if not invitation.is_usable(now):
        return "vencida"
    return "pendiente"


def _check_email(raw: str) -> str:
    email = normalise_email(raw)
    if not email:
        raise ValidationError({"email": _("Escribe el correo electrónico.")})
    try:
        validate_email(email, check_deliverability=False, test_environment=bool(current_app.testing))
    except EmailNotValidError:
        raise ValidationError({"email": _("Escribe un correo electrónico válido.")}) from None
    return email


def _pending_invitation(email: str, now: datetime) -> Invitation | None:
    candidates = db.session.execute(db.select(Invitation).filter_by(email=email, accepted_at=None)).scalars()
    return next((inv for inv in candidates if inv.is_usable(now)), None)


def create_invitation(
    data: dict, *, actor: User, now: datetime | None = None, ttl: timedelta | None = None
) -> tuple[Invitation, str]:
    """Invite someone with a role (and school or zone); returns the invitation and its secret token.

    ``data``: email, name, role, school_cct (director/docente), zone_cct (supervisor),
    advised (asesor: CCTs of schools and zones). A director invites teachers of their own school
    when no school is given. Raises PermissionDenied for a role or school the actor may not invite.
    """
    now = now or utcnow()
    role = (data.get("role") or "").strip()
    if role not in ROLES:
        raise ValidationError({"role": _("Elige un rol válido.")})
    if role not in invitable_roles(actor):
        raise PermissionDenied(_("No puedes invitar a este rol."))

    school = zone = None
    advised_schools: list[School] = []
    advised_zones: list[Zone] = []
    if role in ("director", "docente"):
        cct = (data.get("school_cct") or "").strip()
        if not cct and actor.role == "director":
            school = actor.school
        elif not cct:
            raise ValidationError({"school_cct": _("Escribe la clave CCT de la escuela.")})
        else:
            school = school_by_cct(cct)
            if school is None:
                raise ValidationError({"school_cct": _("No encontramos una escuela con esa clave CCT.")})
    elif role == "supervisor":
        cct = (data.get("zone_cct") or "").strip()
        if not cct:
            raise ValidationError({"zone_cct": _("Escribe la clave CCT de la supervisión de zona.")})
        zone = zone_by_cct(cct)
        if zone is None:
            raise ValidationError({"zone_cct": _("No encontramos una zona con esa clave CCT.")})
    elif role == "asesor":
        advised_schools, advised_zones = resolve_ccts(data.get("advised") or "")
    if not permissions.can_invite(actor, role=role, school=school, zone=zone):
        raise PermissionDenied(_("No puedes invitar a esta escuela o zona."))

    email = _check_email(data.get("email") or "")
    if find_user_by_email(email) is not None:
        raise ValidationError({"email": _("Ya existe una cuenta con este correo.")})
    if _pending_invitation(email, now) is not None:
        raise ValidationError({"email": _("Este correo ya tiene una invitación pendiente.")})

    token, token_hash = new_token()
    invitation = Invitation(
        token_hash=token_hash,
        email=email,
        name=(data.get("name") or "").strip()[:200] or None,
        role=role,
        school_id=school.id if school else None,
        zone_id=zone.id if zone else None,
        advised_school_ids=[s.id for s in advised_schools],
        advised_zone_ids=[z.id for z in advised_zones],
        invited_by_id=actor.id,
        expires_at=now + (ttl or current_app.config["INVITATION_TTL"]),
        created_at=now,
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def invitations_issued_by(actor: User) -> list[Invitation]:
    """The invitations this person issued, newest first."""
    return list(
        db.session.execute(
            db.select(Invitation)
            .filter_by(invited_by_id=actor.id)
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        ).scalars()
    )


def revoke_invitation(invitation: Invitation, *, actor: User) -> None:
    """Withdraw a pending invitation: its link stops working (the row is deleted)."""
    if not (permissions.is_admin(actor) or invitation.invited_by_id == actor.id):
        raise PermissionDenied(_("Solo quien invitó puede retirar la invitación."))
    if invitation.accepted_at is not None:
        raise ValidationError(_("Esta invitación ya fue aceptada; ya no se puede retirar."))
    db.session.delete(invitation)
    db.session.flush()


def find_invitation(token: str) -> Invitation | None:
    """The invitation whose link carries this token, if any."""
    if not token:
        return None
    return db.session.execute(
        db.select(Invitation).filter_by(token_hash=hash_token(token))
    ).scalar_one_or_none()


def accept_invitation(invitation: Invitation, data: dict, *, now: datetime | None = None) -> User:
    """Create the invited person's account with the role, school or zone of the invitation."""
    now = now or utcnow()
    if not invitation.is_usable(now):
        raise ValidationError(_("Esta invitación ya fue usada o venció."))
    name = (data.get("name") or "").strip()
    if not name:
        raise ValidationError({"name": _("Escribe tu nombre.")})
    check_new_password(data.get("password") or "", data.get("confirm"))
    if find_user_by_email(invitation.email) is not None:
        raise ValidationError(_("Ya existe una cuenta con este correo; inicia sesión."))
    user = User(
        email=invitation.email,
        name=name[:200],
        role=invitation.role,
        school_id=invitation.school_id if invitation.role in ("director", "docente") else None,
        zone_id=invitation.zone_id if invitation.role == "supervisor" else None,
        is_active=True,
        failed_login_count=0,
        created_at=now,
    )
    user.set_password(data["password"])
    if invitation.role == "asesor":
        if invitation.advised_school_ids:
            user.advised_schools = list(
                db.session.execute(
                    db.select(School).where(School.id.in_(invitation.advised_school_ids))
                ).scalars()
            )
        if invitation.advised_zone_ids:
            user.advised_zones = list(
                db.session.execute(db.select(Zone).where(Zone.id.in_(invitation.advised_zone_ids))).scalars()
            )
    invitation.accepted_at = now
    db.session.add(user)
    db.session.flush()
    return user


# --- password resets -------------------------------------------------------------------------


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
    user = reset.user
    user.set_password(password)
    user.failed_login_count = 0
    user.locked_until = None
    reset.used_at = now
    db.session.flush()
    return user


# --- people ----------------------------------------------------------------------------------


def can_see_people(actor: User) -> bool:
    """Administrators and supervisors (of a zone) have a people page."""
    return permissions.is_admin(actor) or (
        permissions.supervises_zone(actor, actor.zone_id) if actor.is_authenticated else False
    )


def people_query(actor: User, *, role: str | None = None, zone: Zone | None = None, q: str | None = None):
    """The select of users this person may manage: all for admins, the zone's staff for supervisors."""
    query = db.select(User).outerjoin(School, User.school_id == School.id)
    if permissions.is_admin(actor):
        if zone is not None:
            query = query.where(or_(User.zone_id == zone.id, School.zone_id == zone.id))
    elif can_see_people(actor):
        query = query.where(User.role.in_(("director", "docente")), School.zone_id == actor.zone_id)
    else:
        raise PermissionDenied(_("No puedes ver esta lista."))
    if role in ROLES:
        query = query.where(User.role == role)
    if q:
        like = f"%{q.strip().lower()}%"
        query = query.where(or_(db.func.lower(User.name).like(like), db.func.lower(User.email).like(like)))
    return query.order_by(User.name, User.id)


def set_user_active(target: User, active: bool, *, actor: User) -> None:
    """Activate or deactivate an account; a deactivated person's session stops working at once."""
    if not permissions.can_manage_users(actor):
        raise PermissionDenied(_("Solo la administración activa o desactiva cuentas."))
    if target.id == actor.id and not active:
        raise ValidationError(_("No puedes desactivar tu propia cuenta."))
    target.is_active = active
    db.session.flush()
    if not active:
        signals.user_deactivated.send(target)  # live rooms end the person's connections (realtime)


def assign_advisor(target: User, advised: str, *, actor: User) -> None:
    """Replace the schools and zones an advisor (asesor) accompanies, given as a list of CCTs."""
    if not permissions.can_manage_users(actor):
        raise PermissionDenied(_("Solo la administración asigna escuelas a una asesoría."))
    if target.role != "asesor":
        raise ValidationError(_("Solo se asignan escuelas y zonas a una asesoría."))
    schools, zones = resolve_ccts(advised)
    target.advised_schools = schools
    target.advised_zones = zones
    db.session.flush()


# --- API tokens ------------------------------------------------------------------------------


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
