"""The supervisor's overview of an encounter (issue 13) in the browser: opened from the encounter's
page at 1366x900 and 390x844, it follows the rooms live — a contribution added in a room raises the
count without a reload, a school whose presenter drops out reads *se desconectó*, a group behind its
agenda reads *Con retraso* — and a message to all groups appears as a banner in the rooms; axe-core
finds no violation on the overview nor on a room showing the message."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from app.extensions import db
from app.live import services
from app.live.models import Contribution
from app.logbook import services as logbook_services
from tests.e2e.browser import DESKTOP, PHONE_390, axe_violations, login, shot
from tests.e2e.test_live_room import open_room
from tests.factories import PASSWORD
from tests.realtime.world import build_room, restore_real_transport


def open_overview(new_page, live_server, room, who, **context):
    page = new_page(**context)
    login(page, live_server, room.people[who].email, PASSWORD)
    page.goto(f"{live_server}/encuentros/{room.encounter.id}")
    page.locator("#overview-link").click()
    expect(page.locator("h1")).to_have_text("Panorama de los grupos")
    expect(page.locator("#ov-connection")).to_have_text("Conectado: se actualiza en vivo")
    return page


def test_the_overview_follows_the_rooms_and_messages_reach_them(live_server, new_page):
    restore_real_transport()
    room = build_room(password=PASSWORD)
    services.give_turn(room.group, room.school_a.id, actor=room.people["facilitador"])
    db.session.commit()
    presenter = open_room(new_page, live_server, room, "docente_a", viewport=PHONE_390)
    colleague = open_room(new_page, live_server, room, "docente_b", viewport=DESKTOP)

    desk = open_overview(new_page, live_server, room, "supervisor", viewport=DESKTOP)
    card = desk.locator(f"#ov-group-{room.group.id}")
    school_a = card.locator(f'[data-school-id="{room.school_a.id}"]')
    expect(school_a).to_contain_text("presente (Maestra Ana)")
    expect(card).to_contain_text(f"Presenta: {room.school_a.name}")
    expect(card.locator('[data-count="contribution"]')).to_have_text("0")
    # the encounter began 30 minutes ago and the first activity lasts 10: behind the agenda
    expect(card.locator("[data-late]")).to_contain_text("Con retraso: la actividad ya debía haber terminado")
    expect(desk.locator("#late-rule")).to_contain_text("se acabó el tiempo de su actividad actual")
    expect(card.locator("[data-countdown]")).to_have_text("10:00")
    expect(desk.locator(f"#ov-room-{room.group.position}")).to_have_attribute("href", room.url)

    # A teacher adds a contribution in the room: the count rises without a reload.
    colleague.locator("#contribution-kind").select_option("propuesta")
    colleague.locator("#contribution-text").fill("Lectura en voz alta cada mañana")
    colleague.get_by_role("button", name="Aportar").click()
    expect(card.locator('[data-count="contribution"]')).to_have_text("1")
    # an agreement written down on the logbook's page (outside the room's events) is counted too
    logbook_services.record_agreement(
        room.encounter, room.group, {"text": "Compartir materiales"}, actor=room.people["facilitador"]
    )
    db.session.commit()
    expect(card.locator('[data-count="agreement"]')).to_have_text("1")

    # The presenting school's only person drops out: the overview says so.
    presenter.close()
    expect(school_a).to_have_attribute("data-status", "salio")
    expect(school_a).to_contain_text("se desconectó")
    shot(desk, "overview-desktop")
    assert axe_violations(desk) == []

    # The turn ends (the slide's own heading is the room's business: checked by its own tests).
    services.give_turn(room.group, None, actor=room.people["facilitador"])
    db.session.commit()
    expect(card).to_contain_text("Nadie presenta")

    # A message to all groups appears in the room.
    desk.get_by_label("Mensaje").fill("Cinco minutos para terminar la actividad")
    desk.get_by_role("button", name="Enviar a todos los grupos").click()
    expect(desk.locator("#announce-result")).to_contain_text("Enviado a 2 grupos")
    banner = colleague.locator("#announcement-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Mensaje para todos los grupos: Cinco minutos para terminar la actividad")
    expect(banner).to_contain_text("Supervisora Ruiz")
    shot(colleague, "overview-message-in-room")
    assert axe_violations(colleague) == []
    # whoever opens the room afterwards (or reconnects) reads the last message too
    back = open_room(new_page, live_server, room, "docente_a", viewport=PHONE_390)
    expect(back.locator("#announcement-banner")).to_contain_text("Cinco minutos para terminar la actividad")

    # On a phone, the same overview.
    phone = open_overview(new_page, live_server, room, "admin", viewport=PHONE_390)
    expect(phone.locator("#announce-result")).to_contain_text("Último mensaje, enviado a las")
    phone_card = phone.locator(f"#ov-group-{room.group.id}")
    expect(phone_card.locator('[data-count="contribution"]')).to_have_text("1")
    expect(phone_card.locator(f'[data-school-id="{room.school_b.id}"]')).to_contain_text(
        "presente (Maestro Bruno)"
    )
    other_card = phone.locator(".ov-card").nth(1)
    expect(other_card).to_contain_text("Sin agenda")
    assert "null" not in other_card.inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    shot(phone, "overview-phone")
    assert axe_violations(phone) == []


def test_a_teacher_cannot_open_the_overview(live_server, new_page):
    room = build_room(password=PASSWORD)
    page = new_page(viewport=PHONE_390)
    login(page, live_server, room.people["docente_a"].email, PASSWORD)
    response = page.goto(f"{live_server}/encuentros/{room.encounter.id}/panorama")
    assert response.status == 403
    page.goto(f"{live_server}/encuentros/{room.encounter.id}")
    expect(page.locator("#overview-link")).to_have_count(0)


def _stored_contributions(room, n: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()  # a fresh read of what the server committed
        if db.session.query(Contribution).filter_by(group_id=room.group.id).count() == n:
            return True
        time.sleep(0.1)
    return False


def test_the_overview_catches_up_after_its_connection_drops(live_server, new_page):
    restore_real_transport()
    room = build_room(password=PASSWORD)
    services.give_turn(room.group, room.school_a.id, actor=room.people["facilitador"])  # a problem on screen
    db.session.commit()
    teacher = open_room(new_page, live_server, room, "docente_b", viewport=DESKTOP)
    page = new_page(viewport=PHONE_390)
    login(page, live_server, room.people["supervisor"].email, PASSWORD)
    # long-polling only: an offline browser context really cuts it (it may not cut an open WebSocket)
    page.goto(f"{live_server}/encuentros/{room.encounter.id}/panorama?transporte=polling")
    expect(page.locator("#ov-connection")).to_have_text("Conectado: se actualiza en vivo")
    card = page.locator(f"#ov-group-{room.group.id}")
    expect(card.locator('[data-count="contribution"]')).to_have_text("0")

    page.context.set_offline(True)
    page.evaluate("window.liveOverview.socket.io.engine.close()")
    expect(page.locator("#ov-connection")).to_contain_text("Sin conexión")
    for text in ("Primera idea", "Segunda idea"):  # missed while offline
        teacher.locator("#contribution-kind").select_option("propuesta")
        teacher.locator("#contribution-text").fill(text)
        teacher.get_by_role("button", name="Aportar").click()
    assert _stored_contributions(room, 2)
    expect(card.locator('[data-count="contribution"]')).to_have_text("0")

    page.context.set_offline(False)
    expect(page.locator("#ov-connection")).to_have_text("Conectado: se actualiza en vivo", timeout=15000)
    expect(card.locator('[data-count="contribution"]')).to_have_text("2")
    teacher.locator("#contribution-kind").select_option("propuesta")
    teacher.locator("#contribution-text").fill("Tercera idea")
    teacher.get_by_role("button", name="Aportar").click()
    expect(card.locator('[data-count="contribution"]')).to_have_text("3")
