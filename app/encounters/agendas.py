"""Each group's agenda (the CTE session card's template, opened with the review of the previous
commitments where the schools met before), its editing and timing, turns, and attendance.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam, text

from app import permissions, signals
from app.auth.models import User
from app.catalogue.models import School
from app.encounters import agenda as agenda_template
from app.encounters.models import (
    ATTENDANCE_STATUSES,
    AgendaItem,
    Attendance,
    Encounter,
    EncounterGroup,
    EncounterSchool,
)
from app.encounters.queries import MAX_AGENDA_MINUTES, _require, _require_editable, group_of_school
from app.extensions import db
from app.utils import as_utc, utcnow
from app.validation import ValidationError


def previous_meeting(group: EncounterGroup) -> tuple[Encounter, list[int]] | None:
    """The last concluded encounter where at least two of this group's schools met in one group,
    and those schools."""
    encounter = group.encounter
    school_ids = [m.school_id for m in group.schools]
    if len(school_ids) < 2:
        return None
    rows = db.session.execute(
        db.select(EncounterSchool.group_id, EncounterSchool.school_id, Encounter)
        .join(Encounter, Encounter.id == EncounterSchool.encounter_id)
        .where(
            EncounterSchool.school_id.in_(school_ids),
            Encounter.status == "concluido",
            Encounter.id != (encounter.id or 0),
        )
    ).all()
    by_group: dict[int, tuple[Encounter, list[int]]] = {}
    for group_id, school_id, other in rows:
        if as_utc(other.starts_at) >= as_utc(encounter.starts_at):
            continue
        by_group.setdefault(group_id, (other, []))[1].append(school_id)
    met = [(other, ids) for other, ids in by_group.values() if len(ids) >= 2]
    if not met:
        return None
    return max(met, key=lambda pair: (as_utc(pair[0].starts_at), pair[0].id))


def review_lines(group: EncounterGroup) -> list[str] | None:
    """The previous commitments of the group's schools, one line each; None if they never met.

    Commitments sit above encounters: their area answers ``review_lines_requested``."""
    previous = previous_meeting(group)
    if previous is None:
        return None
    other, school_ids = previous
    answers = signals.review_lines_requested.send(other, school_ids=school_ids)
    return [line for _receiver, lines in answers for line in lines or ()]


def build_agenda(group: EncounterGroup) -> list[AgendaItem]:
    """Replace the group's agenda with the template (and the review of previous commitments)."""
    group.agenda.clear()
    db.session.flush()
    items = agenda_template.template_items(
        [(m.school_id, m.school.name) for m in group.schools], review_lines(group)
    )
    for position, item in enumerate(items, start=1):
        group.agenda.append(AgendaItem(position=position, **item))
    db.session.flush()
    return list(group.agenda)


def sync_turns(group: EncounterGroup) -> None:
    """Keep one presentation turn per school, keeping the rest of an edited agenda."""
    if not group.agenda:
        build_agenda(group)
        return
    school_ids = [m.school_id for m in group.schools]
    items = list(group.agenda)
    for item in items:
        if item.school_id is not None and item.school_id not in school_ids:
            group.agenda.remove(item)
    have = {i.school_id for i in group.agenda if i.school_id is not None}
    items = list(group.agenda)
    anchor = max(
        (
            k
            for k, i in enumerate(items)
            if i.activity == 2 and (i.school_id is not None or i.title == agenda_template.ACTIVITY_TITLES[2])
        ),
        default=None,
    )
    if anchor is None:
        anchor = max((k for k, i in enumerate(items) if i.activity <= 2), default=len(items) - 1)
    new_items = [
        AgendaItem(**agenda_template.turn_item(m.school_id, m.school.name))
        for m in group.schools
        if m.school_id not in have
    ]
    ordered = items[: anchor + 1] + new_items + items[anchor + 1 :]
    for item in new_items:
        group.agenda.append(item)
    for position, item in enumerate(ordered, start=1):
        item.position = position
    db.session.flush()
    group.agenda.sort(key=lambda i: i.position)


def _require_agenda_editable(group: EncounterGroup, actor: User) -> None:
    _require(permissions.can_edit_encounter(actor, group.encounter))
    _require_editable(group.encounter)


def _clean_item(title, minutes, field_prefix: str = "") -> tuple[str, int]:
    title = (title or "").strip()
    if not title:
        raise ValidationError({f"{field_prefix}title": _("Escribe el título de la actividad.")})
    if len(title) > 200:
        raise ValidationError({f"{field_prefix}title": _("El título no puede pasar de 200 caracteres.")})
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise ValidationError({f"{field_prefix}minutes": _("Escribe los minutos con un número.")}) from None
    if not 1 <= minutes <= MAX_AGENDA_MINUTES:
        raise ValidationError(
            {
                f"{field_prefix}minutes": _(
                    "Entre 1 y %(MAX_AGENDA_MINUTES)s minutos.", MAX_AGENDA_MINUTES=MAX_AGENDA_MINUTES
                )
            }
        )
    return title, minutes


def update_agenda(group: EncounterGroup, rows: list[dict], *, actor: User) -> list[AgendaItem]:
    """Edit titles, minutes and order, and remove items: rows of {id, title, minutes, position,
    remove}."""
    _require_agenda_editable(group, actor)
    by_id = {i.id: i for i in group.agenda}
    order = []
    for row in rows:
        item = by_id.get(row.get("id"))
        if item is None:
            raise ValidationError({"_": _("Una de las actividades ya no existe; recarga la página.")})
        if row.get("remove"):
            group.agenda.remove(item)
            continue
        item.title, item.minutes = _clean_item(row.get("title"), row.get("minutes"), f"item-{item.id}-")
        description = row.get("description")
        if description is not None:
            item.description = description.strip() or None
        try:
            wanted = float(row.get("position"))
        except (TypeError, ValueError):
            wanted = float(item.position)
        order.append((wanted, item.position, item))
    order.sort(key=lambda t: (t[0], t[1]))
    for position, (_a, _b, item) in enumerate(order, start=1):
        item.position = position
    db.session.flush()
    group.agenda.sort(key=lambda i: i.position)
    return list(group.agenda)


def add_agenda_item(group: EncounterGroup, data: dict, *, actor: User) -> AgendaItem:
    """Add an item at the end of the agenda (or after the activity it belongs to)."""
    _require_agenda_editable(group, actor)
    title, minutes = _clean_item(data.get("title"), data.get("minutes"))
    try:
        activity = int(data.get("activity") or 0)
    except (TypeError, ValueError):
        activity = -1
    if activity not in agenda_template.ACTIVITY_TITLES:
        raise ValidationError({"activity": _("Elige la actividad a la que pertenece.")})
    items = list(group.agenda)
    after = max((k for k, i in enumerate(items) if i.activity <= activity), default=-1)
    item = AgendaItem(
        title=title,
        minutes=minutes,
        activity=activity,
        description=(data.get("description") or "").strip() or None,
    )
    ordered = items[: after + 1] + [item] + items[after + 1 :]
    group.agenda.append(item)
    for position, row in enumerate(ordered, start=1):
        row.position = position
    db.session.flush()
    group.agenda.sort(key=lambda i: i.position)
    return item


def reset_agenda(group: EncounterGroup, *, actor: User) -> list[AgendaItem]:
    """Start the group's agenda again from the template."""
    _require_agenda_editable(group, actor)
    return build_agenda(group)


def agenda_with_times(group: EncounterGroup) -> list[tuple[AgendaItem, datetime, datetime]]:
    """Each item of the agenda with its start and end, one after the other from the start time."""
    items = list(group.agenda)
    times = agenda_template.schedule_times(as_utc(group.encounter.starts_at), [i.minutes for i in items])
    return [(item, start, end) for item, (start, end) in zip(items, times, strict=True)]


def record_attendance(
    encounter: Encounter,
    school: School,
    status: str,
    *,
    actor: User,
    source: str = "sede",
    people: int | None = None,
) -> Attendance:
    """Register a school's attendance (presente, ausente, justificada) at the host (sede) or from
    the live room (sala; a school's own people may mark it present there)."""
    if status not in ATTENDANCE_STATUSES:
        raise ValidationError({"status": _("Elige presente, ausente o falta justificada.")})
    if source not in ("sede", "sala"):
        raise ValidationError({"source": _("Origen no válido.")})
    if group_of_school(encounter, school.id) is None:
        raise ValidationError(
            {"school": _("La escuela %(cct)s no participa en este encuentro.", cct=school.cct)}
        )
    allowed = permissions.can_record_attendance(actor, encounter, school) or (
        source == "sala"
        and status == "presente"
        and encounter.status == "en_curso"
        and permissions.is_member_of_school(actor, school)
    )
    _require(allowed)
    if encounter.status == "borrador":
        raise ValidationError({"_": _("El encuentro aún no está programado.")})
    if people is not None:
        try:
            people = int(people)
        except (TypeError, ValueError):
            raise ValidationError({"people": _("Escribe el número de personas.")}) from None
        if not 0 <= people <= 500:
            raise ValidationError({"people": _("Entre 0 y 500 personas.")})
    row = db.session.execute(
        db.select(Attendance).filter_by(encounter_id=encounter.id, school_id=school.id)
    ).scalar_one_or_none()
    if row is None:
        row = Attendance(encounter_id=encounter.id, school_id=school.id)
        db.session.add(row)
    row.status = status
    row.source = source
    if people is not None or status != "presente":
        row.people = people if status == "presente" else None
    row.recorded_by_id = actor.id
    row.recorded_at = utcnow()
    db.session.flush()
    return row


#: A school's first presence in its running room, when no attendance is recorded yet (a host's
#: record stands): one statement, no savepoint, on PostgreSQL and SQLite alike.
_PRESENT_FROM_ROOM = text(
    "INSERT INTO attendance (encounter_id, school_id, status, source, recorded_by_id, recorded_at)"
    " VALUES (:encounter_id, :school_id, 'presente', 'sala', :recorded_by_id, :recorded_at)"
    " ON CONFLICT (encounter_id, school_id) DO NOTHING"
).bindparams(bindparam("recorded_at", type_=Attendance.__table__.c.recorded_at.type))


def mark_present_from_room(group: EncounterGroup, school: School, *, actor: User) -> bool:
    """The school's people opened its room while the encounter runs: its attendance is "presente"
    from the room (sala), unless one is recorded already. Only the school's own director or
    teachers mark it (as ``record_attendance`` allows from the room). True if it was recorded."""
    encounter = group.encounter
    if (
        encounter.status != "en_curso"
        or not permissions.is_member_of_school(actor, school)
        or not any(m.school_id == school.id for m in group.schools)
    ):
        return False
    values = {"encounter_id": encounter.id, "school_id": school.id, "recorded_by_id": actor.id}
    return db.session.execute(_PRESENT_FROM_ROOM, {**values, "recorded_at": utcnow()}).rowcount == 1


def attendance_by_school(encounter: Encounter) -> dict[int, Attendance]:
    """The attendance rows of an encounter, by school id."""
    return {
        a.school_id: a
        for a in db.session.execute(db.select(Attendance).filter_by(encounter_id=encounter.id)).scalars()
    }


def attendance_schools(encounter: Encounter, actor: User) -> list[tuple[EncounterGroup, School]]:
    """The (group, school) pairs whose attendance this person may register."""
    return [
        (g, m.school)
        for g in encounter.groups
        for m in g.schools
        if permissions.can_record_attendance(actor, encounter, m.school)
    ]
