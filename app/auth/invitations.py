"""Invitations: a supervisor invites the directors of the zone, a director the school's teachers,
the administration anyone; a link shown once, stored as a hash, used once before it expires.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _

from app import permissions
from app.auth.login import find_user_by_email, normalise_email
from app.auth.models import ROLES, Invitation, User
from app.auth.passwords import check_new_password, personal_words
from app.auth.people import resolve_ccts, school_by_cct, zone_by_cct
from app.catalogue.models import School, Zone
from app.extensions import db
from app.utils import hash_token, new_token, utcnow
from app.validation import PermissionDenied, ValidationError


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
    check_new_password(
        data.get("password") or "", data.get("confirm"), user_inputs=personal_words(invitation.email, name)
    )
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
