"""Encounters: scheduling, groups, agenda, presentations, attendance and status changes.

Every service takes the acting user explicitly, checks it with ``app.permissions`` (raising
``PermissionDenied``), refuses bad input with ``ValidationError({field: mensaje})`` in Spanish, and
flushes; the caller commits. Datetimes are timezone-aware and stored in UTC.
"""
from __future__ import annotations

from flask_babel import gettext as _
import secrets
import warnings
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import filetype
from babel.dates import format_datetime as babel_format_datetime
from flask import current_app, has_app_context
from sqlalchemy.orm import selectinload

from app import permissions, signals
from app.auth.models import User, advisor_schools, advisor_zones
from app.encounters import agenda as agenda_template
from app.encounters.models import (
    ATTENDANCE_STATUSES, MODALITIES, PRESENTATION_KINDS, AgendaItem, Attendance, Encounter,
    EncounterGroup, EncounterSchool, Presentation, encounter_zones,
)
from app.encounters.notifications import encounter_path, notify, people_of_schools
from app.extensions import db
from app.groupings.models import Grouping
from app.problems.models import Problem
from app.catalogue.models import School, Zone
from app.utils import as_utc, utcnow
from app.validation import PermissionDenied, ValidationError

EDITABLE_STATUSES = ("borrador", "programado")
OPEN_PROBLEM_STATUSES = ("abierta", "en_atencion")
MAX_AGENDA_MINUTES = 480
MAX_ASK_LENGTH = 3000


# --- helpers -----------------------------------------------------------------------------------

def display_timezone() -> ZoneInfo:
    """The timezone in which people type and read times (BABEL_DEFAULT_TIMEZONE)."""
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or "America/Mexico_City")


def when_text(encounter: Encounter) -> str:
    """The encounter's date and time in Spanish and local time, for messages."""
    tz = display_timezone()
    start = as_utc(encounter.starts_at).astimezone(tz)
    end = as_utc(encounter.ends_at).astimezone(tz)
    day = babel_format_datetime(start, "EEEE d 'de' MMMM 'de' y", locale="es_MX")
    return f"{day}, de {start:%H:%M} a {end:%H:%M}"


def get_encounter(encounter_id: int) -> Encounter | None:
    """An encounter with its zones, groups, schools and agenda loaded."""
    return db.session.get(Encounter, encounter_id, options=[
        selectinload(Encounter.zones),
        selectinload(Encounter.groups).selectinload(EncounterGroup.schools)
        .selectinload(EncounterSchool.school),
        selectinload(Encounter.groups).selectinload(EncounterGroup.agenda),
    ])


def encounter_schools(encounter: Encounter) -> list[School]:
    """The participating schools, group by group."""
    return [m.school for g in encounter.groups for m in g.schools]


def group_of_school(encounter: Encounter, school_id: int) -> EncounterGroup | None:
    """The group of the encounter a school belongs to."""
    return next((g for g in encounter.groups if any(m.school_id == school_id for m in g.schools)),
                None)


def host_location(group: EncounterGroup) -> str:
    """Host school, address and room in one line (for the calendar and messages)."""
    parts = []
    if group.host_school is not None:
        parts.append(f"{group.host_school.name} ({group.host_school.cct})")
    if group.address:
        parts.append(group.address)
    if group.room:
        parts.append(f"Salón: {group.room}")
    if group.online_url:
        parts.append(f"En línea: {group.online_url}")
    return ", ".join(parts)


def school_address(school: School) -> str:
    """A school's address as one line (the default address of a host school)."""
    parts = [school.address, school.locality, school.municipality]
    return ", ".join(p for p in parts if p)


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied()


def _require_editable(encounter: Encounter) -> None:
    if encounter.status not in EDITABLE_STATUSES:
        raise ValidationError({"_": _("El encuentro ya comenzó o concluyó; ya no se puede modificar.")})


def zones_for_scheduler(user) -> list[Zone]:
    """The zones a person may schedule encounters for: all (admin), or the supervisor's zone and
    the other zones of its sector."""
    if permissions.is_admin(user):
        return list(db.session.execute(db.select(Zone).order_by(Zone.number, Zone.cct)).scalars())
    if not permissions.can_create_encounters(user):
        return []
    own = user.zone
    if own is None:
        return []
    if not own.sector_cct:
        return [own]
    others = db.session.execute(
        db.select(Zone).where(Zone.sector_cct == own.sector_cct, Zone.id != own.id)
        .order_by(Zone.number, Zone.cct)
    ).scalars().all()
    return [own, *others]


def accepted_groupings(zones: list[Zone]) -> list[Grouping]:
    """The accepted groupings of these zones, newest first."""
    ids = [z.id for z in zones]
    if not ids:
        return []
    return list(db.session.execute(
        db.select(Grouping).where(Grouping.zone_id.in_(ids), Grouping.status == "aceptada")
        .order_by(Grouping.accepted_at.desc(), Grouping.id.desc())
    ).scalars())


def schools_of_zones(zone_ids) -> list[School]:
    """The schools of these zones, by name."""
    ids = list(zone_ids)
    if not ids:
        return []
    return list(db.session.execute(
        db.select(School).where(School.zone_id.in_(ids)).order_by(School.name, School.cct)
    ).scalars())


def facilitator_candidates(encounter: Encounter) -> list[User]:
    """Who may facilitate a group: the zones' supervisors and advisors, the schools' directors."""
    zone_ids = [z.id for z in encounter.zones]
    if not zone_ids:
        return []
    school_ids = db.select(School.id).where(School.zone_id.in_(zone_ids))
    advisors_by_zone = db.select(advisor_zones.c.user_id).where(advisor_zones.c.zone_id.in_(zone_ids))
    advisors_by_school = db.select(advisor_schools.c.user_id).where(
        advisor_schools.c.school_id.in_(school_ids))
    return list(db.session.execute(
        db.select(User).where(
            User.is_active.is_(True),
            db.or_(
                db.and_(User.role == "supervisor", User.zone_id.in_(zone_ids)),
                db.and_(User.role == "asesor",
                        db.or_(User.id.in_(advisors_by_zone), User.id.in_(advisors_by_school))),
                db.and_(User.role == "director", User.school_id.in_(school_ids)),
            ),
        ).order_by(User.role.desc(), User.name)
    ).scalars())


# --- validation --------------------------------------------------------------------------------

def _clean_details(data: dict, *, check_past: bool) -> dict:
    """Check title, times and modality; the cleaned values."""
    errors: dict[str, str] = {}
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = _("Escribe el título del encuentro.")
    elif len(title) > 200:
        errors["title"] = _("El título no puede pasar de 200 caracteres.")
    modality = data.get("modality") or "presencial"
    if modality not in MODALITIES:
        errors["modality"] = _("Elige presencial, en línea o mixta.")
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    if starts_at is None:
        errors["starts_at"] = _("Escribe la fecha y la hora de inicio.")
    elif ends_at is None:
        errors["ends_at"] = _("Escribe la hora de término.")
    else:
        starts_at, ends_at = as_utc(starts_at), as_utc(ends_at)
        if ends_at <= starts_at:
            errors["ends_at"] = _("La hora de término debe ser posterior a la de inicio.")
        elif check_past and starts_at <= utcnow():
            errors["starts_at"] = _("La fecha ya pasó: elige una fecha y hora futuras.")
    notes = (data.get("notes") or "").strip() or None
    if errors:
        raise ValidationError(errors)
    return {"title": title, "modality": modality, "starts_at": starts_at, "ends_at": ends_at,
            "notes": notes}


def _load_zones(zone_ids, actor: User) -> list[Zone]:
    ids = {int(z) for z in zone_ids or [] if str(z).isdigit()}
    zones = list(db.session.execute(db.select(Zone).where(Zone.id.in_(ids))).scalars()) if ids else []
    if not zones or len(zones) != len(ids):
        raise ValidationError({"zone_ids": _("Elige al menos una zona escolar válida.")})
    _require(permissions.can_schedule_encounter(actor, zones))
    if not permissions.is_admin(actor):
        allowed = {z.id for z in zones_for_scheduler(actor)}
        if not ids <= allowed:
            raise ValidationError({"zone_ids": _("Solo puedes incluir tu zona y las de tu sector.")})
    return zones


def _overlapping(encounter: Encounter, school_ids, starts_at: datetime, ends_at: datetime):
    """(school, other encounter) pairs: the school is in another non-concluded encounter at an
    overlapping time."""
    ids = list(school_ids)
    if not ids:
        return []
    rows = db.session.execute(
        db.select(EncounterSchool, Encounter).join(Encounter, Encounter.id == EncounterSchool.encounter_id)
        .where(EncounterSchool.school_id.in_(ids), Encounter.status != "concluido",
               Encounter.id != (encounter.id or 0))
    ).all()
    conflicts = []
    for member, other in rows:
        if as_utc(other.starts_at) < ends_at and as_utc(other.ends_at) > starts_at:
            conflicts.append((member.school, other))
    return conflicts


def _overlap_error(conflicts) -> ValidationError:
    school, other = conflicts[0]
    return ValidationError({"school_ids": (
        _('La escuela %(name)s (%(cct)s) ya está en el encuentro «%(title)s» (%(value7)s), que se cruza con este horario.', name=school.name, cct=school.cct, title=other.title, value7=when_text(other))
    )})


def _check_group(encounter: Encounter, group: EncounterGroup | None, school_ids: list[int],
                 host_school_id: int | None) -> list[School]:
    """Refuse schools outside the zones, in two groups or in two encounters at once, and a host
    outside the group. The group's schools, in the given order."""
    ordered = list(dict.fromkeys(school_ids))
    schools = {s.id: s for s in db.session.execute(
        db.select(School).where(School.id.in_(ordered))).scalars()} if ordered else {}
    if len(schools) != len(ordered):
        raise ValidationError({"school_ids": _("Alguna de las escuelas elegidas no existe.")})
    if not ordered:
        raise ValidationError({"school_ids": _("Elige las escuelas del grupo.")})
    zone_ids = {z.id for z in encounter.zones}
    for school_id in ordered:
        school = schools[school_id]
        if school.zone_id not in zone_ids:
            raise ValidationError({"school_ids": (
                _('La escuela %(name)s (%(cct)s) no pertenece a las zonas del encuentro.', name=school.name, cct=school.cct))})
    for other in encounter.groups:
        if group is not None and other.id == group.id:
            continue
        for member in other.schools:
            if member.school_id in schools:
                school = schools[member.school_id]
                raise ValidationError({"school_ids": (
                    _('La escuela %(name)s (%(cct)s) ya está en el %(label)s; una escuela solo puede estar en un grupo.', name=school.name, cct=school.cct, label=other.label))})
    if host_school_id is not None and host_school_id not in schools:
        raise ValidationError({"host_school_id": _("La sede debe ser una de las escuelas del grupo.")})
    conflicts = _overlapping(encounter, ordered, as_utc(encounter.starts_at), as_utc(encounter.ends_at))
    if conflicts:
        raise _overlap_error(conflicts)
    return [schools[i] for i in ordered]


# --- encounters --------------------------------------------------------------------------------

def create_encounter(data: dict, *, actor: User) -> Encounter:
    """A new encounter in draft (borrador); with ``grouping_id``, its groups and hosts copied from
    an accepted grouping. Every group gets the agenda of the template."""
    zones = _load_zones(data.get("zone_ids"), actor)
    details = _clean_details(data, check_past=True)
    grouping = None
    if data.get("grouping_id"):
        grouping = db.session.get(Grouping, int(data["grouping_id"])) \
            if str(data["grouping_id"]).isdigit() else None
        if grouping is None:
            raise ValidationError({"grouping_id": _("El agrupamiento no existe.")})
        if grouping.zone_id not in {z.id for z in zones}:
            raise ValidationError({"grouping_id": _("El agrupamiento es de otra zona escolar.")})
        if not grouping.is_accepted:
            raise ValidationError({"grouping_id": (
                _("El agrupamiento aún es una propuesta: el consejo técnico de zona debe aceptarlo "
                "antes de programar el encuentro."))})
    encounter = Encounter(status="borrador", created_by_id=actor.id, grouping=grouping, **details)
    encounter.zones = zones
    db.session.add(encounter)
    db.session.flush()
    if grouping is not None:
        for source in grouping.groups:
            school_ids = [m.school_id for m in source.members]
            if not school_ids:
                continue
            _add_group(encounter, {
                "school_ids": school_ids, "host_school_id": source.host_school_id,
                "name": f"Grupo {source.position}",
            })
    return encounter


def update_encounter(encounter: Encounter, data: dict, *, actor: User) -> Encounter:
    """Change title, times, modality, zones and notes; the schools are told when it was scheduled."""
    _require(permissions.can_edit_encounter(actor, encounter))
    _require_editable(encounter)
    zones = _load_zones(data.get("zone_ids"), actor) if "zone_ids" in data else list(encounter.zones)
    times_change = (as_utc(data.get("starts_at")) != as_utc(encounter.starts_at)
                    or as_utc(data.get("ends_at")) != as_utc(encounter.ends_at))
    details = _clean_details(data, check_past=times_change)
    zone_ids = {z.id for z in zones}
    for school in encounter_schools(encounter):
        if school.zone_id not in zone_ids:
            raise ValidationError({"zone_ids": (
                _('La escuela %(name)s (%(cct)s) participa y no pertenece a las zonas elegidas; quítala primero de su grupo.', name=school.name, cct=school.cct))})
    if times_change:
        conflicts = _overlapping(encounter, [s.id for s in encounter_schools(encounter)],
                                 details["starts_at"], details["ends_at"])
        if conflicts:
            raise _overlap_error(conflicts)
    changes = []
    if times_change:
        changes.append("fecha u horario")
    if details["modality"] != encounter.modality:
        changes.append("modalidad")
    if details["title"] != encounter.title:
        changes.append("título")
    for key, value in details.items():
        setattr(encounter, key, value)
    encounter.zones = zones
    db.session.flush()
    if changes:
        notify_change(encounter, ", ".join(changes))
    return encounter


def schedule_encounter(encounter: Encounter, *, actor: User) -> Encounter:
    """borrador → programado: every group ready, no conflict; the schools' people are notified."""
    _require(permissions.can_edit_encounter(actor, encounter))
    if encounter.status != "borrador":
        raise ValidationError({"_": _("Solo se puede programar un encuentro en borrador.")})
    if as_utc(encounter.starts_at) <= utcnow():
        raise ValidationError({"starts_at": _("La fecha ya pasó: elige una fecha y hora futuras.")})
    if not encounter.groups:
        raise ValidationError({"_": _("Agrega al menos un grupo de escuelas.")})
    for group in encounter.groups:
        if len(group.schools) < 2:
            raise ValidationError({"_": _('El %(label)s necesita al menos dos escuelas.', label=group.label)})
        if encounter.modality != "en_linea" and group.host_school_id is None:
            raise ValidationError({"_": _('El %(label)s necesita una escuela sede.', label=group.label)})
    conflicts = _overlapping(encounter, [s.id for s in encounter_schools(encounter)],
                             as_utc(encounter.starts_at), as_utc(encounter.ends_at))
    if conflicts:
        raise _overlap_error(conflicts)
    encounter.status = "programado"
    db.session.flush()
    for group in encounter.groups:
        where = host_location(group) or "por definir"
        notify(
            people_of_schools(m.school_id for m in group.schools), "encuentro_programado",
            f"Se programó el encuentro «{encounter.title}»: {when_text(encounter)}. "
            f"{group.label}: {where}.",
            url=encounter_path(encounter), dedupe_key=f"encuentro:{encounter.id}:programado",
            mail_subject=f"Encuentro programado: {encounter.title}",
        )
    return encounter


def start_encounter(encounter: Encounter, *, actor: User) -> Encounter:
    """programado → en curso (the facilitator or the supervisor starts the session)."""
    _require(permissions.can_start_encounter(actor, encounter))
    if encounter.status != "programado":
        raise ValidationError({"_": _("Solo se puede iniciar un encuentro programado.")})
    encounter.status = "en_curso"
    db.session.flush()
    return encounter


def delete_encounter(encounter: Encounter, *, actor: User) -> None:
    """Delete a draft (nothing was announced yet)."""
    _require(permissions.can_edit_encounter(actor, encounter))
    if encounter.status != "borrador":
        raise ValidationError({"_": _("Solo se puede eliminar un encuentro en borrador.")})
    db.session.execute(db.delete(Presentation).where(Presentation.encounter_id == encounter.id))
    db.session.execute(db.delete(Attendance).where(Attendance.encounter_id == encounter.id))
    db.session.delete(encounter)
    db.session.flush()


def notify_change(encounter: Encounter, what: str, *, extra_school_ids=()) -> None:
    """Tell the people of a scheduled encounter's schools (and of schools just removed) what changed."""
    if encounter.status not in ("programado", "en_curso"):
        return
    for group in encounter.groups:
        notify(
            people_of_schools(m.school_id for m in group.schools), "encuentro_cambio",
            f"Cambió el encuentro «{encounter.title}» ({what}). Ahora: {when_text(encounter)}. "
            f"{group.label}: {host_location(group) or 'sede por definir'}.",
            url=encounter_path(encounter), dedupe_key=f"encuentro:{encounter.id}:cambio",
            mail_subject=f"Cambio en el encuentro: {encounter.title}",
        )
    if extra_school_ids:
        notify(
            people_of_schools(extra_school_ids), "encuentro_cambio",
            f"Tu escuela ya no participa en el encuentro «{encounter.title}» ({when_text(encounter)}).",
            dedupe_key=f"encuentro:{encounter.id}:retirada",
            mail_subject=f"Cambio en el encuentro: {encounter.title}",
        )


# --- groups ------------------------------------------------------------------------------------

def _clean_group(encounter: Encounter, data: dict) -> dict:
    errors = {}
    name = (data.get("name") or "").strip() or None
    if name and len(name) > 120:
        errors["name"] = _("El nombre no puede pasar de 120 caracteres.")
    address = (data.get("address") or "").strip() or None
    if address and len(address) > 300:
        errors["address"] = _("La dirección no puede pasar de 300 caracteres.")
    room = (data.get("room") or "").strip() or None
    if room and len(room) > 120:
        errors["room"] = _("El salón no puede pasar de 120 caracteres.")
    online_url = (data.get("online_url") or "").strip() or None
    if online_url and (len(online_url) > 500 or not online_url.startswith(("https://", "http://"))):
        errors["online_url"] = _("Escribe un enlace que empiece con https://.")
    facilitator_id = data.get("facilitator_id") or None
    if facilitator_id is not None:
        facilitator_id = int(facilitator_id) if str(facilitator_id).isdigit() else -1
        if facilitator_id not in {u.id for u in facilitator_candidates(encounter)}:
            errors["facilitator_id"] = _("Elige a una persona de la supervisión, la asesoría o una dirección de la zona.")
    facilitator_name = (data.get("facilitator_name") or "").strip() or None
    if facilitator_name and len(facilitator_name) > 200:
        errors["facilitator_name"] = _("El nombre no puede pasar de 200 caracteres.")
    host = data.get("host_school_id") or None
    host = int(host) if host is not None and str(host).isdigit() else (None if host is None else -1)
    school_ids = [int(s) for s in data.get("school_ids") or [] if str(s).isdigit()]
    if errors:
        raise ValidationError(errors)
    return {"name": name, "address": address, "room": room, "online_url": online_url,
            "facilitator_id": facilitator_id, "facilitator_name": facilitator_name,
            "host_school_id": host, "school_ids": school_ids}


def _add_group(encounter: Encounter, data: dict) -> EncounterGroup:
    clean = _clean_group(encounter, data)
    schools = _check_group(encounter, None, clean["school_ids"], clean["host_school_id"])
    position = max((g.position for g in encounter.groups), default=0) + 1
    group = EncounterGroup(position=position)
    encounter.groups.append(group)
    _apply_group(group, clean, schools)
    db.session.flush()
    build_agenda(group)
    return group


def _apply_group(group: EncounterGroup, clean: dict, schools: list[School]) -> None:
    group.name = clean["name"]
    group.room = clean["room"]
    group.online_url = clean["online_url"]
    group.facilitator_id = clean["facilitator_id"]
    group.facilitator_name = clean["facilitator_name"]
    group.host_school_id = clean["host_school_id"]
    host = next((s for s in schools if s.id == clean["host_school_id"]), None)
    group.address = clean["address"] or (school_address(host) if host is not None else None) or None
    current = {m.school_id: m for m in group.schools}
    wanted = [s.id for s in schools]
    for school_id, member in current.items():
        if school_id not in wanted:
            group.schools.remove(member)
    db.session.flush()  # the unique (encounter, school) must see removals before additions
    for school in schools:
        if school.id not in current:
            group.schools.append(EncounterSchool(encounter_id=group.encounter.id, school=school))


def add_group(encounter: Encounter, data: dict, *, actor: User) -> EncounterGroup:
    """Add a group made by hand: schools, host school (sede), address, room, facilitator."""
    _require(permissions.can_edit_encounter(actor, encounter))
    _require_editable(encounter)
    group = _add_group(encounter, data)
    notify_change(encounter, "grupos")
    return group


def update_group(group: EncounterGroup, data: dict, *, actor: User) -> EncounterGroup:
    """Change a group; its agenda gains or loses presentation turns with its schools."""
    encounter = group.encounter
    _require(permissions.can_edit_encounter(actor, encounter))
    _require_editable(encounter)
    clean = _clean_group(encounter, data)
    schools = _check_group(encounter, group, clean["school_ids"], clean["host_school_id"])
    before = {m.school_id for m in group.schools}
    was = (group.host_school_id, group.address, group.room, group.online_url)
    _apply_group(group, clean, schools)
    db.session.flush()
    sync_turns(group)
    removed = before - {s.id for s in schools}
    if before != {s.id for s in schools} or was != (group.host_school_id, group.address, group.room,
                                                    group.online_url):
        notify_change(encounter, "grupos, sede o salón", extra_school_ids=removed)
    return group


def delete_group(group: EncounterGroup, *, actor: User) -> None:
    """Remove a group and its agenda from an encounter."""
    encounter = group.encounter
    _require(permissions.can_edit_encounter(actor, encounter))
    _require_editable(encounter)
    removed = {m.school_id for m in group.schools}
    encounter.groups.remove(group)
    db.session.flush()
    for position, other in enumerate(encounter.groups, start=1):
        other.position = position
    db.session.flush()
    notify_change(encounter, "grupos", extra_school_ids=removed)


# --- agenda ------------------------------------------------------------------------------------

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
        .where(EncounterSchool.school_id.in_(school_ids), Encounter.status == "concluido",
               Encounter.id != (encounter.id or 0))
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
        [(m.school_id, m.school.name) for m in group.schools], review_lines(group))
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
    anchor = max((k for k, i in enumerate(items) if i.activity == 2 and (
        i.school_id is not None or i.title == agenda_template.ACTIVITY_TITLES[2])), default=None)
    if anchor is None:
        anchor = max((k for k, i in enumerate(items) if i.activity <= 2), default=len(items) - 1)
    new_items = [AgendaItem(**agenda_template.turn_item(m.school_id, m.school.name))
                 for m in group.schools if m.school_id not in have]
    ordered = items[:anchor + 1] + new_items + items[anchor + 1:]
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
        raise ValidationError({f"{field_prefix}minutes": _('Entre 1 y %(MAX_AGENDA_MINUTES)s minutos.', MAX_AGENDA_MINUTES=MAX_AGENDA_MINUTES)})
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
        item.title, item.minutes = _clean_item(row.get("title"), row.get("minutes"),
                                               f"item-{item.id}-")
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
    item = AgendaItem(title=title, minutes=minutes, activity=activity,
                      description=(data.get("description") or "").strip() or None)
    ordered = items[:after + 1] + [item] + items[after + 1:]
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
    times = agenda_template.schedule_times(as_utc(group.encounter.starts_at),
                                           [i.minutes for i in items])
    return [(item, start, end) for item, (start, end) in zip(items, times)]


# --- attendance --------------------------------------------------------------------------------

def record_attendance(encounter: Encounter, school: School, status: str, *, actor: User,
                      source: str = "sede", people: int | None = None) -> Attendance:
    """Register a school's attendance (presente, ausente, justificada) at the host (sede) or from
    the live room (sala; a school's own people may mark it present there)."""
    if status not in ATTENDANCE_STATUSES:
        raise ValidationError({"status": _("Elige presente, ausente o falta justificada.")})
    if source not in ("sede", "sala"):
        raise ValidationError({"source": _("Origen no válido.")})
    if group_of_school(encounter, school.id) is None:
        raise ValidationError({"school": _('La escuela %(cct)s no participa en este encuentro.', cct=school.cct)})
    allowed = permissions.can_record_attendance(actor, encounter, school) or (
        source == "sala" and status == "presente" and encounter.status == "en_curso"
        and permissions.is_member_of_school(actor, school))
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


def attendance_by_school(encounter: Encounter) -> dict[int, Attendance]:
    """The attendance rows of an encounter, by school id."""
    return {a.school_id: a for a in db.session.execute(
        db.select(Attendance).filter_by(encounter_id=encounter.id)).scalars()}


def attendance_schools(encounter: Encounter, actor: User) -> list[tuple[EncounterGroup, School]]:
    """The (group, school) pairs whose attendance this person may register."""
    return [(g, m.school) for g in encounter.groups for m in g.schools
            if permissions.can_record_attendance(actor, encounter, m.school)]


# --- presentations -----------------------------------------------------------------------------

def get_presentation(encounter: Encounter, school: School) -> Presentation | None:
    """The school's presentation for this encounter, if it started one."""
    return db.session.execute(
        db.select(Presentation).filter_by(encounter_id=encounter.id, school_id=school.id)
    ).scalar_one_or_none()


def _presentation_for_edit(encounter: Encounter, school: School, actor: User) -> Presentation:
    _require(permissions.can_prepare_presentation(actor, encounter, school))
    presentation = get_presentation(encounter, school)
    if presentation is None:
        presentation = Presentation(encounter_id=encounter.id, school_id=school.id, problem_ids=[],
                                    kind="generada", is_ready=False)
        db.session.add(presentation)
    return presentation


def selectable_problems(school: School, presentation: Presentation | None = None) -> list[Problem]:
    """The school's open problems (and any already chosen), to choose from."""
    chosen = list(presentation.problem_ids or []) if presentation is not None else []
    return list(db.session.execute(
        db.select(Problem).where(Problem.school_id == school.id, db.or_(
            Problem.status.in_(OPEN_PROBLEM_STATUSES), Problem.id.in_(chosen or [0])))
        .order_by(Problem.created_at.desc(), Problem.id.desc())
    ).scalars())


def save_presentation(encounter: Encounter, school: School, data: dict, *, actor: User) -> Presentation:
    """The school's choice: problems (its open ones), what it asks of colleagues, slides or its
    own PDF, and whether it is ready."""
    presentation = _presentation_for_edit(encounter, school, actor)
    allowed = {p.id for p in selectable_problems(school, presentation)}
    problem_ids = list(dict.fromkeys(int(p) for p in data.get("problem_ids") or [] if str(p).isdigit()))
    if any(p not in allowed for p in problem_ids):
        raise ValidationError({"problem_ids": _("Elige problemáticas abiertas de tu escuela.")})
    ask = (data.get("ask") or "").strip() or None
    if ask and len(ask) > MAX_ASK_LENGTH:
        raise ValidationError({"ask": _('Escribe como máximo %(MAX_ASK_LENGTH)s caracteres.', MAX_ASK_LENGTH=MAX_ASK_LENGTH)})
    kind = data.get("kind") or "generada"
    if kind not in PRESENTATION_KINDS:
        raise ValidationError({"kind": _("Elige diapositivas generadas o PDF propio.")})
    if kind == "pdf" and not presentation.pdf_stored_name:
        raise ValidationError({"kind": _("Primero sube el PDF de la escuela.")})
    is_ready = bool(data.get("is_ready"))
    if is_ready and kind == "generada" and not problem_ids:
        raise ValidationError({"problem_ids": _("Elige al menos una problemática para presentar.")})
    presentation.problem_ids = problem_ids
    presentation.ask = ask
    presentation.kind = kind
    presentation.is_ready = is_ready
    presentation.updated_by_id = actor.id
    db.session.flush()
    return presentation


def check_presentation_pdf(data: bytes, *, max_pages: int) -> int:
    """Refuse what is not a PDF (by content), a broken or locked PDF, too many pages; the pages."""
    from pypdf import PdfReader
    import io

    if not data:
        raise ValidationError({"file": _("El archivo está vacío.")})
    kind = filetype.guess(data[:8192])
    if kind is None or kind.mime != "application/pdf":
        raise ValidationError({"file": (
            _("El archivo no es un PDF. Exporta la presentación como PDF "
            "(cambiarle el nombre no basta)."))})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise ValueError("encrypted")
            pages = len(reader.pages)
    except Exception:  # pypdf raises many kinds of errors for broken files
        raise ValidationError({"file": (
            _("El PDF está dañado o protegido con contraseña y no se puede abrir."))}) from None
    if pages < 1:
        raise ValidationError({"file": _("El PDF no tiene páginas.")})
    if pages > max_pages:
        raise ValidationError({"file": (
            _('El PDF tiene %(pages)s páginas; el límite es de %(max_pages)s. Deja solo lo que presentarán.', pages=pages, max_pages=max_pages))})
    return pages


def upload_presentation_pdf(encounter: Encounter, school: School, file_storage, *, actor: User,
                            folder: Path, max_bytes: int, max_pages: int) -> tuple[Presentation, str | None]:
    """Store the school's own PDF under a random name; the presentation and the name of the file
    it replaces (to delete after the commit)."""
    from app.practices.uploads import human_size, read_limited

    presentation = _presentation_for_edit(encounter, school, actor)
    if file_storage is None or not getattr(file_storage, "filename", None):
        raise ValidationError({"file": _("Elige un archivo PDF.")})
    try:
        data = read_limited(file_storage.stream, max_bytes)
    except ValidationError:
        raise ValidationError({"file": _('El archivo pasa del límite de %(value1)s.', value1=human_size(max_bytes))}) from None
    pages = check_presentation_pdf(data, max_pages=max_pages)
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = f"{secrets.token_hex(16)}.pdf"
    with open(folder / stored_name, "xb") as handle:
        handle.write(data)
    from werkzeug.utils import secure_filename

    old = presentation.pdf_stored_name
    presentation.pdf_stored_name = stored_name
    presentation.pdf_original_name = secure_filename(file_storage.filename or "")[:200] or "presentacion.pdf"
    presentation.pdf_pages = pages
    presentation.kind = "pdf"
    presentation.updated_by_id = actor.id
    db.session.flush()
    return presentation, old


def readiness(encounter: Encounter) -> list[dict]:
    """Each participating school's preparation: group, problems chosen, ready, kind."""
    presentations = {p.school_id: p for p in db.session.execute(
        db.select(Presentation).filter_by(encounter_id=encounter.id)).scalars()}
    rows = []
    for group in encounter.groups:
        for member in group.schools:
            p = presentations.get(member.school_id)
            rows.append({
                "group": group, "school": member.school, "presentation": p,
                "problems": len(p.problem_ids or []) if p else 0,
                "is_ready": bool(p and p.is_ready),
                "kind": str(PRESENTATION_KINDS.get(p.kind, p.kind)) if p else None,
            })
    return rows


# --- lists -------------------------------------------------------------------------------------

def visible_encounters_query(user):
    """A select of the encounters this person may see (see ``permissions.can_view_encounter``)."""
    query = db.select(Encounter)
    if permissions.is_admin(user):
        return query
    facilitated = db.select(EncounterGroup.encounter_id).where(EncounterGroup.facilitator_id == user.id)
    conditions = [Encounter.id.in_(facilitated)]
    if user.role == "supervisor" and user.zone_id is not None:
        conditions.append(Encounter.id.in_(
            db.select(encounter_zones.c.encounter_id).where(encounter_zones.c.zone_id == user.zone_id)))
    elif user.role == "asesor":
        zone_ids = [z.id for z in user.advised_zones] + [s.zone_id for s in user.advised_schools
                                                         if s.zone_id is not None]
        school_ids = [s.id for s in user.advised_schools]
        if zone_ids:
            conditions.append(Encounter.id.in_(
                db.select(encounter_zones.c.encounter_id).where(encounter_zones.c.zone_id.in_(zone_ids))))
        if school_ids:
            conditions.append(Encounter.id.in_(
                db.select(EncounterSchool.encounter_id).where(EncounterSchool.school_id.in_(school_ids))))
    elif user.role in ("director", "docente") and user.school_id is not None:
        conditions.append(db.and_(Encounter.status != "borrador", Encounter.id.in_(
            db.select(EncounterSchool.encounter_id).where(EncounterSchool.school_id == user.school_id))))
    return query.where(db.or_(*conditions))


def visible_encounters(user, *, limit: int = 200) -> list[Encounter]:
    """The encounters this person may see, the newest first."""
    return list(db.session.execute(
        visible_encounters_query(user).order_by(Encounter.starts_at.desc()).limit(limit)
    ).scalars())


def upcoming_encounters(user, *, limit: int = 5) -> list[Encounter]:
    """This person's encounters that have not ended yet, the soonest first."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.execute(
        visible_encounters_query(user)
        .where(Encounter.status != "concluido", Encounter.ends_at >= utcnow())
        .order_by(Encounter.starts_at).limit(limit)
    ).scalars())


def my_group(encounter: Encounter, user) -> EncounterGroup | None:
    """The group of the person's school, or the one they facilitate."""
    if getattr(user, "school_id", None):
        group = group_of_school(encounter, user.school_id)
        if group is not None:
            return group
    return next((g for g in encounter.groups if g.facilitator_id == getattr(user, "id", None)), None)
