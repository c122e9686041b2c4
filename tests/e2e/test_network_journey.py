"""Issue 14's journey, beyond the zone: a teacher of zone 9 finds a community the network suggests
with a school of zone 5, joins it, posts about her practice and reads the reply; asks for a mentor;
her supervisor confirms the suggested match, both accept and they log a session; and the zone's
network-health page shows her school tied, no longer isolated. Pages checked with axe-core."""

from __future__ import annotations

from datetime import date

import pytest

from app.communities import services as communities
from app.extensions import db
from app.mentoring import services as mentoring
from app.mentoring.models import MentoringPair
from app.mentoring.pairs import answer_pair, log_session
from tests import factories
from tests.e2e.browser import DESKTOP, check_page, login

pytestmark = pytest.mark.browser
PASSWORD = factories.PASSWORD
READING = {"lectura-escritura": "alta"}


@pytest.fixture
def world(db):
    zone5 = factories.create_zone(cct="22FIZ0005A", number=5, name="SUPERVISION ESCOLAR ZONA 5")
    zone9 = factories.create_zone(cct="22FIZ0009A", number=9, name="SUPERVISION ESCOLAR ZONA 9")
    justo = factories.create_school(zone5, cct="22DPR0005J", name="JUSTO SIERRA")
    leona = factories.create_school(zone9, cct="22DPR0009L", name="LEONA VICARIO")
    third = factories.create_school(zone5, cct="22DPR0005C", name="CUAUHTÉMOC")
    for school in (justo, leona, third):
        factories.create_problem(school, title="Lectura en primer ciclo", categories=READING)
    practice = factories.create_practice(leona, title="Lectura en parejas", categories=["lectura-escritura"])
    # What makes Sol a mentor the engine fits: her school solved reading before (evidence).
    factories.create_problem(justo, title="Lectoescritura", categories=READING, status="resuelta")
    factories.create_practice(
        justo, title="Tutoría entre pares", categories=["lectura-escritura"], outcome="bueno"
    )
    people = {
        "rosa": factories.create_user(
            "docente", school=leona, name="Rosa Díaz", email="rosa@escuelas.example.mx"
        ),
        "sol": factories.create_user(
            "docente", school=justo, name="Sol Ramírez", email="sol@escuelas.example.mx"
        ),
        "jorge": factories.create_user(
            "supervisor", zone=zone9, name="Jorge Peña", email="sup9@escuelas.example.mx"
        ),
    }
    community = communities.propose_community(
        {
            "name": "Lectura en primer ciclo",
            "description": "Escuelas que enseñan a leer en primero y segundo.",
            "categories": ["lectura-escritura"],
        },
        actor=people["sol"],
    )
    db.session.commit()
    return {**people, "community": community, "practice": practice, "zone9": zone9, "leona": leona}


def test_a_community_a_mentor_and_the_new_ties(live_server, new_page, world):
    w = world
    rosa = new_page(viewport=DESKTOP)
    login(rosa, live_server, w["rosa"].email, PASSWORD)

    # 1. The network suggests schools of two zones working on reading, hers among them.
    rosa.goto(f"{live_server}/comunidades")
    suggested = rosa.locator("#sugeridas")
    assert "3 escuelas de 2 zonas" in suggested.inner_text()
    assert "Su escuela está entre ellas" in suggested.inner_text()
    check_page(rosa, "journey-communities")

    # 2. She joins the community of zone 5's teacher, posts about her practice, and reads the reply.
    rosa.get_by_role("link", name="Lectura en primer ciclo").click()
    rosa.get_by_role("button", name="Unirse a la comunidad").click()
    rosa.wait_for_load_state("domcontentloaded")
    rosa.get_by_label("Publicación").fill("Probamos leer en parejas de 2° y 5° cada mañana.")
    rosa.locator("summary", has_text="Relacionar").click()
    rosa.get_by_label("Sobre la práctica").select_option(label="Lectura en parejas")
    rosa.get_by_role("button", name="Publicar", exact=True).click()
    rosa.wait_for_load_state("domcontentloaded")
    post = db.session.execute(db.select(communities.CommunityPost)).scalar_one()
    communities.add_post(w["community"], {"body": "¿Cuántos minutos leen?"}, actor=w["sol"], parent=post)
    db.session.commit()
    rosa.reload()
    assert "¿Cuántos minutos leen?" in rosa.locator(".board > li").first.inner_text()
    check_page(rosa, "journey-community-board")

    # 3. She asks for a mentor; zone 5's teacher offers; her supervisor confirms the suggested match.
    rosa.goto(f"{live_server}/mentoria/pedir")
    rosa.get_by_label("Sobre").select_option(label="Problemática: Lectura en primer ciclo")
    rosa.get_by_label("Nota breve").fill("Es mi primer año en segundo.")
    rosa.get_by_role("button", name="Enviar solicitud").click()
    rosa.wait_for_url("**/mentoria")
    reading = factories.get_category("lectura-escritura")
    mentoring.save_offer({"categories": [str(reading.id)], "capacity": "1"}, actor=w["sol"])
    db.session.commit()
    jorge = new_page(viewport=DESKTOP)
    login(jorge, live_server, w["jorge"].email, PASSWORD)
    jorge.goto(f"{live_server}/mentoria/red")
    suggestion = jorge.locator("[id^='sugerencia-']")
    assert "Sol Ramírez" in suggestion.inner_text() and "Rosa Díaz" in suggestion.inner_text()
    suggestion.get_by_role("button", name="Confirmar esta pareja").click()
    jorge.wait_for_url("**/mentoria/parejas/*")
    pair = db.session.execute(db.select(MentoringPair)).scalar_one()
    answer_pair(pair, True, actor=w["sol"])
    answer_pair(pair, True, actor=w["rosa"])
    log_session(pair, {"held_on": date.today().isoformat(), "done": "Leímos juntas en 2° A."}, actor=w["sol"])
    db.session.commit()

    # 4. The zone's network health shows her school tied to others, not isolated.
    jorge.goto(f"{live_server}/zonas/{w['zone9'].cct}/red")
    row = jorge.locator(f"#table-schools tr[data-cct='{w['leona'].cct}']")
    assert row.get_attribute("class") != "isolated"
    assert int(row.locator("td").first.inner_text()) >= 1  # community reply and mentoring with zone 5
    this_month = jorge.locator("#table-months tbody tr").last
    assert this_month.locator("td").last.inner_text() == "1"  # her post in the community
    check_page(jorge, "journey-network-health")
