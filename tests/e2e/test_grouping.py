"""The zone council's *Proponer agrupamientos* page in a real browser: the complementarity option,
the reasons in plain words, the picture of who helps whom, on a phone and a desktop, checked with
axe-core (vendored in ``tests/e2e/vendor``)."""

import re
from datetime import date

import pytest

from app.commitments.models import Commitment, CommitmentNote
from tests import factories
from tests.e2e.browser import DESKTOP, PHONE, PHONE_390, axe_violations, login, shot

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


@pytest.fixture
def zone_with_a_solver(db):
    """JUSTO SIERRA solved reading (a practice, 3 of 4 commitments met with evidence); NARCISO MENDOZA
    and CUAUHTÉMOC work on it. By similarity alone JUSTO SIERRA would sit with EMILIANO ZAPATA, with
    whom it shares nothing."""
    zone = factories.create_zone(
        cct="22FIZ0005A", name="SUPERVISION DE ZONA DE EDUCACION PRIMARIA GENERAL NUM. 5"
    )
    names = [
        "JUSTO SIERRA",
        "GENERAL FRANCISCO VILLA",
        "NARCISO MENDOZA",
        "CUAUHTÉMOC",
        "JAIME NUNO",
        "EMILIANO ZAPATA",
    ]
    schools = [factories.create_school(zone, cct=f"22DPR05{k:02d}T", name=n) for k, n in enumerate(names)]
    justo, villa, narciso, cuauhtemoc, nuno, zapata = schools
    solved = factories.create_problem(
        justo, categories={"lectura-escritura": "alta"}, status="resuelta", title="Alumnos que no leen"
    )
    factories.create_problem(justo, categories={"asistencia-permanencia": "baja"})
    factories.create_problem(villa, categories={"asistencia-permanencia": "alta", "convivencia": "alta"})
    factories.create_problem(narciso, categories={"lectura-escritura": "alta", "convivencia": "baja"})
    factories.create_problem(
        cuauhtemoc, categories={"lectura-escritura": "alta", "inclusion-diversidad": "media"}
    )
    factories.create_problem(nuno, categories={"convivencia": "alta", "asistencia-permanencia": "baja"})
    factories.create_problem(
        zapata, categories={"inclusion-diversidad": "alta", "pensamiento-matematico": "media"}
    )
    factories.create_practice(
        justo,
        categories=["lectura-escritura"],
        title="Tutoría entre pares",
        problem_id=solved.id,
        visibility="todos",
    )
    for k, status in enumerate(["cumplido", "cumplido", "cumplido", "pendiente"]):
        commitment = Commitment(
            school_id=justo.id,
            problem_id=solved.id,
            action=f"Acción {k}",
            responsible="Dirección",
            due_date=date(2026, 3, 1),
            school_year="2025-2026",
            status=status,
        )
        if k == 0:
            commitment.notes.append(
                CommitmentNote(body="Registro mensual", status_after="cumplido", evidence_stored_name="r.jpg")
            )
        db.session.add(commitment)
    db.session.commit()
    supervisor = factories.create_user("supervisor", zone=zone, email="sup5@escuelas.example.mx")
    return zone, supervisor


def test_supervisor_proposes_moves_and_accepts(live_server, page, zone_of_six):
    zone, supervisor = zone_of_six
    login(page, live_server, supervisor.email, PASSWORD)
    page.goto(f"{live_server}/zonas/{zone.cct}/agrupamientos")
    page.get_by_label("Escuelas por grupo: máximo").fill("2")
    page.get_by_role("button", name="Calcular propuesta").click()
    page.wait_for_url("**/agrupamientos/*")
    page.get_by_text("Cómo se calculó").click()
    assert "Afinidad total: 6.00 de 6 posibles" in page.locator("#how-computed").inner_text()
    assert page.locator("svg.network-svg circle").count() == 6
    assert page.locator("svg.network-svg path.help-arrow").count() == 0  # nobody solved anything yet
    assert page.locator(".group-card").count() == 3
    shot(page, "grouping-proposal")

    first = page.locator(".group-card").first
    first.locator("details.move summary").first.click()
    first.locator("select[name=target]").first.select_option("nuevo")
    first.get_by_role("button", name="Mover").first.click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator(".group-card").count() == 4
    page.get_by_text("Cómo se calculó").click()
    assert "Afinidad total: 4.00 de 6 posibles" in page.locator("#how-computed").inner_text()

    page.get_by_role("button", name="Aceptar este agrupamiento").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Agrupamiento aceptado" in page.locator("h1").inner_text()
    assert page.locator("details.move").count() == 0
    shot(page, "grouping-accepted")


@pytest.mark.parametrize("viewport", [PHONE_390, DESKTOP], ids=["phone-390x844", "desktop-1366x900"])
def test_complementarity_says_who_solved_what(live_server, new_page, zone_with_a_solver, viewport):
    zone, supervisor = zone_with_a_solver
    page = new_page(viewport=viewport)
    login(page, live_server, supervisor.email, PASSWORD)
    page.goto(f"{live_server}/zonas/{zone.cct}/agrupamientos")
    option = page.get_by_label(
        "Juntar a las escuelas que ya resolvieron una problemática con las que trabajan en ella"
    )
    assert option.is_checked()  # on by default for the CTE encounter
    assert axe_violations(page) == []
    shot(page, f"grouping-form-{viewport['width']}")
    page.get_by_role("button", name="Calcular propuesta").click()
    page.wait_for_url("**/agrupamientos/*")

    justo_card = page.locator(".group-card", has_text="JUSTO SIERRA")
    reason = justo_card.locator(".help-reason").first.inner_text()
    assert reason == (
        "JUSTO SIERRA ya resolvió lectura Escritura con Tutoría entre pares (problemática resuelta; "
        "3 de 4 compromisos cumplidos); NARCISO MENDOZA trabaja en ello."
    )
    assert "EMILIANO ZAPATA" not in justo_card.inner_text()
    assert justo_card.get_by_role("link", name="Tutoría entre pares").is_visible()
    # The picture: arrows from JUSTO SIERRA to the schools working on reading, at least one in its group.
    assert page.locator("svg.network-svg path.help-arrow").count() == 2
    assert page.locator("svg.network-svg path.help-arrow.in-group").count() == 1
    assert "JUSTO SIERRA ya resolvió lectura Escritura." in page.locator("#who-helps").inner_text()
    # No bare decimals on the page; the numbers only inside "Cómo se calculó", explained.
    visible = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
    hidden = page.locator("#how-computed").inner_text()
    assert not re.search(r"\d\.\d\d", visible.replace(hidden, ""))
    assert "Semilla" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert axe_violations(page) == []
    shot(page, f"grouping-complementarity-{viewport['width']}")


def test_grouping_page_fits_a_phone(live_server, new_page, zone_of_six):
    zone, supervisor = zone_of_six
    page = new_page(viewport=PHONE)
    login(page, live_server, supervisor.email, PASSWORD)
    page.goto(f"{live_server}/zonas/{zone.cct}/agrupamientos")
    page.get_by_role("button", name="Calcular propuesta").click()
    page.wait_for_url("**/agrupamientos/*")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "grouping-phone")
