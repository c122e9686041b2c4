"""The groups of schools of an encounter (from a grouping the zone accepted, or by hand): one school
in one group per encounter, a host school and a facilitator per group.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app import permissions
from app.auth.models import User
from app.catalogue.models import School
from app.encounters.agendas import build_agenda, sync_turns
from app.encounters.models import (
    Encounter,
    EncounterGroup,
    EncounterSchool,
)
from app.encounters.queries import (
    _overlap_error,
    _overlapping,
    _require,
    _require_editable,
    facilitator_candidates,
    notify_change,
    school_address,
)
from app.extensions import db
from app.utils import as_utc
from app.validation import ValidationError


def _check_group(
    encounter: Encounter, group: EncounterGroup | None, school_ids: list[int], host_school_id: int | None
) -> list[School]:
    """Refuse schools outside the zones, in two groups or in two encounters at once, and a host
    outside the group. The group's schools, in the given order."""
    ordered = list(dict.fromkeys(school_ids))
    schools = (
        {s.id: s for s in db.session.execute(db.select(School).where(School.id.in_(ordered))).scalars()}
        if ordered
        else {}
    )
    if len(schools) != len(ordered):
        raise ValidationError({"school_ids": _("Alguna de las escuelas elegidas no existe.")})
    if not ordered:
        raise ValidationError({"school_ids": _("Elige las escuelas del grupo.")})
    zone_ids = {z.id for z in encounter.zones}
    for school_id in ordered:
        school = schools[school_id]
        if school.zone_id not in zone_ids:
            raise ValidationError(
                {
                    "school_ids": (
                        _(
                            "La escuela %(name)s (%(cct)s) no pertenece a las zonas del encuentro.",
                            name=school.name,
                            cct=school.cct,
                        )
                    )
                }
            )
    for other in encounter.groups:
        if group is not None and other.id == group.id:
            continue
        for member in other.schools:
            if member.school_id in schools:
                school = schools[member.school_id]
                raise ValidationError(
                    {
                        "school_ids": (
                            _(
                                "La escuela %(name)s (%(cct)s) ya está en el %(label)s; una escuela solo puede estar en un grupo.",
                                name=school.name,
                                cct=school.cct,
                                label=other.label,
                            )
                        )
                    }
                )
    if host_school_id is not None and host_school_id not in schools:
        raise ValidationError({"host_school_id": _("La sede debe ser una de las escuelas del grupo.")})
    conflicts = _overlapping(encounter, ordered, as_utc(encounter.starts_at), as_utc(encounter.ends_at))
    if conflicts:
        raise _overlap_error(conflicts)
    return [schools[i] for i in ordered]


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
            errors["facilitator_id"] = _(
                "Elige a una persona de la supervisión, la asesoría o una dirección de la zona."
            )
    facilitator_name = (data.get("facilitator_name") or "").strip() or None
    if facilitator_name and len(facilitator_name) > 200:
        errors["facilitator_name"] = _("El nombre no puede pasar de 200 caracteres.")
    host = data.get("host_school_id") or None
    host = int(host) if host is not None and str(host).isdigit() else (None if host is None else -1)
    school_ids = [int(s) for s in data.get("school_ids") or [] if str(s).isdigit()]
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "address": address,
        "room": room,
        "online_url": online_url,
        "facilitator_id": facilitator_id,
        "facilitator_name": facilitator_name,
        "host_school_id": host,
        "school_ids": school_ids,
    }


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
    if before != {s.id for s in schools} or was != (
        group.host_school_id,
        group.address,
        group.room,
        group.online_url,
    ):
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
