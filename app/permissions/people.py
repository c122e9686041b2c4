"""Who may invite people, issue password resets and manage accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.auth.models import User
    from app.catalogue.models import School, Zone
from app.permissions.roles import _authenticated, is_admin, supervises_zone


def can_invite(user, *, role: str, school: School | None = None, zone: Zone | None = None) -> bool:
    """Supervisors invite the directors of their zone, directors the teachers of their school."""
    if is_admin(user):
        return True
    if not _authenticated(user):
        return False
    if user.role == "supervisor" and role == "director":
        return school is not None and supervises_zone(user, school.zone_id)
    if user.role == "director" and role == "docente":
        return school is not None and user.school_id == school.id
    return False


def can_issue_password_reset(user, target: User) -> bool:
    """Administrators for anyone; a supervisor for the directors and teachers of the zone."""
    if is_admin(user):
        return True
    if not _authenticated(user) or user.role != "supervisor" or target.id == user.id:
        return False
    return (
        target.role in ("director", "docente")
        and target.school is not None
        and supervises_zone(user, target.school.zone_id)
    )


def can_manage_users(user) -> bool:
    return is_admin(user)
