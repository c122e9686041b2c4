"""Issue 12's browser path: a director of another zone finds JUSTO SIERRA's practice from her problem
page, reads why in plain words, opens its profile, writes to its director, gets the reply, proposes an
encounter that reaches her supervisor, adopts the practice, records the outcome, and the commitment in
her bitácora changes state. At 390x844 and 1366x900, axe-core on every page changed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.logbook import services as logbook
from tests import factories
from tests.e2e.browser import DESKTOP, PHONE_390, check_page, login, shot

pytestmark = pytest.mark.browser
PASSWORD = factories.PASSWORD


@pytest.fixture
def world(db):
    zone5 = factories.create_zone(cct="22FIZ0005A", number=5, name="SUPERVISION ESCOLAR ZONA 5")
    zone9 = factories.create_zone(cct="22FIZ0009A", number=9, name="SUPERVISION ESCOLAR ZONA 9")
    justo = factories.create_school(zone5, cct="22DPR0005J", name="JUSTO SIERRA")
    leona = factories.create_school(zone9, cct="22DPR0009L", name="LEONA VICARIO")
    solved = factories.create_problem(
        justo,
        title="Lectoescritura en primer ciclo",
        categories={"lectura-escritura": "alta"},
        status="resuelta",
    )
    practice = factories.create_practice(
        justo,
        title="Tutoría entre pares",
        categories=["lectura-escritura"],
        outcome="bueno",
        visibility="todos",
        problem_id=solved.id,
    )
    mine = factories.create_problem(
        leona, title="Bajo nivel de lectura en 2°", categories={"lectura-escritura": "alta"}
    )
    db.session.commit()
    return {
        "practice": practice,
        "problem": mine,
        "maria": factories.create_user(
            "director", school=leona, name="María López", email="maria@escuelas.example.mx"
        ),
        "justo_director": factories.create_user(
            "director", school=justo, name="Ernesto Ruiz", email="ernesto@escuelas.example.mx"
        ),
        "supervisor9": factories.create_user("supervisor", zone=zone9, email="sup9@escuelas.example.mx"),
    }


@pytest.mark.parametrize("viewport", [PHONE_390, DESKTOP], ids=["390x844", "1366x900"])
def test_from_her_problem_to_a_contact_an_encounter_proposal_and_an_adoption(
    live_server, new_page, world, viewport
):
    w = world
    maria = new_page(viewport=viewport)
    login(maria, live_server, w["maria"].email, PASSWORD)

    # 1. Her problem page says who already solved it, in words, with the practice.
    maria.goto(f"{live_server}/problematicas/{w['problem'].id}")
    helpers = maria.locator("#escuelas-que-ayudan li[data-solved='si']")
    assert helpers.count() == 1
    text = helpers.inner_text()
    assert "JUSTO SIERRA" in text and "Ya resolvió lectura escritura con Tutoría entre pares" in text.replace(
        "Escritura", "escritura"
    )
    assert "con buenos resultados" in text and "0." not in text  # no bare decimals
    check_page(maria, "partners-problem-page")

    # 2. The partner's profile opens (it answered 403 before), with no personal data.
    helpers.get_by_role("link", name="JUSTO SIERRA").click()
    maria.wait_for_url("**/escuelas/22DPR0005J")
    assert "Perfil público" in maria.content() and "Ernesto Ruiz" not in maria.content()
    check_page(maria, "partners-public-profile")

    # 3. She writes to its director about her problem; an empty message is refused, nothing lost.
    maria.goto(f"{live_server}/problematicas/{w['problem'].id}")
    maria.locator("#escuelas-que-ayudan li[data-solved='si']").get_by_role(
        "link", name="Escribir a su dirección"
    ).click()
    maria.wait_for_url("**/contacto?problema=*")
    assert "Bajo nivel de lectura en 2°" in maria.get_by_label("Sobre").locator("option:checked").inner_text()
    maria.get_by_label("Mensaje").fill("Hola")
    maria.get_by_role("button", name="Enviar mensaje").click()
    maria.wait_for_load_state("domcontentloaded")
    assert "al menos 10 caracteres" in maria.locator(".field-error").inner_text()
    assert maria.get_by_label("Mensaje").input_value() == "Hola"
    check_page(maria, "contact-form-error")
    maria.get_by_label("Mensaje").fill("Hola, ¿nos cuentan cómo organizan la tutoría entre pares?")
    maria.get_by_role("button", name="Enviar mensaje").click()
    maria.wait_for_url("**/contactos/*")
    thread_url = maria.url

    # 4. JUSTO SIERRA's director is notified, reads it and answers.
    ernesto = new_page(viewport=viewport)
    login(ernesto, live_server, w["justo_director"].email, PASSWORD)
    ernesto.goto(f"{live_server}/contactos")
    ernesto.get_by_role("link", name="LEONA VICARIO").click()
    assert "¿nos cuentan cómo organizan la tutoría" in ernesto.content()
    ernesto.get_by_label("Respuesta").fill("Con gusto: parejas de 5° y 2°, 20 minutos diarios.")
    ernesto.get_by_role("button", name="Responder").click()
    ernesto.wait_for_url("**/contactos/*")
    check_page(ernesto, "contact-thread-answered")

    # 5. She reads the reply and proposes an encounter; her supervisor can schedule it with zone 5.
    maria.goto(thread_url)
    assert "parejas de 5° y 2°" in maria.content()
    maria.get_by_role("button", name="Proponer un encuentro entre las dos escuelas").click()
    maria.wait_for_url(thread_url)
    assert "Se propuso a la supervisión" in maria.content()
    supervisor = new_page(viewport=viewport)
    login(supervisor, live_server, w["supervisor9"].email, PASSWORD)
    supervisor.goto(thread_url)
    supervisor.get_by_role("link", name="Programar el encuentro").click()
    supervisor.wait_for_url("**/encuentros/nuevo*")
    checked = supervisor.locator("input[name='zone_ids']:checked")
    assert checked.count() == 2
    shot(supervisor, f"contact-encounter-form-{viewport['width']}")

    # 6. She adopts the practice; recording a good outcome fulfils the commitment in her bitácora.
    maria.goto(f"{live_server}/practicas/{w['practice'].id}")
    maria.get_by_role("button", name="La adoptamos").click()
    maria.get_by_label("Responsable").fill("Mtra. Rosa Díaz")
    maria.get_by_label("Fecha límite").fill((logbook.local_today() + timedelta(days=30)).isoformat())
    maria.get_by_role("button", name="La adoptamos").click()
    maria.wait_for_url("**/compromisos/*")
    assert maria.locator("#commitment-status").inner_text() == "Pendiente"
    maria.get_by_label("¿Cómo les fue al aplicarla?").select_option("bueno")
    maria.get_by_role("button", name="Guardar resultado").click()
    maria.wait_for_load_state("domcontentloaded")
    assert maria.locator("#commitment-status").inner_text() == "Cumplido"
    maria.goto(f"{live_server}/escuelas/22DPR0009L/bitacora")
    entry = maria.locator("li, article", has_text="Aplicar la práctica «Tutoría entre pares»").last
    assert "Cumplido" in entry.inner_text()
