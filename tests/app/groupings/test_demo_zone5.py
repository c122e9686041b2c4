"""Zona 5 of the demo (real catalogue): JUSTO SIERRA solved reading and fractions; the proposal
must put it with schools working on them, and say so."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.catalogue.models import School, Zone
from app.demo import services as demo
from app.extensions import db as _db
from app.groupings import services
from tests.conftest import _empty_all_tables


@pytest.fixture(scope="module")
def zone5(app):
    with app.app_context():
        demo.seed_demo()
        _db.session.commit()
    yield
    with app.app_context():
        _empty_all_tables()


@pytest.fixture
def ctx(app, zone5):
    with app.app_context():
        zone = _db.session.execute(select(Zone).filter_by(cct="22FIZ0005A")).scalar_one()
        supervisor = (
            _db.session.execute(select(User).filter_by(role="supervisor", zone_id=zone.id)).scalars().first()
        )
        by_cct = {s.cct: s for s in services.zone_schools(zone)}
        yield zone, supervisor, by_cct
        _db.session.rollback()


def _group_with(grouping, school: School):
    return next(g for g in grouping.groups if school.id in {m.school_id for m in g.members})


def test_schools_that_solved_meet_schools_working_on_it(ctx):
    zone, supervisor, by_cct = ctx
    justo, villa = by_cct["22DPR0337T"], by_cct["22DPR0677R"]
    venustiano, rafael = by_cct["22DPR0002G"], by_cct["22DPR0449X"]
    assert justo.name == "JUSTO SIERRA" and villa.name == "GENERAL FRANCISCO VILLA"
    pure = services.propose_grouping(zone, {"by_progress": False}, actor=supervisor)
    # VENUSTIANO CARRANZA adopted "Cálculo mental diario" with good results; by similarity alone it
    # meets a reading school, not RAFAEL RAMÍREZ, who works on mathematics.
    assert rafael.id not in {m.school_id for m in _group_with(pure, venustiano).members}
    grouping = services.propose_grouping(zone, {}, actor=supervisor)  # complementarity: the default
    group = _group_with(grouping, venustiano)
    assert {m.school_id for m in group.members} == {venustiano.id, rafael.id}
    (item,) = group.reasons["help"][:1]
    assert item["helper"] == venustiano.id and item["learners"] == [rafael.id]
    assert item["evidence"][0] == {
        "kind": "adoption",
        "practice": item["evidence"][0]["practice"],
        "title": "Cálculo mental diario: diez minutos al empezar el día",
        "outcome": "bueno",
    }
    # JUSTO SIERRA's card now says why it sits with FRANCISCO VILLA: reading, not attendance.
    justo_group = _group_with(grouping, justo)
    reading = [i for i in justo_group.reasons["help"] if i["category"] == "lectura-escritura"]
    assert reading[0]["helper"] == justo.id and reading[0]["learners"] == [villa.id]
    assert reading[0]["evidence"][0]["title"] == "Tutoría entre pares para consolidar la lectoescritura"
    assert justo_group.host_school_id == justo.id
    # Similarity is not thrown away: the zone keeps most of its afinidad total.
    assert grouping.objective >= 0.95 * pure.objective
