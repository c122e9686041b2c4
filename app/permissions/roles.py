"""Who someone is: signed in, administrator, supervisor or advisor of a zone, member of a school."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.catalogue.models import School


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_admin(user) -> bool:
    return _authenticated(user) and user.role == "admin"


def user_zone_id(user) -> int | None:
    """The zone a supervisor owns, or the zone of a director's or teacher's school."""
    if not _authenticated(user):
        return None
    if user.role == "supervisor":
        return user.zone_id
    if user.role in ("director", "docente") and user.school is not None:
        return user.school.zone_id
    return None


def advises_zone(user, zone_id: int | None) -> bool:
    return (
        _authenticated(user)
        and user.role == "asesor"
        and zone_id is not None
        and (
            any(z.id == zone_id for z in user.advised_zones)
            or any(s.zone_id == zone_id for s in user.advised_schools)
        )
    )


def advises_school(user, school: School) -> bool:
    return (
        _authenticated(user)
        and user.role == "asesor"
        and (
            any(s.id == school.id for s in user.advised_schools)
            or any(z.id == school.zone_id for z in user.advised_zones)
        )
    )


def supervises_zone(user, zone_id: int | None) -> bool:
    return (
        _authenticated(user) and user.role == "supervisor" and zone_id is not None and user.zone_id == zone_id
    )


def is_member_of_school(user, school: School) -> bool:
    """A director or teacher of this very school."""
    return _authenticated(user) and user.role in ("director", "docente") and user.school_id == school.id
