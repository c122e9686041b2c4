"""Issue 11 in the browser, at 390x844 and 1366x900: during the session a school's bitácora shows an
agreement and a commitment *en sesión*, and after *Concluir* each once as the acta's entries; the
room shows the readings and resources of the presented problem (the platform's, recognised first,
and the group's, live); the acta lists them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.commitments.services import local_today
from app.encounters.closing import close_encounter
from app.extensions import db
from app.live import services as live
from app.logbook import services as logbook
from app.practices.models import PracticeLink, PracticeResource
from tests import factories
from tests.e2e.browser import DESKTOP, PHONE_390, check_page, login
from tests.e2e.test_live_room import open_room, show_tab
from tests.factories import PASSWORD
from tests.realtime.world import build_room, restore_real_transport

pytestmark = pytest.mark.browser


def _world():
    room = build_room(password=PASSWORD)
    far_zone = factories.create_zone(cct="22FIZ8888X", number=8888)
    far = factories.create_school(far_zone, cct="22DPR888XX", name="ESCUELA PRIMARIA LEJANA")
    rincon = factories.create_practice(room.school_c, title="Rincón de matemáticas", visibility="zona")
    rincon.resources.append(
        PracticeResource(description="Fichas de conteo y medición para 3°", criterion="materiales")
    )
    rincon.links.append(PracticeLink(url="https://example.org/fichas", label="Fichas en línea"))
    factories.create_practice(far, title="Tiendita escolar", visibility="todos", is_recognised=True)
    factories.create_practice(far, title="Solo para la zona lejana", visibility="zona")
    facilitator = room.people["facilitador"]
    live.control_timer(room.group, "next", actor=facilitator)  # A presents its problem
    logbook.record_agreement(
        room.encounter, room.group, {"text": "Leer 20 minutos al iniciar el día"}, actor=facilitator
    )
    live.add_commitment(
        room.group,
        {
            "school_id": room.school_a.id,
            "action": "Círculos de lectura en 3° A",
            "classroom": "3° A",
            "responsible": "Mtra. Ana",
            "due_date": (local_today() + timedelta(days=14)).isoformat(),
        },
        actor=room.people["docente_a"],
        client_id="e2e-c-1",
    )
    db.session.commit()
    return room


def _bitacora(new_page, live_server, room, viewport):
    page = new_page(viewport=viewport)
    login(page, live_server, room.people["director_sede"].email, PASSWORD)
    page.goto(f"{live_server}/escuelas/{room.school_a.cct}/bitacora")
    return page


def test_bitacora_en_sesion_resources_in_the_room_and_the_acta(live_server, new_page):
    restore_real_transport()
    room = _world()

    # The room, on a phone: the presented problem's readings and resources.
    phone = open_room(new_page, live_server, room, "docente_b", viewport=PHONE_390)
    show_tab(phone, "Aportaciones")
    resources = phone.locator("#room-resources")
    resources.locator("summary").click()
    section = resources.locator(f'section[data-problem-id="{room.problem.id}"]')
    expect(section).to_contain_text("Comprensión lectora en 3°")
    expect(section).to_contain_text("se presenta ahora")
    recommended = section.locator("ul.recommended > li")
    expect(recommended).to_have_count(2)  # not the far zone's own practice
    expect(recommended.first).to_contain_text("Tiendita escolar")
    expect(recommended.first).to_contain_text("buena práctica reconocida")
    expect(recommended.nth(1).get_by_role("link", name="Rincón de matemáticas")).to_have_attribute(
        "href", "/practicas/" + recommended.nth(1).get_attribute("data-practice-id")
    )
    expect(recommended.nth(1)).to_contain_text("Fichas de conteo y medición para 3°")
    expect(section).to_contain_text("El grupo aún no propone prácticas ni recursos")
    # the group's proposal shows up live
    phone.get_by_label("Tipo de aportación").select_option("recurso")
    phone.get_by_label("Tu aportación").fill("Libro «Matemáticas para jugar» de la biblioteca escolar")
    phone.get_by_role("button", name="Aportar").click()
    expect(section.locator("ul.proposed > li")).to_contain_text("Matemáticas para jugar")
    check_page(phone, "logbook-live-room-resources")

    desk = open_room(new_page, live_server, room, "docente_a", viewport=DESKTOP)
    desk.locator("#room-resources summary").click()
    expect(desk.locator("#room-resources ul.proposed")).to_contain_text("Matemáticas para jugar")
    check_page(desk, "logbook-live-room-resources")

    # The bitácora during the session: the agreement and the commitment, en sesión.
    for viewport in (PHONE_390, DESKTOP):
        page = _bitacora(new_page, live_server, room, viewport)
        in_session = page.locator("li.in-session")
        expect(in_session).to_have_count(2)
        expect(in_session.nth(0)).to_contain_text("Leer 20 minutos al iniciar el día")
        expect(in_session.nth(1)).to_contain_text("Círculos de lectura en 3° A")
        for n in range(2):
            expect(in_session.nth(n).locator(".badge-en-sesion")).to_have_text("en sesión")
        expect(page.locator("#problem-contributions")).to_contain_text("Matemáticas para jugar")
        check_page(page, "logbook-live-bitacora-en-sesion")

    close_encounter(room.encounter, actor=room.people["supervisor"])
    db.session.commit()

    # After the close: once each, as the acta's entries; no kind said twice.
    for viewport in (PHONE_390, DESKTOP):
        page = _bitacora(new_page, live_server, room, viewport)
        expect(page.locator("li.in-session")).to_have_count(0)
        expect(page.locator(".entries > li", has_text="Leer 20 minutos al iniciar el día")).to_have_count(1)
        expect(page.locator(".entries > li", has_text="Círculos de lectura en 3° A")).to_have_count(1)
        expect(page.locator(".entries")).not_to_contain_text("Acta:")
        expect(page.locator(".entries")).not_to_contain_text("Acuerdo:")
        check_page(page, "logbook-live-bitacora-after-close")

    # The acta lists the readings and resources of the presented problem.
    for viewport in (PHONE_390, DESKTOP):
        acta = new_page(viewport=viewport)
        login(acta, live_server, room.people["docente_b"].email, PASSWORD)
        acta.goto(f"{live_server}/encuentros/{room.encounter.id}/acta")
        block = acta.locator(f'article.problem-resources[data-problem-id="{room.problem.id}"]')
        expect(block.locator("ul.recommended > li").first).to_contain_text("Tiendita escolar")
        expect(block).to_contain_text("Rincón de matemáticas")
        expect(block).not_to_contain_text("Solo para la zona lejana")
        expect(block.locator("ul.proposed")).to_contain_text("Matemáticas para jugar")
        check_page(acta, "logbook-live-acta-resources")
