"""Issue 14's mentoring path in the browser: a novice teacher of zone 9 asks for a mentor on her
reading problem, a teacher of JUSTO SIERRA (zone 5, which solved it) offers to mentor on reading and
sees her evidence, the supervisor of zone 9 reads the suggested pair in words and confirms it, both
accept, and the mentor logs a session. At 390x844 and 1366x900, axe-core on every page."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.e2e.browser import DESKTOP, PHONE_390, check_page, login

pytestmark = pytest.mark.browser
PASSWORD = factories.PASSWORD


@pytest.fixture
def world(db):
    zone5 = factories.create_zone(cct="22FIZ0005A", number=5, name="SUPERVISION ESCOLAR ZONA 5")
    zone9 = factories.create_zone(cct="22FIZ0009A", number=9, name="SUPERVISION ESCOLAR ZONA 9")
    justo = factories.create_school(zone5, cct="22DPR0005J", name="JUSTO SIERRA")
    leona = factories.create_school(zone9, cct="22DPR0009L", name="LEONA VICARIO")
    factories.create_problem(
        justo,
        title="Lectoescritura en primer ciclo",
        categories={"lectura-escritura": "alta"},
        status="resuelta",
    )
    factories.create_practice(
        justo, title="Tutoría entre pares", categories=["lectura-escritura"], outcome="bueno"
    )
    problem = factories.create_problem(
        leona, title="Bajo nivel de lectura en 2°", categories={"lectura-escritura": "alta"}
    )
    factories.get_category("pensamiento-matematico")
    db.session.commit()
    return {
        "problem": problem,
        "teacher": factories.create_user(
            "docente", school=leona, name="Rosa Díaz", email="rosa@escuelas.example.mx"
        ),
        "mentor": factories.create_user(
            "docente", school=justo, name="Sol Ramírez", email="sol@escuelas.example.mx"
        ),
        "supervisor": factories.create_user(
            "supervisor", zone=zone9, name="Jorge Peña", email="sup9@escuelas.example.mx"
        ),
    }


@pytest.mark.parametrize("viewport", [PHONE_390, DESKTOP], ids=["390x844", "1366x900"])
def test_a_teacher_asks_a_mentor_offers_the_leader_confirms_both_accept_and_a_session_is_logged(
    live_server, new_page, world, viewport
):
    w = world
    # 1. The novice teacher asks for a mentor on her school's reading problem.
    rosa = new_page(viewport=viewport)
    login(rosa, live_server, w["teacher"].email, PASSWORD)
    rosa.goto(f"{live_server}/mentoria")
    check_page(rosa, "mentoring-index-teacher")
    rosa.get_by_role("button", name="Pedir un(a) mentor(a)").click()
    rosa.wait_for_url("**/mentoria/pedir")
    rosa.get_by_label("Nota breve").fill("Es mi primer año con segundo grado.")
    rosa.get_by_role("button", name="Enviar solicitud").click()  # no topic chosen: refused, note kept
    rosa.wait_for_load_state("domcontentloaded")
    assert "Elige una problemática de tu escuela" in rosa.locator(".field-error").inner_text()
    assert rosa.get_by_label("Nota breve").input_value() == "Es mi primer año con segundo grado."
    check_page(rosa, "mentoring-ask-error")
    rosa.get_by_label("Sobre").select_option(label="Problemática: Bajo nivel de lectura en 2°")
    rosa.get_by_role("button", name="Enviar solicitud").click()
    rosa.wait_for_url("**/mentoria")
    assert "Esperando mentor(a)" in rosa.content()

    # 2. A teacher of JUSTO SIERRA offers to mentor on reading and sees her school's evidence.
    sol = new_page(viewport=viewport)
    login(sol, live_server, w["mentor"].email, PASSWORD)
    sol.goto(f"{live_server}/mentoria/ofrecer")
    reading = sol.get_by_label("Lectura Escritura")
    assert (
        "(1 práctica con buenos resultados, 1 problemática resuelta)"
        in sol.locator("label", has=reading).inner_text()
    )
    reading.check()
    sol.get_by_label("Personas que puedo acompañar a la vez").fill("2")
    sol.get_by_label("Nota breve").fill("Por videollamada los martes.")
    check_page(sol, "mentoring-offer-form")
    sol.get_by_role("button", name="Guardar mi ofrecimiento").click()
    sol.wait_for_url("**/mentoria")
    evidence = sol.locator("#mi-ofrecimiento + p + p + ul").inner_text()
    assert "1 práctica con buenos resultados, 1 problemática resuelta" in evidence
    check_page(sol, "mentoring-index-mentor")

    # 3. Zone 9's supervisor reads the suggested pair in words and confirms it.
    jorge = new_page(viewport=viewport)
    login(jorge, live_server, w["supervisor"].email, PASSWORD)
    jorge.goto(f"{live_server}/mentoria")
    jorge.get_by_role("button", name="Solicitudes, ofrecimientos y parejas sugeridas").click()
    jorge.wait_for_url("**/mentoria/red")
    suggestion = jorge.locator("[id^='sugerencia-']")
    assert suggestion.count() == 1
    text = suggestion.inner_text()
    assert "Sol Ramírez" in text and "Rosa Díaz" in text
    assert "Tienen en común: lectura escritura." in text
    assert "JUSTO SIERRA, en lectura escritura: 1 práctica con buenos resultados" in text
    assert "Mismo nivel: primaria." in text and "Zona 5" in text
    assert not re.search(r"\d[.,]\d", text)  # no bare decimals
    check_page(jorge, "mentoring-network")
    suggestion.get_by_role("button", name="Confirmar esta pareja").click()
    jorge.wait_for_url("**/mentoria/parejas/*")
    pair_url = jorge.url
    assert "Por aceptar" in jorge.content()
    check_page(jorge, "mentoring-pair-proposed")

    # 4. Both accept (each is notified); the pair is active.
    sol.goto(pair_url)
    sol.get_by_role("button", name="Aceptar la mentoría").click()
    sol.wait_for_url(pair_url)
    rosa.goto(f"{live_server}/avisos")
    assert "Te proponen a Sol Ramírez (JUSTO SIERRA)" in rosa.content()
    assert "Sol Ramírez aceptó la mentoría" in rosa.content()
    rosa.goto(pair_url)
    rosa.get_by_role("button", name="Aceptar la mentoría").click()
    rosa.wait_for_url(pair_url)
    assert "Activa" in rosa.locator("hgroup").inner_text()
    check_page(rosa, "mentoring-pair-active")

    # 5. The mentor logs a session; a missing date is refused with what was typed kept.
    sol.goto(pair_url)
    sol.get_by_label("Qué hicimos").fill("Observé una lectura compartida en 2° A.")
    sol.get_by_role("button", name="Registrar la sesión").click()
    sol.wait_for_load_state("domcontentloaded")
    assert "Indica la fecha." in sol.content()
    assert sol.get_by_label("Qué hicimos").input_value() == "Observé una lectura compartida en 2° A."
    check_page(sol, "mentoring-session-error")
    sol.get_by_label("Fecha de la sesión").fill("2027-01-15")
    sol.get_by_label("Siguiente paso").fill("Preguntas antes de leer.")
    sol.get_by_role("button", name="Registrar la sesión").click()
    sol.wait_for_url(pair_url + "#sesiones")
    sessions = sol.locator("#sesiones + ol").inner_text()
    assert "Observé una lectura compartida en 2° A." in sessions and "Preguntas antes de leer." in sessions
    check_page(sol, "mentoring-pair-session")
