"""Who may schedule, edit, see, start an encounter, prepare presentations and take attendance."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.catalogue.models import School
from app.permissions.roles import _authenticated, advises_zone, is_admin, is_member_of_school, supervises_zone


def _encounter_zone_ids(encounter) -> set[int]:
    return {z.id for z in encounter.zones}


def _encounter_school_ids(encounter) -> set[int]:
    return {m.school_id for g in encounter.groups for m in g.schools}


def can_schedule_encounter(user, zones) -> bool:
    """Create and schedule an encounter of these zones: administrators, or a supervisor of one of
    them (an encounter of several zones of a sector is organised jointly)."""
    zones = list(zones or [])
    return is_admin(user) or (bool(zones) and any(supervises_zone(user, z.id) for z in zones))


def can_create_encounters(user) -> bool:
    """See the 'new encounter' page: administrators and supervisors with a zone."""
    return is_admin(user) or (_authenticated(user) and user.role == "supervisor" and user.zone_id is not None)


def can_edit_encounter(user, encounter) -> bool:
    """Change an encounter's details, groups and agenda, schedule it: who may schedule it."""
    return can_schedule_encounter(user, encounter.zones)


def facilitates_encounter(user, encounter, group=None) -> bool:
    """The facilitator of this group (or, without a group, of any group of the encounter)."""
    if not _authenticated(user):
        return False
    groups = [group] if group is not None else encounter.groups
    return any(g.facilitator_id is not None and g.facilitator_id == user.id for g in groups)


def can_view_encounter(user, encounter) -> bool:
    """Supervisors and advisors of its zones, its facilitators, and — once scheduled — the
    directors and teachers of the participating schools (and the advisors of those schools)."""
    if not _authenticated(user):
        return False
    if can_edit_encounter(user, encounter) or facilitates_encounter(user, encounter):
        return True
    zone_ids = _encounter_zone_ids(encounter)
    if user.role == "asesor":
        return any(advises_zone(user, z) for z in zone_ids) or any(
            s.id in _encounter_school_ids(encounter) for s in user.advised_schools
        )
    if user.role in ("director", "docente") and encounter.status != "borrador":
        return user.school_id is not None and user.school_id in _encounter_school_ids(encounter)
    return False


def can_view_readiness(user, encounter) -> bool:
    """The table of each school's preparation: who runs, facilitates or advises the encounter."""
    return (
        can_edit_encounter(user, encounter)
        or facilitates_encounter(user, encounter)
        or (_authenticated(user) and user.role == "asesor" and can_view_encounter(user, encounter))
    )


def can_start_encounter(user, encounter) -> bool:
    """Start the session (programado → en curso): who schedules it and its facilitators."""
    return can_edit_encounter(user, encounter) or facilitates_encounter(user, encounter)


def can_prepare_presentation(user, encounter, school: School) -> bool:
    """Choose the problems, write the ask, upload a PDF: the school's director and teachers (and
    administrators), while the school takes part in a scheduled encounter."""
    if school.id not in _encounter_school_ids(encounter) or encounter.status == "concluido":
        return False
    return is_admin(user) or (is_member_of_school(user, school) and encounter.status != "borrador")


def can_view_presentation(user, encounter, school: School) -> bool:
    """A school's slides or PDF: whoever sees the encounter, for a school that takes part."""
    return school.id in _encounter_school_ids(encounter) and can_view_encounter(user, encounter)


def can_record_attendance(user, encounter, school: School | None = None) -> bool:
    """Register attendance: who schedules the encounter, and for a group its facilitator and the
    director of its host school (sede). Without a school: for at least one group."""
    if encounter.status == "borrador" or not _authenticated(user):
        return False
    if can_edit_encounter(user, encounter):
        return True
    groups = [
        g for g in encounter.groups if school is None or any(m.school_id == school.id for m in g.schools)
    ]
    return any(
        facilitates_encounter(user, encounter, g)
        or (user.role == "director" and g.host_school_id is not None and user.school_id == g.host_school_id)
        for g in groups
    )
