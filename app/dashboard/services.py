"""The numbers of a zone's dashboard (tablero de zona), as plain data for the page and its charts."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, or_

from app.catalogue.models import School, Zone
from app.commitments.models import COMMITMENT_STATUSES, Commitment
from app.commitments.services import OPEN_STATUSES
from app.dates import local_today
from app.encounters.models import (
    ENCOUNTER_STATUSES,
    Attendance,
    Encounter,
    EncounterSchool,
    Presentation,
    encounter_zones,
)
from app.extensions import db
from app.problems.models import Category, Problem, ProblemCategory
from app.utils import as_utc, utcnow

UPCOMING_LIMIT = 5


@dataclass
class ZoneDashboard:
    """Everything the zone dashboard shows."""

    zone: Zone
    encounters_by_status: dict[str, int]
    upcoming: list[Encounter]
    attendance_present: int
    attendance_registered: int
    commitments_by_status: dict[str, int]
    commitments_by_school: list[tuple[School, dict[str, int], int]]  # school, by status, overdue
    overdue: list[Commitment]
    problems_by_category: list[tuple[Category, int]]
    next_encounter: Encounter | None
    unprepared_schools: list[School] = field(default_factory=list)

    @property
    def attendance_rate(self) -> float | None:
        """Present over registered in concluded encounters, or None when nothing to count."""
        if not self.attendance_registered:
            return None
        return self.attendance_present / self.attendance_registered

    @property
    def encounters_total(self) -> int:
        return sum(self.encounters_by_status.values())

    @property
    def commitments_total(self) -> int:
        return sum(self.commitments_by_status.values())


def zone_encounters_query(zone: Zone):
    """Encounters of a zone: those scheduled for it, and those its schools take part in."""
    in_zone = db.select(encounter_zones.c.encounter_id).where(encounter_zones.c.zone_id == zone.id)
    with_schools = (
        db.select(EncounterSchool.encounter_id)
        .join(School, School.id == EncounterSchool.school_id)
        .where(School.zone_id == zone.id)
    )
    return db.select(Encounter).where(or_(Encounter.id.in_(in_zone), Encounter.id.in_(with_schools)))


def _zone_school_ids(zone: Zone) -> list[int]:
    return list(db.session.execute(db.select(School.id).where(School.zone_id == zone.id)).scalars())


def zone_dashboard(zone: Zone, *, today: date | None = None, now: datetime | None = None) -> ZoneDashboard:
    """Encounters, attendance, commitments, open problems and preparation for one zone."""
    today = today or local_today()
    now = now or utcnow()
    school_ids = _zone_school_ids(zone)
    encounters = list(db.session.execute(zone_encounters_query(zone)).scalars())

    by_status = {status: 0 for status in ENCOUNTER_STATUSES}
    for e in encounters:
        by_status[e.status] = by_status.get(e.status, 0) + 1
    upcoming = sorted(
        (e for e in encounters if e.status in ("programado", "en_curso") and as_utc(e.ends_at) >= now),
        key=lambda e: as_utc(e.starts_at),
    )

    # Attendance: of the zone's schools registered in concluded encounters, how many were present.
    concluded = [e.id for e in encounters if e.status == "concluido"]
    registered = present = 0
    if concluded and school_ids:
        pairs = db.session.execute(
            db.select(EncounterSchool.encounter_id, EncounterSchool.school_id).where(
                EncounterSchool.encounter_id.in_(concluded), EncounterSchool.school_id.in_(school_ids)
            )
        ).all()
        registered = len(pairs)
        present_pairs = set(
            db.session.execute(
                db.select(Attendance.encounter_id, Attendance.school_id).where(
                    Attendance.encounter_id.in_(concluded),
                    Attendance.school_id.in_(school_ids),
                    Attendance.status == "presente",
                )
            ).all()
        )
        present = sum(1 for p in pairs if tuple(p) in present_pairs)

    commitments = (
        list(
            db.session.execute(
                db.select(Commitment)
                .where(Commitment.school_id.in_(school_ids))
                .order_by(Commitment.due_date, Commitment.id)
            ).scalars()
        )
        if school_ids
        else []
    )
    commitments_by_status = {status: 0 for status in COMMITMENT_STATUSES}
    per_school: dict[int, Counter] = defaultdict(Counter)
    overdue_per_school: Counter = Counter()
    overdue = []
    for c in commitments:
        commitments_by_status[c.status] = commitments_by_status.get(c.status, 0) + 1
        per_school[c.school_id][c.status] += 1
        if c.status in OPEN_STATUSES and c.due_date < today:
            overdue.append(c)
            overdue_per_school[c.school_id] += 1
    schools = (
        {
            s.id: s
            for s in db.session.execute(db.select(School).where(School.id.in_(list(per_school)))).scalars()
        }
        if per_school
        else {}
    )
    by_school = sorted(
        (
            (schools[sid], {s: counts.get(s, 0) for s in COMMITMENT_STATUSES}, overdue_per_school[sid])
            for sid, counts in per_school.items()
        ),
        key=lambda row: (-row[2], row[0].name),
    )

    problems_by_category = [
        (category, count)
        for category, count in db.session.execute(
            db.select(Category, func.count(func.distinct(Problem.id)))
            .join(ProblemCategory, ProblemCategory.category_id == Category.id)
            .join(Problem, Problem.id == ProblemCategory.problem_id)
            .join(School, School.id == Problem.school_id)
            .where(School.zone_id == zone.id, Problem.status != "resuelta")
            .group_by(Category.id)
            .order_by(func.count(func.distinct(Problem.id)).desc(), Category.name)
        ).all()
    ]

    # The next encounter to prepare for is the first one that has not started yet.
    next_encounter = next(
        (e for e in upcoming if e.status == "programado" and as_utc(e.starts_at) >= now), None
    )
    unprepared: list[School] = []
    if next_encounter is not None:
        ready = set(
            db.session.execute(
                db.select(Presentation.school_id).where(
                    Presentation.encounter_id == next_encounter.id, Presentation.is_ready.is_(True)
                )
            ).scalars()
        )
        unprepared = sorted(
            (
                m.school
                for g in next_encounter.groups
                for m in g.schools
                if m.school.zone_id == zone.id and m.school_id not in ready
            ),
            key=lambda s: s.name,
        )

    return ZoneDashboard(
        zone=zone,
        encounters_by_status=by_status,
        upcoming=upcoming[:UPCOMING_LIMIT],
        attendance_present=present,
        attendance_registered=registered,
        commitments_by_status=commitments_by_status,
        commitments_by_school=by_school,
        overdue=overdue,
        problems_by_category=problems_by_category,
        next_encounter=next_encounter,
        unprepared_schools=unprepared,
    )
