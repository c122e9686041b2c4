"""Agreements in the room (issue 11), on a 390x844 phone and a 1366x900 desktop: the facilitator
records the session's norm, which stays pinned above every tab of a teacher's phone; the
facilitator's «Volvamos a la problemática» reaches the teacher; a contribution marked «la
probaremos» becomes a prefilled commitment in one tap; an outside-advice need with its topic,
schools and problem, refused first without a topic and corrected with what was typed kept; an
agreement typed offline waits in the outbox and is stored once when the connection returns."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.live import services
from app.logbook.models import Agreement
from tests.e2e.browser import DESKTOP, PHONE_390, check_page
from tests.e2e.test_live_room import open_room, show_tab
from tests.factories import PASSWORD, create_problem
from tests.realtime.world import build_room, restore_real_transport

pytestmark = pytest.mark.browser


def test_norms_reminder_will_try_and_an_advice_need(live_server, new_page):
    restore_real_transport()
    room = build_room(password=PASSWORD)
    problem_b = create_problem(room.school_b, title="Asistencia irregular en 5°")
    facilitator = room.people["facilitador"]
    proposal, _ = services.add_contribution(
        room.group,
        {
            "kind": "propuesta",
            "text": "Lectura en parejas diez minutos diarios",
            "problem_id": room.problem.id,
        },
        actor=room.people["docente_b"],
        client_id="e2e-proposal",
    )
    services.set_will_try(room.group, proposal.id, True, actor=facilitator)
    db.session.commit()

    desk = open_room(new_page, live_server, room, "facilitador", viewport=DESKTOP)
    phone = open_room(new_page, live_server, room, "docente_a", viewport=PHONE_390)

    # Activity 1: the form suggests a norm; the teacher's phone pins it above every tab.
    form = desk.locator("#agreement-form")
    expect(form.get_by_label("Tipo de acuerdo")).to_have_value("norma")
    form.get_by_label("Norma", exact=True).fill("Escuchar sin interrumpir")
    form.get_by_role("button", name="Registrar acuerdo").click()
    pinned = phone.locator("#norms-pinned")
    expect(pinned).to_contain_text("Escuchar sin interrumpir")
    badge = phone.locator('#room-tabs button[data-tab="acuerdos"] .tab-count')
    expect(badge).to_have_text("1")  # the norm arrived while another tab was shown
    for tab in ("Aportaciones", "Acuerdos", "Compromisos", "Mano", "Presentación"):
        show_tab(phone, tab)
        expect(pinned).to_be_visible()
        expect(pinned).to_contain_text("Escuchar sin interrumpir")
    assert pinned.bounding_box()["height"] <= 140  # a short box: the tab's panel stays in view
    # five tabs on 390 px: every label reads whole (none cut with an ellipsis)
    cut = phone.evaluate(
        "[...document.querySelectorAll('#room-tabs button')].filter(b => b.scrollWidth > b.clientWidth)"
        ".map(b => b.textContent)"
    )
    assert cut == []

    # The facilitator's reminder reaches the teacher.
    desk.get_by_role("button", name="Volvamos a la problemática").click()
    banner = phone.locator("#reminder-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Volvamos a la problemática")
    expect(banner).to_contain_text("Facilitadora Fer")
    check_page(phone, "live-agreements-norm-reminder")
    # the projector shows both: the norm beside the contributions, the reminder across the screen
    projector = desk.context.new_page()
    projector.set_viewport_size({"width": 1280, "height": 720})
    projector.goto(f"{live_server}{room.url}/proyector")
    expect(projector.locator("#pj-norms")).to_contain_text("Escuchar sin interrumpir")
    desk.get_by_role("button", name="Volvamos a la problemática").click()
    expect(projector.locator("#pj-reminder")).to_be_visible()
    expect(projector.locator("#pj-reminder")).to_have_text("Volvamos a la problemática")
    check_page(projector, "live-agreements-projector")
    projector.close()

    # «La probaremos» → a prefilled commitment for the problem's school, in one tap.
    show_tab(phone, "Acuerdos")
    tried = phone.locator("#will-try-list li", has_text="Lectura en parejas")
    tried.get_by_role("button", name="Convertir en compromiso").click()
    commitment = phone.locator("#commitment-form")
    expect(commitment).to_be_visible()
    expect(commitment.get_by_label("Escuela", exact=True)).to_have_value(str(room.school_a.id))
    expect(commitment.get_by_label("Problemática", exact=True)).to_have_value(str(room.problem.id))
    expect(commitment.get_by_label("Acción")).to_have_value("Lectura en parejas diez minutos diarios")
    expect(commitment.get_by_label("Grupo o grado")).to_be_focused()
    phone.wait_for_timeout(400)  # the tab bar's buttons end their colour transition (axe reads it)
    check_page(phone, "live-agreements-will-try-commitment")
    # the same tap is on the contributions' board
    show_tab(phone, "Aportaciones")
    on_board = phone.locator("#contributions li.will-try", has_text="Lectura en parejas")
    expect(on_board.get_by_role("button", name="Convertir en compromiso")).to_have_count(1)
    # and the group records it as what it will try
    show_tab(phone, "Acuerdos")
    tried.get_by_role("button", name="Registrar como acuerdo").click()
    expect(phone.locator('#agreements [data-kind="probaremos"]')).to_contain_text("Lectura en parejas")

    # Activity 4: an outside-advice need; without a topic the server refuses it, what was typed comes back.
    for _ in range(3):
        services.control_timer(room.group, "next", actor=facilitator)
    db.session.commit()
    expect(form.get_by_label("Tipo de acuerdo")).to_have_value("asesoria")
    form.get_by_label(room.school_a.name).check()
    form.get_by_label(room.school_b.name).check()
    form.get_by_label("Problemática del acuerdo").select_option(str(problem_b.id))
    form.get_by_label("Qué se necesita").fill("Estrategias para acompañar a las familias")
    form.get_by_role("button", name="Registrar acuerdo").click()
    refused = desk.locator("#agreements li.pending")
    expect(refused).to_contain_text("Escribe el tema de la asesoría.")
    refused.get_by_role("button", name="Corregir").click()
    expect(form.locator('[data-error-for="topic"]')).to_have_text("Escribe el tema de la asesoría.")
    expect(form.get_by_label("Qué se necesita")).to_have_value("Estrategias para acompañar a las familias")
    expect(form.get_by_label(room.school_b.name)).to_be_checked()
    expect(form.get_by_label("Problemática del acuerdo")).to_have_value(str(problem_b.id))
    expect(form.get_by_label("Tema de la asesoría")).to_be_focused()
    check_page(desk, "live-agreements-advice-refused")
    form.get_by_label("Tema de la asesoría").fill("Vinculación con las familias")
    form.get_by_role("button", name="Registrar acuerdo").click()
    need = desk.locator('#agreements [data-kind="asesoria"] li[data-id]')
    expect(need).to_contain_text("Vinculación con las familias")
    expect(need).to_contain_text(room.school_b.name)
    expect(need).to_contain_text("Asistencia irregular en 5°")

    show_tab(phone, "Acuerdos")
    on_phone = phone.locator('#agreements [data-kind="asesoria"] li[data-id]')
    expect(on_phone).to_contain_text("Vinculación con las familias")
    check_page(phone, "live-agreements-list")
    check_page(desk, "live-agreements-desktop")

    # Offline, an agreement waits in the outbox and is sent once when the connection returns.
    phone.context.set_offline(True)
    phone.evaluate("window.liveRoom.socket.io.engine.close()")
    expect(phone.locator("#connection")).to_contain_text("Sin conexión")
    mine = phone.locator("#agreement-form")
    mine.get_by_label("Tipo de acuerdo").select_option("observacion")
    mine.get_by_label(room.school_b.name).check()
    mine.get_by_label("Aula (grado y grupo)").fill("2.º B")
    mine.get_by_label("Qué se observará").fill("Lectura guiada con tarjetas")
    mine.get_by_role("button", name="Registrar acuerdo").click()
    expect(phone.locator("#agreements li.pending")).to_contain_text("pendiente de enviar")
    phone.context.set_offline(False)
    expect(phone.locator("#connection")).to_have_text("Conectado", timeout=15000)
    observed = desk.locator('#agreements [data-kind="observacion"] li[data-id]')
    expect(observed).to_contain_text("Lectura guiada con tarjetas", timeout=5000)
    expect(observed).to_contain_text("2.º B")
    expect(phone.locator("#agreements li.pending")).to_have_count(0)

    db.session.expire_all()
    assert db.session.query(Agreement).filter_by(kind="observacion").count() == 1
    stored = db.session.execute(db.select(Agreement).filter_by(kind="asesoria")).scalar_one()
    assert stored.topic == "Vinculación con las familias" and stored.problem_id == problem_b.id
    assert stored.named_school_ids == [room.school_a.id, room.school_b.id]
