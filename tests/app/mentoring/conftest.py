"""A small world for mentoring: two zones; a mentor school in zone B that resolved a reading
problem and has a good reading practice; a teacher of zone A who asks for help with reading."""

from __future__ import annotations

import pytest

from app.extensions import db as _db
from tests import factories


@pytest.fixture
def world(db):
    zone_a, zone_b = factories.create_zone(), factories.create_zone()
    a = factories.create_school(zone_a, name="NIÑOS HÉROES")
    b = factories.create_school(zone_b, name="JUSTO SIERRA")
    c = factories.create_school(zone_b, name="BENITO JUÁREZ")
    reading = {"lenguaje-comunicacion": "alta"}
    factories.create_problem(b, title="Comprensión lectora baja", categories=reading, status="resuelta")
    factories.create_practice(
        b, title="Tutoría entre pares", categories=["lenguaje-comunicacion"], outcome="bueno"
    )
    factories.create_practice(
        c, title="Lectura en voz alta", categories=["lenguaje-comunicacion"], outcome="bueno"
    )
    advisor = factories.create_user("asesor")
    advisor.advised_zones.append(zone_a)
    _db.session.commit()
    w = {
        "zone_a": zone_a,
        "zone_b": zone_b,
        "a": a,
        "b": b,
        "c": c,
        "teacher_a": factories.create_user("docente", school=a, name="Ana Novel"),
        "teacher_a2": factories.create_user("docente", school=a, name="Beto Novel"),
        "dir_a": factories.create_user("director", school=a),
        "mentor_b": factories.create_user("docente", school=b, name="Maestra Sol"),
        "mentor_c": factories.create_user("director", school=c, name="Director Luna"),
        "sup_a": factories.create_user("supervisor", zone=zone_a),
        "sup_b": factories.create_user("supervisor", zone=zone_b),
        "advisor_a": advisor,
        "admin": factories.create_user("admin"),
        "problem_a": factories.create_problem(a, title="Leer no es comprender", categories=reading),
        "reading": factories.get_category("lenguaje-comunicacion"),
        "maths": factories.get_category("pensamiento-matematico"),
    }
    _db.session.commit()
    return w
