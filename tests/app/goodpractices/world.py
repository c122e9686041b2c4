"""A small world for the good practices tests: two zones, their schools and people, and a commitment
of school A fulfilled with an evidence photo."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta

from PIL import Image

from app.extensions import db
from app.logbook import services as logbook
from app.logbook.models import Commitment, CommitmentNote
from app.utils import current_school_year
from tests import factories


def png_bytes(size=(1200, 800), color=(30, 120, 200)) -> bytes:
    """A real PNG image."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class World:
    zone_a: object
    zone_b: object
    school_a: object
    school_a2: object
    school_b: object
    problem: object
    people: dict = field(default_factory=dict)
    commitment: object = None


def add_commitment(school, *, status="cumplido", evidence=True, problem=None, action=None) -> Commitment:
    """A commitment of ``school`` outside an encounter, with one progress note (and evidence)."""
    commitment = Commitment(
        school_id=school.id,
        action=action or "Leer en voz alta 15 minutos diarios en 4° a 6°\ncon bitácora",
        responsible="Mtra. Lucía Ramírez",
        classroom="4° A",
        due_date=logbook.local_today() + timedelta(days=10),
        follow_up="Registro semanal en el CTE",
        status=status,
        school_year=current_school_year(),
        problem_id=problem.id if problem else None,
    )
    db.session.add(commitment)
    db.session.flush()
    note = CommitmentNote(
        commitment_id=commitment.id,
        body="Los alumnos leen 20 minutos; subió la fluidez.",
        status_after=status,
    )
    if evidence:
        name = f"{commitment.id:04d}{'a' * 28}.png"
        (logbook.commitment_folder() / name).write_bytes(png_bytes())
        note.evidence_stored_name = name
        note.evidence_original_name = "lectura.png"
        note.evidence_mime_type = "image/png"
    db.session.add(note)
    db.session.commit()
    return commitment


def build_world() -> World:
    zone_a = factories.create_zone()
    zone_b = factories.create_zone()
    school_a = factories.create_school(zone_a, name="ESCUELA AUTORA")
    school_a2 = factories.create_school(zone_a, name="ESCUELA VECINA")
    school_b = factories.create_school(zone_b, name="ESCUELA DE OTRA ZONA")
    problem = factories.create_problem(
        school_a,
        title="Baja comprensión lectora",
        categories={"lectura-escritura": "alta"},
        grades=["4°", "5°"],
    )
    world = World(zone_a, zone_b, school_a, school_a2, school_b, problem)
    p = world.people
    p["admin"] = factories.create_user("admin")
    p["supervisor"] = factories.create_user("supervisor", zone=zone_a)
    p["supervisor_other"] = factories.create_user("supervisor", zone=zone_b)
    p["director"] = factories.create_user("director", school=school_a)
    p["director_same_zone"] = factories.create_user("director", school=school_a2)
    p["director_other_zone"] = factories.create_user("director", school=school_b)
    p["docente"] = factories.create_user("docente", school=school_a)
    asesor = factories.create_user("asesor")
    asesor.advised_zones.append(zone_a)
    p["asesor"] = asesor
    p["asesor_other"] = factories.create_user("asesor")
    db.session.commit()
    world.commitment = add_commitment(school_a, problem=problem)
    return world
