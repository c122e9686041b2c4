"""Who may publish, recognise and tell (relatos) good practices."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.catalogue.models import School, Zone
    from app.practices.models import Practice
from app.permissions.practices import can_record_practice, can_view_practice
from app.permissions.roles import is_admin, is_member_of_school
from app.permissions.schools import can_see_zone_summary, can_view_school


def can_publish_commitment_practice(user, commitment) -> bool:
    """Publish a commitment of a school as a practice: its director and teachers, administrators."""
    return can_record_practice(user, commitment.school)


def recognisable_zone_ids(user, practice: Practice) -> set[int]:
    """The zones in whose name ``user`` may recognise ``practice`` as a good practice: a supervisor's
    zone, an advisor's zones (those assigned, and those of the schools assigned); an administrator,
    the practice's own zone. Always among the people who can see the practice."""
    if not can_view_practice(user, practice):
        return set()
    if is_admin(user):
        return {practice.school.zone_id} if practice.school.zone_id is not None else set()
    if user.role == "supervisor" and user.zone_id is not None:
        return {user.zone_id}
    if user.role == "asesor":
        return {z.id for z in user.advised_zones} | {
            s.zone_id for s in user.advised_schools if s.zone_id is not None
        }
    return set()


def can_recognise_practice(user, practice: Practice, zone_id: int | None = None) -> bool:
    """Mark (or unmark) a practice as a good practice of a zone: its supervisor or advisors."""
    zones = recognisable_zone_ids(user, practice)
    return bool(zones) if zone_id is None else zone_id in zones


def can_write_narrative(user, school: School) -> bool:
    """Write a relato of a school's experience: its director and teachers, administrators."""
    return is_admin(user) or is_member_of_school(user, school)


def can_view_narrative(user, narrative) -> bool:
    """A relato: whoever may see its practice; without a practice, whoever may see its school."""
    if narrative.practice is not None:
        return can_view_practice(user, narrative.practice) or can_view_school(user, narrative.school)
    return can_view_school(user, narrative.school)


def can_edit_narrative(user, narrative) -> bool:
    """Edit a relato: its author, the school's director, administrators."""
    if is_admin(user):
        return True
    return is_member_of_school(user, narrative.school) and (
        user.role == "director" or (narrative.author_id is not None and narrative.author_id == user.id)
    )


def can_view_zone_good_practices(user, zone: Zone) -> bool:
    """The zone's good practices and their booklet (PDF, CSV): its council, advisors, directors
    and teachers."""
    return can_see_zone_summary(user, zone)
