"""Creating, editing, scheduling, starting and deleting an encounter of one or more zones; a school
is never in two encounters at once; the people concerned are notified of each change.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app import permissions
from app.auth.models import User
from app.catalogue.models import Zone
from app.encounters.groups import _add_group
from app.encounters.models import (
    MODALITIES,
    Attendance,
    Encounter,
    Presentation,
)
from app.encounters.notifications import encounter_path, notify, people_of_schools
from app.encounters.queries import (
    _overlap_error,
    _overlapping,
    _require,
    _require_editable,
    encounter_schools,
    host_location,
    notify_change,
    when_text,
    zones_for_scheduler,
)
from app.extensions import db
from app.groupings.models import Grouping
from app.utils import as_utc, utcnow
from app.validation import ValidationError


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
    return {"title": title, "modality": modality, "starts_at": starts_at, "ends_at": ends_at, "notes": notes}


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


def create_encounter(data: dict, *, actor: User) -> Encounter:
    """A new encounter in draft (borrador); with ``grouping_id``, its groups and hosts copied from
    an accepted grouping. Every group gets the agenda of the template."""
    zones = _load_zones(data.get("zone_ids"), actor)
    details = _clean_details(data, check_past=True)
    grouping = None
    if data.get("grouping_id"):
        grouping = (
            db.session.get(Grouping, int(data["grouping_id"])) if str(data["grouping_id"]).isdigit() else None
        )
        if grouping is None:
            raise ValidationError({"grouping_id": _("El agrupamiento no existe.")})
        if grouping.zone_id not in {z.id for z in zones}:
            raise ValidationError({"grouping_id": _("El agrupamiento es de otra zona escolar.")})
        if not grouping.is_accepted:
            raise ValidationError(
                {
                    "grouping_id": (
                        _(
                            "El agrupamiento aún es una propuesta: el consejo técnico de zona debe aceptarlo "
                            "antes de programar el encuentro."
                        )
                    )
                }
            )
    encounter = Encounter(status="borrador", created_by_id=actor.id, grouping=grouping, **details)
    encounter.zones = zones
    db.session.add(encounter)
    db.session.flush()
    if grouping is not None:
        for source in grouping.groups:
            school_ids = [m.school_id for m in source.members]
            if not school_ids:
                continue
            _add_group(
                encounter,
                {
                    "school_ids": school_ids,
                    "host_school_id": source.host_school_id,
                    "name": f"Grupo {source.position}",
                },
            )
    return encounter


def update_encounter(encounter: Encounter, data: dict, *, actor: User) -> Encounter:
    """Change title, times, modality, zones and notes; the schools are told when it was scheduled."""
    _require(permissions.can_edit_encounter(actor, encounter))
    _require_editable(encounter)
    zones = _load_zones(data.get("zone_ids"), actor) if "zone_ids" in data else list(encounter.zones)
    times_change = as_utc(data.get("starts_at")) != as_utc(encounter.starts_at) or as_utc(
        data.get("ends_at")
    ) != as_utc(encounter.ends_at)
    details = _clean_details(data, check_past=times_change)
    zone_ids = {z.id for z in zones}
    for school in encounter_schools(encounter):
        if school.zone_id not in zone_ids:
            raise ValidationError(
                {
                    "zone_ids": (
                        _(
                            "La escuela %(name)s (%(cct)s) participa y no pertenece a las zonas elegidas; quítala primero de su grupo.",
                            name=school.name,
                            cct=school.cct,
                        )
                    )
                }
            )
    if times_change:
        conflicts = _overlapping(
            encounter, [s.id for s in encounter_schools(encounter)], details["starts_at"], details["ends_at"]
        )
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
            raise ValidationError({"_": _("El %(label)s necesita al menos dos escuelas.", label=group.label)})
        if encounter.modality != "en_linea" and group.host_school_id is None:
            raise ValidationError({"_": _("El %(label)s necesita una escuela sede.", label=group.label)})
    conflicts = _overlapping(
        encounter,
        [s.id for s in encounter_schools(encounter)],
        as_utc(encounter.starts_at),
        as_utc(encounter.ends_at),
    )
    if conflicts:
        raise _overlap_error(conflicts)
    encounter.status = "programado"
    db.session.flush()
    for group in encounter.groups:
        where = host_location(group) or "por definir"
        notify(
            people_of_schools(m.school_id for m in group.schools),
            "encuentro_programado",
            f"Se programó el encuentro «{encounter.title}»: {when_text(encounter)}. {group.label}: {where}.",
            url=encounter_path(encounter),
            dedupe_key=f"encuentro:{encounter.id}:programado",
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
