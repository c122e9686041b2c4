"""Managing people: who sees whom, activating and deactivating accounts, the schools and zones an
advisor accompanies, and schools and zones by CCT.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import or_

from app import permissions
from app.auth.models import ROLES, User
from app.auth.sessions import DEACTIVATED, end_sessions
from app.catalogue.models import School, Zone
from app.extensions import db
from app.validation import PermissionDenied, ValidationError


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
        # A new session token: the person's cookies stay refused even once the account is enabled
        # again, and their open live connections close (realtime, after the commit).
        end_sessions(target, reason=DEACTIVATED)


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
