"""From a fulfilled commitment to a recognised practice found (and adopted) by another zone's director,
in a real browser."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.logbook import services as logbook
from app.logbook.models import Commitment
from tests import factories
from tests.app.goodpractices.world import add_commitment
from tests.e2e.browser import DESKTOP, PHONE, PHONE_390, check_page, login, shot

pytestmark = pytest.mark.browser
PASSWORD = factories.PASSWORD


@pytest.fixture
def two_zones(db):
    zone_a = factories.create_zone(cct="22FIZ0301A", name="SUPERVISION DE ZONA NUM. 301")
    zone_b = factories.create_zone(cct="22FIZ0302A", name="SUPERVISION DE ZONA NUM. 302")
    school_a = factories.create_school(zone_a, cct="22DPR0301A", name="ESCUELA PRIMARIA BENITO JUÁREZ")
    school_b = factories.create_school(zone_b, cct="22DPR0302B", name="ESCUELA PRIMARIA LEONA VICARIO")
    problem = factories.create_problem(
        school_a, title="Baja comprensión lectora", categories={"lectura-escritura": "alta"}
    )
    commitment = add_commitment(
        school_a, problem=problem, action="Círculos de lectura en voz alta cada mañana"
    )
    people = {
        "director_a": factories.create_user("director", school=school_a, email="dir301@escuelas.example.mx"),
        "supervisor_a": factories.create_user("supervisor", zone=zone_a, email="sup301@escuelas.example.mx"),
        "director_b": factories.create_user("director", school=school_b, email="dir302@escuelas.example.mx"),
    }
    return commitment, people


def test_from_fulfilled_commitment_to_a_practice_adopted_in_another_zone(live_server, new_page, two_zones):
    commitment, people = two_zones

    # 1. The school's director publishes the fulfilled commitment as a practice for everyone.
    page = new_page(viewport={"width": 1280, "height": 900})
    login(page, live_server, people["director_a"].email, PASSWORD)
    page.goto(f"{live_server}/compromisos/{commitment.id}")
    page.get_by_role("button", name="Publicar como práctica").click()
    assert (
        page.get_by_label("Título de la práctica").input_value()
        == "Círculos de lectura en voz alta cada mañana"
    )
    page.get_by_label("Todas las escuelas").check()
    shot(page, "good-practice-publish-form")
    page.get_by_role("button", name="Publicar la práctica").click()
    page.wait_for_url("**/practicas/*")
    assert page.locator("h1").inner_text() == "Círculos de lectura en voz alta cada mañana"
    practice_url = page.url
    # The evidence photo was copied, shown as a real thumbnail.
    thumb = page.locator("section#evidencias img").first
    assert "/miniatura" in thumb.get_attribute("src")
    # (the thumbnail is made on its first request: wait for the picture, then check its size)
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
    assert page.evaluate("(img) => img.naturalWidth", thumb.element_handle()) == 480

    # 2. The zone's supervisor recognises it as a good practice.
    page = new_page(viewport={"width": 1280, "height": 900})
    login(page, live_server, people["supervisor_a"].email, PASSWORD)
    page.goto(practice_url)
    page.get_by_label("Por qué es una buena práctica").fill(
        "Resultados claros, evidencia y fácil de adoptar."
    )
    page.get_by_role("button", name="Reconocer", exact=True).click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("#buena-practica .badge-buena").count() == 1
    shot(page, "good-practice-recognised")

    # 3. A director of another zone finds it among the good practices, sees whom to ask, adopts it.
    page = new_page(viewport=PHONE)
    login(page, live_server, people["director_b"].email, PASSWORD)
    page.goto(f"{live_server}/practicas")
    page.locator("summary", has_text="Filtros").click()
    page.get_by_label("Solo buenas prácticas").check()
    page.get_by_role("button", name="Aplicar filtros").click()
    page.wait_for_load_state("domcontentloaded")
    card = page.locator("article.practice-card")
    assert card.count() == 1 and "Buena práctica" in card.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "good-practice-found-phone")
    card.get_by_role("link", name="Círculos de lectura en voz alta cada mañana").click()
    page.wait_for_url(practice_url)
    assert (
        "ESCUELA PRIMARIA BENITO JUÁREZ" in page.locator("footer", has_text="A quién preguntar").inner_text()
    )
    page.get_by_role("button", name="La adoptamos").click()
    due = (logbook.local_today() + timedelta(days=30)).isoformat()
    page.get_by_label("Responsable").fill("Mtra. Rosa Díaz")
    page.get_by_label("Fecha límite").fill(due)
    page.get_by_role("button", name="La adoptamos").click()
    page.wait_for_url("**/compromisos/*")
    assert "Aplicar la práctica «Círculos de lectura en voz alta cada mañana»" in page.content()
    page.get_by_label("¿Cómo les fue al aplicarla?").select_option("bueno")
    page.get_by_role("button", name="Guardar resultado").click()
    page.wait_for_load_state("domcontentloaded")
    shot(page, "good-practice-adopted")
    db.session.expire_all()
    adopted = db.session.query(Commitment).filter_by(school_id=people["director_b"].school_id).one()
    assert adopted.encounter_id is None


def test_zone_booklet_page_draws_the_outcomes_chart(live_server, new_page, two_zones):
    from app.goodpractices import services
    from app.practices import services as practices

    commitment, people = two_zones
    practice = services.publish_commitment(
        commitment, {"outcome": "bueno", "visibility": "todos"}, actor=people["director_a"]
    )
    services.recognise_practice(
        practice, practice.school.zone, {"rationale": "Funciona."}, actor=people["supervisor_a"]
    )
    practices.adopt_practice(
        practice, people["director_b"].school, {"outcome": "bueno"}, actor=people["director_b"]
    )
    db.session.commit()
    page = new_page(viewport=PHONE)
    login(page, live_server, people["supervisor_a"].email, PASSWORD)
    page.goto(f"{live_server}/zonas/{practice.school.zone.cct}/buenas-practicas")
    page.wait_for_selector(".chart-box svg.chart")
    # The picture names every part, as the table does (one image for screen readers).
    label = page.locator(".chart-box svg.chart").first.get_attribute("aria-label")
    assert label.startswith("Adopciones:") and "Buenos resultados 1" in label
    assert page.locator("#table-zone-outcomes tbody tr").count() == 4
    assert page.locator("#good-practices .badge-buena").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "good-practices-zone-phone")


# --- issue 12: categories when publishing, one adopt action, the outcome moves the commitment -------


@pytest.fixture
def same_zone(db):
    zone = factories.create_zone(cct="22FIZ0401A", name="SUPERVISION DE ZONA NUM. 401")
    school_a = factories.create_school(zone, cct="22DPR0401A", name="ESCUELA PRIMARIA JUSTO SIERRA")
    school_b = factories.create_school(zone, cct="22DPR0402B", name="ESCUELA PRIMARIA NARCISO MENDOZA")
    factories.get_category("lectura-escritura")
    factories.get_category("convivencia")
    # A commitment with no problem: before, its practice was published with no categories at all.
    commitment = add_commitment(school_a, problem=None, action="Asambleas de aula cada viernes")
    people = {
        "director_a": factories.create_user("director", school=school_a, email="dir401@escuelas.example.mx"),
        "director_b": factories.create_user("director", school=school_b, email="dir402@escuelas.example.mx"),
    }
    return commitment, people


@pytest.mark.parametrize("viewport", [PHONE_390, DESKTOP], ids=["390x844", "1366x900"])
def test_publish_with_categories_adopt_once_and_the_outcome_moves_the_commitment(
    live_server, new_page, same_zone, viewport
):
    commitment, people = same_zone
    size = f"{viewport['width']}"

    # 1. Publishing asks for categories: none chosen is refused in Spanish, the title typed is kept.
    page = new_page(viewport=viewport)
    login(page, live_server, people["director_a"].email, PASSWORD)
    page.goto(f"{live_server}/compromisos/{commitment.id}/publicar-practica")
    page.get_by_label("Título de la práctica").fill("Asambleas de aula")
    page.get_by_role("button", name="Publicar la práctica").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Elige al menos una categoría" in page.locator("#categories-field").inner_text()
    assert page.get_by_label("Título de la práctica").input_value() == "Asambleas de aula"
    check_page(page, "gp-publish-categories-error")
    page.locator("#categories-field").get_by_label("Convivencia").check()
    page.get_by_role("button", name="Publicar la práctica").click()
    page.wait_for_url("**/practicas/*")
    practice_url = page.url
    assert "Convivencia" in page.locator("main hgroup").first.inner_text()

    # 2. Another school's director sees one adopt action on the practice page, and adopts.
    page = new_page(viewport=viewport)
    login(page, live_server, people["director_b"].email, PASSWORD)
    page.goto(practice_url)
    assert page.get_by_role("button", name="La adoptamos").count() == 1
    assert page.get_by_role("button", name="Adoptamos esta práctica").count() == 0
    check_page(page, "gp-practice-one-adopt-action")
    page.get_by_role("button", name="La adoptamos").click()
    page.get_by_label("Qué piensan adaptar").fill("En 3° con asambleas de 15 minutos.")
    check_page(page, "gp-adopt-form")
    page.get_by_role("button", name="La adoptamos").click()
    page.wait_for_url("**/compromisos/*")
    commitment_url = page.url
    assert page.locator("#commitment-status").inner_text() == "Pendiente"

    # 3. The commitment is in her school's bitácora, Pendiente.
    page.goto(f"{live_server}/escuelas/22DPR0402B/bitacora")
    entry = page.locator("li, article", has_text="Aplicar la práctica «Asambleas de aula»").last
    assert "Pendiente" in entry.inner_text()

    # 4. Recording the outcome moves the commitment; what they meant to adapt is kept.
    page.goto(commitment_url)
    assert "En 3° con asambleas de 15 minutos." in page.locator("#resultado-adopcion").inner_text()
    page.get_by_label("¿Cómo les fue al aplicarla?").select_option("bueno")
    page.get_by_label("Qué observaron al aplicarla").fill("Menos conflictos en el recreo.")
    page.get_by_role("button", name="Guardar resultado").click()
    page.wait_for_url(commitment_url)
    assert page.locator("#commitment-status").inner_text() == "Cumplido"
    assert "En 3° con asambleas de 15 minutos." in page.locator("#resultado-adopcion").inner_text()
    check_page(page, "gp-outcome-recorded")
    page.goto(f"{live_server}/escuelas/22DPR0402B/bitacora")
    entry = page.locator("li, article", has_text="Aplicar la práctica «Asambleas de aula»").last
    assert "Cumplido" in entry.inner_text()
    shot(page, f"gp-bitacora-cumplido-{size}")
    page.goto(practice_url)
    adoptions = page.locator("#adopciones").inner_text()
    assert "En 3° con asambleas de 15 minutos." in adoptions and "Menos conflictos en el recreo." in adoptions
    check_page(page, "gp-practice-after-outcome")
