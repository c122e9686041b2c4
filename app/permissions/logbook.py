"""Who may close an encounter, read its minutes, record agreements and commitments, and follow up
a school's logbook and commitments.
"""

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
)


def _logbook_encounter_zone_ids(encounter) -> set[int]:
    """The zones of an encounter: its own, and those of the schools taking part."""
    ids = {z.id for z in encounter.zones}
    for group in encounter.groups:
        ids.update(m.school.zone_id for m in group.schools if m.school.zone_id is not None)
    return ids


def _logbook_group_school_ids(group) -> set[int]:
    return {m.school_id for m in group.schools}


def _logbook_facilitates(user, encounter, group=None) -> bool:
    """The person facilitating this group (or, without a group, any group of the encounter)."""
    if not _authenticated(user):
        return False
    groups = [group] if group is not None else encounter.groups
    return any(g.facilitator_id is not None and g.facilitator_id == user.id for g in groups)


def _logbook_runs_encounter(user, encounter) -> bool:
    """Administrators and the supervisors of the encounter's zones."""
    return is_admin(user) or (
        _authenticated(user)
        and user.role == "supervisor"
        and user.zone_id in _logbook_encounter_zone_ids(encounter)
    )


def can_close_encounter(user, encounter) -> bool:
    """Close an encounter (and generate its minutes): its supervisors, admins, its facilitators."""
    return _logbook_runs_encounter(user, encounter) or _logbook_facilitates(user, encounter)


def can_view_minutes(user, encounter) -> bool:
    """The minutes of an encounter: whoever runs, facilitates, advises or took part in it."""
    if not _authenticated(user):
        return False
    if can_close_encounter(user, encounter):
        return True
    school_ids = (
        set().union(*(_logbook_group_school_ids(g) for g in encounter.groups)) if encounter.groups else set()
    )
    if user.role in ("director", "docente"):
        return encounter.status != "borrador" and user.school_id is not None and user.school_id in school_ids
    if user.role == "asesor":
        return any(advises_zone(user, z) for z in _logbook_encounter_zone_ids(encounter)) or any(
            s.id in school_ids for s in user.advised_schools
        )
    return False


def can_record_commitment(user, encounter, school: School) -> bool:
    """Write down a school's commitment in an encounter: who runs it, the school's group
    facilitator, and the school's own director and teachers (if the school takes part)."""
    if _logbook_runs_encounter(user, encounter):
        return True
    group = next((g for g in encounter.groups if school.id in _logbook_group_school_ids(g)), None)
    if group is None:
        return False
    return _logbook_facilitates(user, encounter, group) or is_member_of_school(user, school)


def can_record_agreement(user, encounter, group=None) -> bool:
    """Write down an agreement of a group: who runs the encounter, the group's facilitator and the
    directors and teachers of the group's schools."""
    if _logbook_runs_encounter(user, encounter) or _logbook_facilitates(user, encounter, group):
        return True
    if not _authenticated(user) or user.role not in ("director", "docente") or user.school_id is None:
        return False
    groups = [group] if group is not None else encounter.groups
    return any(user.school_id in _logbook_group_school_ids(g) for g in groups)


def can_view_logbook(user, school: School) -> bool:
    """A school's logbook and commitments: its director and teachers, its zone's supervisor, its
    advisors, administrators."""
    return (
        is_admin(user)
        or is_member_of_school(user, school)
        or supervises_zone(user, school.zone_id)
        or advises_school(user, school)
    )


def can_add_logbook_note(user, school: School) -> bool:
    """Add a note to a school's logbook: its director (and administrators)."""
    return is_admin(user) or (is_member_of_school(user, school) and user.role == "director")


def can_view_commitment(user, commitment) -> bool:
    return can_view_logbook(user, commitment.school)


def can_follow_up_commitment(user, commitment) -> bool:
    """Add progress notes, evidence and status changes: the school's people, its supervisor."""
    school = commitment.school
    return is_admin(user) or is_member_of_school(user, school) or supervises_zone(user, school.zone_id)


def can_view_zone_dashboard(user, zone: Zone) -> bool:
    """The zone's dashboard: its supervisor, its advisors, administrators."""
    return is_admin(user) or supervises_zone(user, zone.id) or advises_zone(user, zone.id)


def can_view_region_health(user, zones) -> bool:
    """A region's (a sector's) network health: administrators, and whoever sees the dashboard of one
    of its zones (its supervisors and advisors: the zones of a sector work together)."""
    zones = list(zones or [])
    return bool(zones) and (is_admin(user) or any(can_view_zone_dashboard(user, z) for z in zones))
