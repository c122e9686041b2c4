"""The relatos index in a real browser (issue 12): search and the category, level and zone filters, on
a phone (390x844) and a desktop, checked with axe-core; a relato without a practice is reached from
the index and from its school's page."""

from __future__ import annotations

import pytest

from app.extensions import db as _db
from app.goodpractices import services
from tests import factories
from tests.e2e.browser import DESKTOP, PHONE_390, axe_violations, login, shot

pytestmark = pytest.mark.browser
PASSWORD = factories.PASSWORD


@pytest.fixture
def relatos(db):
    zone_a = factories.create_zone(cct="22FIZ0501A", name="SUPERVISION DE ZONA NUM. 501")
    zone_b = factories.create_zone(cct="22FES0502B", name="SUPERVISION DE ZONA NUM. 502")
    primaria = factories.create_school(zone_a, cct="22DPR0501A", name="ESCUELA PRIMARIA IGNACIO ZARAGOZA")
    secundaria = factories.create_school(
        zone_b, cct="22DES0502B", name="ESCUELA SECUNDARIA JOSEFA ORTIZ", level="secundaria"
    )
    reading = factories.create_problem(
        primaria, title="Comprensión lectora", categories={"lectura-escritura": "alta"}
    )
    coexist = factories.create_problem(secundaria, title="Conflictos", categories={"convivencia": "alta"})
    admin = factories.create_user("admin", email="admin501@escuelas.example.mx")
    authors = {
        primaria.id: factories.create_user("director", school=primaria, email="dir501@escuelas.example.mx"),
        secundaria.id: factories.create_user(
            "director", school=secundaria, email="dir502@escuelas.example.mx"
        ),
    }
    rows = [
        (primaria, "Leer en voz alta cada mañana", reading),
        (primaria, "Volvieron a la escuela", None),  # no practice, no problem: listed nowhere before
        (secundaria, "Asambleas para resolver conflictos", coexist),
    ]
    for school, title, problem in rows:
        services.create_narrative(
            school,
            {
                "title": title,
                "faced": "Lo que enfrentamos.",
                "tried": "Lo que intentamos.",
                "happened": "Lo que pasó.",
                "learned": "Lo que aprendimos.",
                "problem_id": problem.id if problem else None,
            },
            actor=authors[school.id],
        )
    _db.session.commit()
    return admin


def _titles(page) -> list[str]:
    return page.locator("#relatos h2").all_inner_texts()


@pytest.mark.parametrize("viewport", [PHONE_390, DESKTOP], ids=["390x844", "1366x900"])
def test_relatos_index_search_and_filters(live_server, new_page, relatos, viewport):
    page = new_page(viewport=viewport)
    login(page, live_server, relatos.email, PASSWORD)
    page.goto(f"{live_server}/practicas")
    page.locator("#to-relatos").click()
    page.wait_for_url("**/relatos")
    assert len(_titles(page)) == 3 and page.locator("#relatos-count").inner_text() == "3 relatos"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert axe_violations(page) == []
    shot(page, f"relatos-index-{viewport['width']}")

    page.get_by_label("Buscar relatos").fill("conflictos")
    page.get_by_role("button", name="Buscar", exact=True).click()
    page.wait_for_load_state("domcontentloaded")
    assert _titles(page) == ["Asambleas para resolver conflictos"]

    page.get_by_label("Buscar relatos").fill("")
    page.locator("summary", has_text="Filtros").click()
    page.get_by_label("Categoría").select_option("lectura-escritura")
    page.get_by_role("button", name="Aplicar filtros").click()
    page.wait_for_load_state("domcontentloaded")
    assert _titles(page) == ["Leer en voz alta cada mañana"]

    page.get_by_label("Categoría").select_option("")
    page.get_by_label("Nivel").select_option("secundaria")
    page.get_by_role("button", name="Aplicar filtros").click()
    page.wait_for_load_state("domcontentloaded")
    assert _titles(page) == ["Asambleas para resolver conflictos"]

    page.get_by_label("Nivel").select_option("")
    page.get_by_label("Zona escolar").select_option("22FIZ0501A")
    page.get_by_role("button", name="Aplicar filtros").click()
    page.wait_for_load_state("domcontentloaded")
    assert sorted(_titles(page)) == ["Leer en voz alta cada mañana", "Volvieron a la escuela"]
    assert axe_violations(page) == []
    shot(page, f"relatos-filtered-{viewport['width']}")

    # The relato without a practice: from the index to its page, then from its school's page.
    page.get_by_role("link", name="Volvieron a la escuela").click()
    page.wait_for_url("**/relatos/*")
    relato_url = page.url
    page.get_by_role("link", name="ESCUELA PRIMARIA IGNACIO ZARAGOZA").click()
    page.wait_for_url("**/escuelas/22DPR0501A*")
    page.locator("#relatos").get_by_role("link", name="Volvieron a la escuela").click()
    page.wait_for_url(relato_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert axe_violations(page) == []
