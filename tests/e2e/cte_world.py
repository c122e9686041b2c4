"""A whole CTE encounter to walk through in the browser (issue 11): three schools of one zone that
met before (their previous encounter is concluded, with commitments to review), the new encounter
running with its agenda built from the session card (review, activities 1-4, one turn per school),
each school's problem and generated presentation, a facilitator, the zone's supervisor and the
zone's advisor (ATP)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.auth.models import User
from app.commitments.models import Commitment
from app.encounters.agendas import build_agenda
from app.encounters.models import Encounter, EncounterGroup, EncounterSchool, Presentation
from app.extensions import db
from app.utils import current_school_year, utcnow
from tests import factories
from tests.realtime.world import quick_user

_seq = itertools.count(1)


@dataclass
class Journey:
    previous: Encounter
    encounter: Encounter
    group: EncounterGroup
    schools: list  # A (host), B, C
    problems: list  # one per school, in the same order
    previous_commitments: list[Commitment]
    people: dict[str, User] = field(default_factory=dict)

    @property
    def url(self) -> str:  # the room's (tests.e2e.test_live_room.open_room reads it)
        return f"/encuentros/{self.encounter.id}/grupos/{self.group.position}/sala"


def _group(encounter: Encounter, schools: list, facilitator: User) -> EncounterGroup:
    group = EncounterGroup(
        encounter_id=encounter.id, position=1, host_school_id=schools[0].id, facilitator_id=facilitator.id
    )
    db.session.add(group)
    db.session.flush()
    db.session.add_all(
        EncounterSchool(encounter_id=encounter.id, group_id=group.id, school_id=s.id) for s in schools
    )
    db.session.flush()
    db.session.refresh(group)
    return group


def build_journey(password: str) -> Journey:
    """Build and commit everything (the live server's threads read it)."""
    n = next(_seq)
    zone = factories.create_zone(cct=f"22FJZ{n:04d}S"[:10], number=800 + n)
    names = ("PRIMARIA BENITO JUÁREZ", "PRIMARIA JOSEFA ORTIZ", "PRIMARIA MIGUEL HIDALGO")
    schools = [
        factories.create_school(zone, cct=f"22DPR{n:02d}{i}JR"[:10], name=f"{name} {n}")
        for i, name in enumerate(names)
    ]
    problems = [
        factories.create_problem(
            schools[0],
            title="Comprensión lectora en 3°",
            categories={"lectura-escritura": "alta"},
        ),
        factories.create_problem(
            schools[1],
            title="Resolución de problemas con fracciones",
            categories={"pensamiento-matematico": "alta"},
        ),
        factories.create_problem(
            schools[2],
            title="Ausentismo los lunes",
            categories={"asistencia-permanencia": "alta"},
        ),
    ]
    people = {
        "supervisor": quick_user("supervisor", zone=zone, name="Supervisora Ruiz", password=password),
        "facilitador": quick_user("asesor", name="Facilitadora Fer", password=password),
        "asesor": quick_user("asesor", name="Asesora Sol", password=password),
        "director_a": quick_user("director", school=schools[0], name="Directora Alma", password=password),
        "docente_a": quick_user("docente", school=schools[0], name="Maestra Ana", password=password),
        "director_b": quick_user("director", school=schools[1], name="Director Beto", password=password),
        "docente_c": quick_user("docente", school=schools[2], name="Maestra Carla", password=password),
        "director_c": quick_user("director", school=schools[2], name="Director Ciro", password=password),
    }
    people["asesor"].advised_zones.append(zone)

    now = utcnow()
    previous = Encounter(
        title=f"Primer encuentro entre escuelas {n}",
        starts_at=now - timedelta(days=40),
        ends_at=now - timedelta(days=40) + timedelta(hours=4),
        status="concluido",
        closed_at=now - timedelta(days=40) + timedelta(hours=4),
        zones=[zone],
    )
    db.session.add(previous)
    db.session.flush()
    _group(previous, schools, people["facilitador"])
    previous_commitments = [
        Commitment(
            school_id=school.id,
            encounter_id=previous.id,
            problem_id=problem.id,
            action=action,
            classroom=classroom,
            responsible=responsible,
            due_date=date.today() + timedelta(days=5),
            follow_up="Revisión en el siguiente encuentro",
            status="pendiente",
            school_year=current_school_year(),
        )
        for school, problem, action, classroom, responsible in (
            (schools[0], problems[0], "Lectura en voz alta 20 minutos diarios", "3.º A", "Maestra Ana"),
            (schools[1], problems[1], "Taller de fracciones con material concreto", "5.º B", "Director Beto"),
        )
    ]
    db.session.add_all(previous_commitments)

    encounter = Encounter(
        title=f"Segundo encuentro entre escuelas {n}",
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(hours=3),
        status="en_curso",
        zones=[zone],
    )
    db.session.add(encounter)
    db.session.flush()
    group = _group(encounter, schools, people["facilitador"])
    build_agenda(group)
    for school, problem in zip(schools, problems, strict=True):
        db.session.add(
            Presentation(
                encounter_id=encounter.id,
                school_id=school.id,
                kind="generada",
                problem_ids=[problem.id],
                ask="¿Qué les ha funcionado?",
                is_ready=True,
            )
        )
    db.session.commit()
    return Journey(previous, encounter, group, schools, problems, previous_commitments, people)


def next_encounter(journey: Journey) -> Journey:
    """The schools' next encounter, running, its agenda opening with the review of what they
    committed to in ``journey.encounter`` (which must be concluded)."""
    n = next(_seq)
    now = utcnow()
    encounter = Encounter(
        title=f"Tercer encuentro entre escuelas {n}",
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(hours=3),
        status="en_curso",
        zones=list(journey.encounter.zones),
    )
    db.session.add(encounter)
    db.session.flush()
    group = _group(encounter, journey.schools, journey.people["facilitador"])
    build_agenda(group)
    db.session.commit()
    return Journey(journey.encounter, encounter, group, journey.schools, journey.problems, [], journey.people)
