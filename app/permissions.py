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
    from app.catalogue.models import School, Zone


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


# --- logbook -----------------------------------------------------------------------------------
# Minutes, the school's logbook (Cuaderno de Bitácora), commitments and the zone dashboard.

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
        _authenticated(user) and user.role == "supervisor"
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
    school_ids = set().union(*(_logbook_group_school_ids(g) for g in encounter.groups)) \
        if encounter.groups else set()
    if user.role in ("director", "docente"):
        return encounter.status != "borrador" and user.school_id is not None \
            and user.school_id in school_ids
    if user.role == "asesor":
        return any(advises_zone(user, z) for z in _logbook_encounter_zone_ids(encounter)) \
            or any(s.id in school_ids for s in user.advised_schools)
    return False


def can_record_commitment(user, encounter, school: "School") -> bool:
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


def can_view_logbook(user, school: "School") -> bool:
    """A school's logbook and commitments: its director and teachers, its zone's supervisor, its
    advisors, administrators."""
    return is_admin(user) or is_member_of_school(user, school) \
        or supervises_zone(user, school.zone_id) or advises_school(user, school)


def can_add_logbook_note(user, school: "School") -> bool:
    """Add a note to a school's logbook: its director (and administrators)."""
    return is_admin(user) or (is_member_of_school(user, school) and user.role == "director")


def can_view_commitment(user, commitment) -> bool:
    return can_view_logbook(user, commitment.school)


def can_follow_up_commitment(user, commitment) -> bool:
    """Add progress notes, evidence and status changes: the school's people, its supervisor."""
    school = commitment.school
    return is_admin(user) or is_member_of_school(user, school) or supervises_zone(user, school.zone_id)


def can_view_zone_dashboard(user, zone: "Zone") -> bool:
    """The zone's dashboard: its supervisor, its advisors, administrators."""
    return is_admin(user) or supervises_zone(user, zone.id) or advises_zone(user, zone.id)


# --- encounters --------------------------------------------------------------------------------
# Scheduling, groups, agenda, presentations, attendance. Drafts (borrador) are the council's work:
# the schools' people see an encounter once it is scheduled.

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
    return is_admin(user) or (_authenticated(user) and user.role == "supervisor"
                              and user.zone_id is not None)


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
            s.id in _encounter_school_ids(encounter) for s in user.advised_schools)
    if user.role in ("director", "docente") and encounter.status != "borrador":
        return user.school_id is not None and user.school_id in _encounter_school_ids(encounter)
    return False


def can_view_readiness(user, encounter) -> bool:
    """The table of each school's preparation: who runs, facilitates or advises the encounter."""
    return can_edit_encounter(user, encounter) or facilitates_encounter(user, encounter) or (
        _authenticated(user) and user.role == "asesor" and can_view_encounter(user, encounter))


def can_start_encounter(user, encounter) -> bool:
    """Start the session (programado → en curso): who schedules it and its facilitators."""
    return can_edit_encounter(user, encounter) or facilitates_encounter(user, encounter)


def can_prepare_presentation(user, encounter, school: "School") -> bool:
    """Choose the problems, write the ask, upload a PDF: the school's director and teachers (and
    administrators), while the school takes part in a scheduled encounter."""
    if school.id not in _encounter_school_ids(encounter) or encounter.status == "concluido":
        return False
    return is_admin(user) or (is_member_of_school(user, school) and encounter.status != "borrador")


def can_view_presentation(user, encounter, school: "School") -> bool:
    """A school's slides or PDF: whoever sees the encounter, for a school that takes part."""
    return school.id in _encounter_school_ids(encounter) and can_view_encounter(user, encounter)


def can_record_attendance(user, encounter, school: "School | None" = None) -> bool:
    """Register attendance: who schedules the encounter, and for a group its facilitator and the
    director of its host school (sede). Without a school: for at least one group."""
    if encounter.status == "borrador" or not _authenticated(user):
        return False
    if can_edit_encounter(user, encounter):
        return True
    groups = [g for g in encounter.groups
              if school is None or any(m.school_id == school.id for m in g.schools)]
    return any(
        facilitates_encounter(user, encounter, g)
        or (user.role == "director" and g.host_school_id is not None
            and user.school_id == g.host_school_id)
        for g in groups
    )


# --- live rooms --------------------------------------------------------------------------------
# The live room of an encounter group (app/live, realtime/). Pages and every Socket.IO event ask
# these: joining (seeing), participating (writing) and facilitating (running the room).

def _live_school_ids(group) -> set[int]:
    return {m.school_id for m in group.schools}


def _live_zone_ids(group) -> set[int]:
    """The encounter's zones and those of the group's schools."""
    ids = {z.id for z in group.encounter.zones}
    ids.update(m.school.zone_id for m in group.schools if m.school.zone_id is not None)
    return ids


def _live_member(user, group) -> bool:
    return _authenticated(user) and user.role in ("director", "docente") \
        and user.school_id is not None and user.school_id in _live_school_ids(group)


def can_facilitate(user, group) -> bool:
    """Run the room (agenda, countdown, turns, floor, hiding): the group's facilitator, the zone's
    supervisor, administrators and the director of the host school."""
    if not _authenticated(user):
        return False
    return (
        is_admin(user)
        or (group.facilitator_id is not None and group.facilitator_id == user.id)
        or (user.role == "supervisor" and user.zone_id in _live_zone_ids(group))
        or (user.role == "director" and group.host_school_id is not None
            and user.school_id == group.host_school_id)
    )


def can_join_room(user, group) -> bool:
    """See the live room: the group's schools' people, its facilitators, the zone's supervisor, the
    schools' advisors, administrators (a draft encounter's room only to those who run it)."""
    if not _authenticated(user):
        return False
    if can_facilitate(user, group):
        return True
    if group.encounter.status == "borrador":
        return False
    return _live_member(user, group) or (
        user.role == "asesor" and any(advises_school(user, m.school) for m in group.schools))


def can_participate(user, group) -> bool:
    """Write in the live room (contributions, hands, commitments): the group's schools' directors and
    teachers and whoever facilitates; advisors and other viewers only observe."""
    return can_join_room(user, group) and (_live_member(user, group) or can_facilitate(user, group))


# --- good practices ---------------------------------------------------------------------------
# app/goodpractices: publishing a fulfilled commitment as a practice, recognising a zone's good
# practices, narratives (relatos), and the zone's booklet of recognised practices.

def can_publish_commitment_practice(user, commitment) -> bool:
    """Publish a commitment of a school as a practice: its director and teachers, administrators."""
    return can_record_practice(user, commitment.school)


def recognisable_zone_ids(user, practice: "Practice") -> set[int]:
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
            s.zone_id for s in user.advised_schools if s.zone_id is not None}
    return set()


def can_recognise_practice(user, practice: "Practice", zone_id: int | None = None) -> bool:
    """Mark (or unmark) a practice as a good practice of a zone: its supervisor or advisors."""
    zones = recognisable_zone_ids(user, practice)
    return bool(zones) if zone_id is None else zone_id in zones


def can_write_narrative(user, school: "School") -> bool:
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
        user.role == "director" or (narrative.author_id is not None and narrative.author_id == user.id))


def can_view_zone_good_practices(user, zone: "Zone") -> bool:
    """The zone's good practices and their booklet (PDF, CSV): its council, advisors, directors
    and teachers."""
    return can_see_zone_summary(user, zone)
