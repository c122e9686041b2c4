"""Look-ups of the encounters area (an encounter, its schools, groups, places, times as people read
them), who sees which encounters, and the checks the other modules share.
"""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_datetime as babel_format_datetime
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app import permissions, signals
from app.auth.models import User, advisor_schools, advisor_zones
from app.catalogue.models import School, Zone
from app.dates import display_timezone
from app.encounters.models import (
    Encounter,
    EncounterGroup,
    EncounterSchool,
    encounter_zones,
)
from app.encounters.notifications import encounter_path, notify, people_of_schools
from app.extensions import db
from app.groupings.models import Grouping
from app.utils import as_utc, utcnow
from app.validation import PermissionDenied, ValidationError

EDITABLE_STATUSES = ("borrador", "programado")


OPEN_PROBLEM_STATUSES = ("abierta", "en_atencion")


MAX_AGENDA_MINUTES = 480


MAX_ASK_LENGTH = 3000


def when_text(encounter: Encounter) -> str:
    """The encounter's date and time in Spanish and local time, for messages."""
    tz = display_timezone()
    start = as_utc(encounter.starts_at).astimezone(tz)
    end = as_utc(encounter.ends_at).astimezone(tz)
    day = babel_format_datetime(start, "EEEE d 'de' MMMM 'de' y", locale="es_MX")
    return f"{day}, de {start:%H:%M} a {end:%H:%M}"


def get_encounter(encounter_id: int) -> Encounter | None:
    """An encounter with its zones, groups, schools and agenda loaded."""
    return db.session.get(
        Encounter,
        encounter_id,
        options=[
            selectinload(Encounter.zones),
            selectinload(Encounter.groups)
            .selectinload(EncounterGroup.schools)
            .selectinload(EncounterSchool.school),
            selectinload(Encounter.groups).selectinload(EncounterGroup.agenda),
        ],
    )


def encounter_schools(encounter: Encounter) -> list[School]:
    """The participating schools, group by group."""
    return [m.school for g in encounter.groups for m in g.schools]


def group_of_school(encounter: Encounter, school_id: int) -> EncounterGroup | None:
    """The group of the encounter a school belongs to."""
    return next((g for g in encounter.groups if any(m.school_id == school_id for m in g.schools)), None)


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
    """The zones a person may schedule encounters for: all (admin), or the supervisor's zone, the
    other zones of its sector, and the zones of schools that proposed meeting one of theirs."""
    if permissions.is_admin(user):
        return list(db.session.execute(db.select(Zone).order_by(Zone.number, Zone.cct)).scalars())
    if not permissions.can_create_encounters(user):
        return []
    own = user.zone
    if own is None:
        return []
    others = []
    if own.sector_cct:
        others = (
            db.session.execute(
                db.select(Zone)
                .where(Zone.sector_cct == own.sector_cct, Zone.id != own.id)
                .order_by(Zone.number, Zone.cct)
            )
            .scalars()
            .all()
        )
    # Zones whose schools proposed meeting one of ours (app.contacts answers).
    for _receiver, zones in signals.schedulable_zones_requested.send(user):
        others += [z for z in zones or () if z.id != own.id and z not in others]
    return [own, *others]


def accepted_groupings(zones: list[Zone]) -> list[Grouping]:
    """The accepted groupings of these zones, newest first."""
    ids = [z.id for z in zones]
    if not ids:
        return []
    return list(
        db.session.execute(
            db.select(Grouping)
            .where(Grouping.zone_id.in_(ids), Grouping.status == "aceptada")
            .order_by(Grouping.accepted_at.desc(), Grouping.id.desc())
        ).scalars()
    )


def schools_of_zones(zone_ids) -> list[School]:
    """The schools of these zones, by name."""
    ids = list(zone_ids)
    if not ids:
        return []
    return list(
        db.session.execute(
            db.select(School).where(School.zone_id.in_(ids)).order_by(School.name, School.cct)
        ).scalars()
    )


def facilitator_candidates(encounter: Encounter) -> list[User]:
    """Who may facilitate a group: the zones' supervisors and advisors, the schools' directors."""
    zone_ids = [z.id for z in encounter.zones]
    if not zone_ids:
        return []
    school_ids = db.select(School.id).where(School.zone_id.in_(zone_ids))
    advisors_by_zone = db.select(advisor_zones.c.user_id).where(advisor_zones.c.zone_id.in_(zone_ids))
    advisors_by_school = db.select(advisor_schools.c.user_id).where(
        advisor_schools.c.school_id.in_(school_ids)
    )
    return list(
        db.session.execute(
            db.select(User)
            .where(
                User.is_active.is_(True),
                db.or_(
                    db.and_(User.role == "supervisor", User.zone_id.in_(zone_ids)),
                    db.and_(
                        User.role == "asesor",
                        db.or_(User.id.in_(advisors_by_zone), User.id.in_(advisors_by_school)),
                    ),
                    db.and_(User.role == "director", User.school_id.in_(school_ids)),
                ),
            )
            .order_by(User.role.desc(), User.name)
        ).scalars()
    )


def _overlapping(encounter: Encounter, school_ids, starts_at: datetime, ends_at: datetime):
    """(school, other encounter) pairs: the school is in another non-concluded encounter at an
    overlapping time."""
    ids = list(school_ids)
    if not ids:
        return []
    rows = db.session.execute(
        db.select(EncounterSchool, Encounter)
        .join(Encounter, Encounter.id == EncounterSchool.encounter_id)
        .where(
            EncounterSchool.school_id.in_(ids),
            Encounter.status != "concluido",
            Encounter.id != (encounter.id or 0),
        )
    ).all()
    conflicts = []
    for member, other in rows:
        if as_utc(other.starts_at) < ends_at and as_utc(other.ends_at) > starts_at:
            conflicts.append((member.school, other))
    return conflicts


def _overlap_error(conflicts) -> ValidationError:
    school, other = conflicts[0]
    return ValidationError(
        {
            "school_ids": (
                _(
                    "La escuela %(name)s (%(cct)s) ya está en el encuentro «%(title)s» (%(value7)s), que se cruza con este horario.",
                    name=school.name,
                    cct=school.cct,
                    title=other.title,
                    value7=when_text(other),
                )
            )
        }
    )


def notify_change(encounter: Encounter, what: str, *, extra_school_ids=()) -> None:
    """Tell the people of a scheduled encounter's schools (and of schools just removed) what changed."""
    if encounter.status not in ("programado", "en_curso"):
        return
    for group in encounter.groups:
        notify(
            people_of_schools(m.school_id for m in group.schools),
            "encuentro_cambio",
            f"Cambió el encuentro «{encounter.title}» ({what}). Ahora: {when_text(encounter)}. "
            f"{group.label}: {host_location(group) or 'sede por definir'}.",
            url=encounter_path(encounter),
            dedupe_key=f"encuentro:{encounter.id}:cambio",
            mail_subject=f"Cambio en el encuentro: {encounter.title}",
        )
    if extra_school_ids:
        notify(
            people_of_schools(extra_school_ids),
            "encuentro_cambio",
            f"Tu escuela ya no participa en el encuentro «{encounter.title}» ({when_text(encounter)}).",
            dedupe_key=f"encuentro:{encounter.id}:retirada",
            mail_subject=f"Cambio en el encuentro: {encounter.title}",
        )


def visible_encounters_query(user):
    """A select of the encounters this person may see (see ``permissions.can_view_encounter``)."""
    query = db.select(Encounter)
    if permissions.is_admin(user):
        return query
    facilitated = db.select(EncounterGroup.encounter_id).where(EncounterGroup.facilitator_id == user.id)
    conditions = [Encounter.id.in_(facilitated)]
    if user.role == "supervisor" and user.zone_id is not None:
        conditions.append(
            Encounter.id.in_(
                db.select(encounter_zones.c.encounter_id).where(encounter_zones.c.zone_id == user.zone_id)
            )
        )
    elif user.role == "asesor":
        zone_ids = [z.id for z in user.advised_zones] + [
            s.zone_id for s in user.advised_schools if s.zone_id is not None
        ]
        school_ids = [s.id for s in user.advised_schools]
        if zone_ids:
            conditions.append(
                Encounter.id.in_(
                    db.select(encounter_zones.c.encounter_id).where(encounter_zones.c.zone_id.in_(zone_ids))
                )
            )
        if school_ids:
            conditions.append(
                Encounter.id.in_(
                    db.select(EncounterSchool.encounter_id).where(EncounterSchool.school_id.in_(school_ids))
                )
            )
    elif user.role in ("director", "docente") and user.school_id is not None:
        conditions.append(
            db.and_(
                Encounter.status != "borrador",
                Encounter.id.in_(
                    db.select(EncounterSchool.encounter_id).where(EncounterSchool.school_id == user.school_id)
                ),
            )
        )
    return query.where(db.or_(*conditions))


def visible_encounters(user, *, limit: int = 200) -> list[Encounter]:
    """The encounters this person may see, the newest first."""
    return list(
        db.session.execute(
            visible_encounters_query(user).order_by(Encounter.starts_at.desc()).limit(limit)
        ).scalars()
    )


def upcoming_encounters(user, *, limit: int = 5) -> list[Encounter]:
    """This person's encounters that have not ended yet, the soonest first."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(
        db.session.execute(
            visible_encounters_query(user)
            .where(Encounter.status != "concluido", Encounter.ends_at >= utcnow())
            .order_by(Encounter.starts_at)
            .limit(limit)
        ).scalars()
    )


def my_group(encounter: Encounter, user) -> EncounterGroup | None:
    """The group of the person's school, or the one they facilitate."""
    if getattr(user, "school_id", None):
        group = group_of_school(encounter, user.school_id)
        if group is not None:
            return group
    return next((g for g in encounter.groups if g.facilitator_id == getattr(user, "id", None)), None)
