"""Who may do what. Pages, the API and Socket.IO events all ask these same functions.

Every function takes the acting user first (possibly anonymous) and the object, and returns a bool.
The rules, in short:

* administrators may do everything;
* a supervisor owns one zone: sees its schools, problems and practices, invites its directors,
  issues password resets for its people;
* an advisor (asesor) sees the schools and zones assigned to them, read-only;
* a director or a teacher (docente) belongs to one school: records its problems and practices;
  the director also invites the school's teachers. Both see the schools of their own zone, since
  the zone's schools share their problems to learn from each other.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.auth.models import User
    from app.practices.models import Practice
    from app.problems.models import Problem
    from app.schools.models import School, Zone


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
        _authenticated(user) and user.role == "asesor" and zone_id is not None
        and (any(z.id == zone_id for z in user.advised_zones)
             or any(s.zone_id == zone_id for s in user.advised_schools))
    )


def advises_school(user, school: "School") -> bool:
    return (
        _authenticated(user) and user.role == "asesor"
        and (any(s.id == school.id for s in user.advised_schools)
             or any(z.id == school.zone_id for z in user.advised_zones))
    )


def supervises_zone(user, zone_id: int | None) -> bool:
    return _authenticated(user) and user.role == "supervisor" and zone_id is not None \
        and user.zone_id == zone_id


def is_member_of_school(user, school: "School") -> bool:
    """A director or teacher of this very school."""
    return _authenticated(user) and user.role in ("director", "docente") \
        and user.school_id == school.id


# --- zones and schools -------------------------------------------------------------------------

def can_view_zone(user, zone: "Zone") -> bool:
    """The zone page: its schools, their problems, counts per category."""
    return is_admin(user) or supervises_zone(user, zone.id) or advises_zone(user, zone.id)


def can_see_zone_summary(user, zone: "Zone") -> bool:
    """The zone's name and list of schools (the API's /zones): its viewers, and its directors and
    teachers, who already see the schools of their own zone."""
    return can_view_zone(user, zone) or (
        _authenticated(user) and user.role in ("director", "docente")
        and user_zone_id(user) == zone.id
    )


def can_view_school(user, school: "School") -> bool:
    """A school's page and its problems."""
    if not _authenticated(user):
        return False
    return (
        is_admin(user)
        or supervises_zone(user, school.zone_id)
        or advises_school(user, school)
        or is_member_of_school(user, school)
        or (user.role in ("director", "docente") and school.zone_id is not None
            and user_zone_id(user) == school.zone_id)
    )


def can_import_catalogue(user) -> bool:
    return is_admin(user)


def can_list_zones(user) -> bool:
    """The list of zones: administrators (all) and asesores (the ones assigned to them)."""
    return is_admin(user) or (_authenticated(user) and user.role == "asesor")


def can_view_school_people(user, school: "School") -> bool:
    """Who works at a school: administrators, the zone's supervisor, the school's director."""
    return is_admin(user) or supervises_zone(user, school.zone_id) or (
        is_member_of_school(user, school) and user.role == "director"
    )


# --- problems ----------------------------------------------------------------------------------

def can_record_problem(user, school: "School") -> bool:
    """Record a new problem for this school."""
    return is_admin(user) or is_member_of_school(user, school)


def can_view_problem(user, problem: "Problem") -> bool:
    return can_view_school(user, problem.school)


def can_edit_problem(user, problem: "Problem") -> bool:
    return is_admin(user) or is_member_of_school(user, problem.school)


# --- practices ---------------------------------------------------------------------------------

def can_record_practice(user, school: "School") -> bool:
    return is_admin(user) or is_member_of_school(user, school)


def can_view_practice(user, practice: "Practice") -> bool:
    """Visibility: 'escuela' (its school and those who oversee it), 'zona', or 'todos'."""
    if not _authenticated(user):
        return False
    school = practice.school
    if is_admin(user) or is_member_of_school(user, school) or supervises_zone(user, school.zone_id) \
            or advises_school(user, school):
        return True
    if practice.visibility == "todos":
        return True
    if practice.visibility == "zona":
        return school.zone_id is not None and (
            user_zone_id(user) == school.zone_id or advises_zone(user, school.zone_id)
        )
    return False


def can_edit_practice(user, practice: "Practice") -> bool:
    return is_admin(user) or is_member_of_school(user, practice.school)


def can_adopt_practice(user, practice: "Practice") -> bool:
    """A director or teacher of another school that can see the practice."""
    return (
        _authenticated(user) and user.role in ("director", "docente")
        and user.school_id is not None and user.school_id != practice.school_id
        and can_view_practice(user, practice)
    )


# --- people ------------------------------------------------------------------------------------

def can_invite(user, *, role: str, school: "School | None" = None, zone: "Zone | None" = None) -> bool:
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


def can_issue_password_reset(user, target: "User") -> bool:
    """Administrators for anyone; a supervisor for the directors and teachers of the zone."""
    if is_admin(user):
        return True
    if not _authenticated(user) or user.role != "supervisor" or target.id == user.id:
        return False
    return target.role in ("director", "docente") and target.school is not None \
        and supervises_zone(user, target.school.zone_id)


def can_manage_users(user) -> bool:
    return is_admin(user)


# --- groupings (pairing schools) ---------------------------------------------------------------

def can_group_zone(user, zone: "Zone") -> bool:
    """Propose, change and accept the zone's groupings: the zone council (its supervisor)."""
    return is_admin(user) or supervises_zone(user, zone.id)


def can_view_groupings(user, zone: "Zone") -> bool:
    """See the zone's groupings and their reasons: the council and the zone's advisors."""
    return can_group_zone(user, zone) or advises_zone(user, zone.id)
