"""Who may see zones and schools, their people, and import the catalogue."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.catalogue.models import School, Zone
from app.permissions.roles import (
    _authenticated,
    advises_school,
    advises_zone,
    is_admin,
    is_member_of_school,
    supervises_zone,
    user_zone_id,
)


def can_view_zone(user, zone: Zone) -> bool:
    """The zone page: its schools, their problems, counts per category."""
    return is_admin(user) or supervises_zone(user, zone.id) or advises_zone(user, zone.id)


def can_see_zone_summary(user, zone: Zone) -> bool:
    """The zone's name and list of schools (the API's /zones): its viewers, and its directors and
    teachers, who already see the schools of their own zone."""
    return can_view_zone(user, zone) or (
        _authenticated(user) and user.role in ("director", "docente") and user_zone_id(user) == zone.id
    )


def can_view_school(user, school: School) -> bool:
    """A school's page and its problems."""
    if not _authenticated(user):
        return False
    return (
        is_admin(user)
        or supervises_zone(user, school.zone_id)
        or advises_school(user, school)
        or is_member_of_school(user, school)
        or (
            user.role in ("director", "docente")
            and school.zone_id is not None
            and user_zone_id(user) == school.zone_id
        )
    )


def can_import_catalogue(user) -> bool:
    return is_admin(user)


def can_list_zones(user) -> bool:
    """The list of zones: administrators (all) and asesores (the ones assigned to them)."""
    return is_admin(user) or (_authenticated(user) and user.role == "asesor")


def can_view_school_people(user, school: School) -> bool:
    """Who works at a school: administrators, the zone's supervisor, the school's director."""
    return (
        is_admin(user)
        or supervises_zone(user, school.zone_id)
        or (is_member_of_school(user, school) and user.role == "director")
    )
