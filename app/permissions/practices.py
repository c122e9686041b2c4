"""Who may record, see, edit and adopt practices."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.catalogue.models import School
    from app.practices.models import Practice
from app.permissions.roles import (
    _authenticated,
    advises_school,
    advises_zone,
    is_admin,
    is_member_of_school,
    supervises_zone,
    user_zone_id,
)


def can_record_practice(user, school: School) -> bool:
    return is_admin(user) or is_member_of_school(user, school)


def can_view_practice(user, practice: Practice) -> bool:
    """Visibility: 'escuela' (its school and those who oversee it), 'zona', or 'todos'."""
    if not _authenticated(user):
        return False
    school = practice.school
    if (
        is_admin(user)
        or is_member_of_school(user, school)
        or supervises_zone(user, school.zone_id)
        or advises_school(user, school)
    ):
        return True
    if practice.visibility == "todos":
        return True
    if practice.visibility == "zona":
        return school.zone_id is not None and (
            user_zone_id(user) == school.zone_id or advises_zone(user, school.zone_id)
        )
    return False


def can_edit_practice(user, practice: Practice) -> bool:
    return is_admin(user) or is_member_of_school(user, practice.school)


def can_adopt_practice(user, practice: Practice) -> bool:
    """A director or teacher of another school that can see the practice."""
    return (
        _authenticated(user)
        and user.role in ("director", "docente")
        and user.school_id is not None
        and user.school_id != practice.school_id
        and can_view_practice(user, practice)
    )
