"""The zone council's *Proponer agrupamientos* page in a real browser."""

import pytest

from tests import factories
from tests.e2e.browser import PHONE, login, shot

pytestmark = pytest.mark.browser
PASSWORD = factories.PASSWORD


@pytest.fixture
def zone_of_six(db):
    zone = factories.create_zone(cct="22FIZ0201A", name="SUPERVISION DE ZONA DE EDUCACION PRIMARIA NUM. 201")
    math = {"amb-aprovechamiento": "alta", "pensamiento-matematico": "alta"}
    reading = {"amb-aprovechamiento": "media", "lectura-escritura": "alta"}
    coexist = {"amb-comunidad": "alta", "convivencia": "alta"}
    for k, cats in enumerate([math, math, reading, reading, coexist, coexist]):
        school = factories.create_school(zone, cct=f"22DPR02{k:02d}B", name=f"ESCUELA PRIMARIA {k}")
        factories.create_problem(school, categories=cats)
    supervisor = factories.create_user("supervisor", zone=zone, email="sup201@escuelas.example.mx")
    return zone, supervisor


def test_supervisor_proposes_moves_and_accepts(live_server, page, zone_of_six):
    zone, supervisor = zone_of_six
    login(page, live_server, supervisor.email, PASSWORD)
    page.goto(f"{live_server}/zonas/{zone.cct}/agrupamientos")
    page.get_by_label("Escuelas por grupo: máximo").fill("2")
    page.get_by_role("button", name="Calcular propuesta").click()
    page.wait_for_url("**/agrupamientos/*")
    assert page.locator("#objective").inner_text() == "6.00"
    assert page.locator("svg.network-svg circle").count() == 6
    assert page.locator(".group-card").count() == 3
    shot(page, "grouping-proposal")

    first = page.locator(".group-card").first
    first.locator("details.move summary").first.click()
    first.locator("select[name=target]").first.select_option("nuevo")
    first.get_by_role("button", name="Mover").first.click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator(".group-card").count() == 4
    assert page.locator("#objective").inner_text() == "4.00"

    page.get_by_role("button", name="Aceptar este agrupamiento").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Agrupamiento aceptado" in page.locator("h1").inner_text()
    assert page.locator("details.move").count() == 0
    shot(page, "grouping-accepted")


def test_grouping_page_fits_a_phone(live_server, new_page, zone_of_six):
    zone, supervisor = zone_of_six
    page = new_page(viewport=PHONE)
    login(page, live_server, supervisor.email, PASSWORD)
    page.goto(f"{live_server}/zonas/{zone.cct}/agrupamientos")
    page.get_by_role("button", name="Calcular propuesta").click()
    page.wait_for_url("**/agrupamientos/*")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "grouping-phone")
