"""A director records a problem in the browser; the zone's supervisor sees it on the zone page."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.problems.taxonomy import sync_categories
from tests.e2e.browser import login, shot
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

TITLE = "Alumnos de 3° que no resuelven problemas de reparto"


@pytest.fixture
def zone_people(live_server, create_zone, create_school, create_user):
    sync_categories()
    db.session.commit()
    zone = create_zone(
        cct="22FIZ0005A", number=5, name="SUPERVISION DE ZONA DE EDUCACION PRIMARIA GENERAL NUM. 5"
    )
    school = create_school(zone, cct="22DPR0002G", name="VENUSTIANO CARRANZA", level="primaria")
    director = create_user(
        "director",
        school=school,
        name="Verónica Trejo Ugalde",
        email="director.22dpr0002g@escuelas.example.mx",
    )
    supervisor = create_user(
        "supervisor",
        zone=zone,
        name="José Luis Reséndiz Olvera",
        email="supervisor.zona5@escuelas.example.mx",
    )
    return zone, school, director, supervisor


def test_director_records_a_problem_and_the_supervisor_sees_it(live_server, new_page, zone_people):
    zone, school, director, supervisor = zone_people

    page = new_page(viewport={"width": 1280, "height": 900})
    login(page, live_server, director.email, PASSWORD)
    assert "/login" not in page.url
    page.goto(f"{live_server}/escuelas/{school.cct}/problematicas/nueva")
    page.get_by_label("Título").fill(TITLE)
    page.get_by_label("Descripción").fill(
        "En la evaluación diagnóstica, 18 de 27 alumnos de 3° no supieron repartir 24 dulces entre "
        "4 niños sin contar uno por uno."
    )
    page.get_by_label("Ámbito del PEMC").select_option(
        label="Aprovechamiento académico y asistencia de los alumnos"
    )
    page.get_by_label("Prioridad del ámbito").select_option(label="Alta")
    page.get_by_label("Pensamiento matemático", exact=True).select_option(label="Alta")
    page.get_by_label("Evaluación formativa", exact=True).select_option(label="Media")
    page.get_by_label("3°", exact=True).check()
    page.get_by_label("Causas identificadas").fill("Poco material concreto; se enseña el algoritmo primero.")
    shot(page, "problem-form-filled")
    page.get_by_role("button", name="Registrar problemática").click()
    page.wait_for_load_state("domcontentloaded")
    shot(page, "problem-recorded")
    assert page.get_by_text(TITLE).first.is_visible()
    assert "nueva" not in page.url

    supervisor_page = new_page(viewport={"width": 1280, "height": 900})
    login(supervisor_page, live_server, supervisor.email, PASSWORD)
    supervisor_page.goto(f"{live_server}/zonas/{zone.cct}")
    shot(supervisor_page, "zone-page-supervisor")
    assert supervisor_page.get_by_text(TITLE).first.is_visible()
    assert supervisor_page.get_by_text("Pensamiento matemático").first.is_visible()
    assert supervisor_page.get_by_text(school.name).first.is_visible()
