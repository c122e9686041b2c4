"""Three Chromium pages in one live room: slides follow the presenter, a contribution reaches every
page, and a page that loses its connection keeps a commitment in its outbox (pendiente de enviar)
and sends it once when the connection returns."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from app.extensions import db
from app.live import services
from app.logbook.models import Commitment
from tests.e2e.browser import PHONE, login, shot
from tests.factories import PASSWORD
from tests.realtime.world import build_room, restore_real_transport


def open_room(new_page, live_server, room, who, *, polling=False, **context):
    page = new_page(**context)
    login(page, live_server, room.people[who].email, PASSWORD)
    page.goto(live_server + room.url + ("?transporte=polling" if polling else ""))
    expect(page.locator("#connection")).to_have_text("Conectado")
    return page


def show_tab(page, name: str) -> None:
    """On a phone the room's sections are tabs (issue 13): open the one named, if the bar shows."""
    tabs = page.locator("#room-tabs")
    if tabs.is_visible():
        tabs.get_by_role("button", name=name).click()


def test_three_pages_in_one_room(live_server, new_page):
    restore_real_transport()  # a Socket.IO test client earlier in the run may have patched it
    room = build_room(password=PASSWORD)
    services.give_turn(room.group, room.school_a.id, actor=room.people["facilitador"])
    db.session.commit()
    count = services.school_deck(room.encounter, room.school_a)["count"]

    presenter = open_room(new_page, live_server, room, "docente_a", viewport={"width": 1280, "height": 800})
    colleague = open_room(new_page, live_server, room, "docente_b", viewport=PHONE)
    # The third page uses long-polling only: the room must work where WebSocket is blocked, and an
    # offline browser context really cuts polling requests (it may not cut an open WebSocket).
    flaky = open_room(
        new_page, live_server, room, "director_b", polling=True, viewport={"width": 1024, "height": 768}
    )
    for page in (presenter, colleague, flaky):
        expect(page.locator("#slide-counter")).to_have_text(f"1 / {count}")

    # The presenter moves on; the others follow within a second.
    presenter.locator("#slide-next").click()
    for page in (colleague, flaky):
        expect(page.locator("#slide-counter")).to_have_text(f"2 / {count}", timeout=1000)
    # A participant looks back on their own, then returns to the presenter's slide.
    colleague.locator("#slide-prev").click()
    expect(colleague.locator("#slide-counter")).to_have_text(f"1 / {count}")
    colleague.get_by_role("button", name="Volver a la diapositiva actual").click()
    expect(colleague.locator("#slide-counter")).to_have_text(f"2 / {count}")

    # A contribution appears on every page.
    show_tab(colleague, "Aportaciones")
    colleague.get_by_label("Tipo de aportación").select_option("similitud")
    colleague.get_by_label("Tu aportación").fill("En nuestra escuela también cuesta la lectura en 3°.")
    colleague.get_by_role("button", name="Aportar").click()
    for page in (presenter, colleague, flaky):
        expect(page.locator("#contributions")).to_contain_text("también cuesta la lectura", timeout=3000)
    shot(presenter, "live-room-presenter")

    # The third page loses its connection and records a commitment meanwhile.
    flaky.context.set_offline(True)
    flaky.evaluate("window.liveRoom.socket.io.engine.close()")
    expect(flaky.locator("#connection")).to_contain_text("Sin conexión")
    due = (date.today() + timedelta(days=30)).isoformat()
    flaky.get_by_label("Acción").fill("Círculos de lectura con padres de familia")
    flaky.get_by_label("Responsable").fill("Director Beto")
    flaky.get_by_label("Fecha límite").fill(due)
    flaky.get_by_label("Mecanismo de seguimiento").fill("Bitácora quincenal")
    flaky.get_by_label("Requiere asesoría externa").check()
    flaky.get_by_role("button", name="Registrar compromiso").click()
    pending = flaky.locator("#commitments li.pending")
    expect(pending).to_contain_text("pendiente de enviar")
    shot(flaky, "live-room-offline-pending")
    flaky.wait_for_timeout(1500)  # retries happen meanwhile, and fail
    outbox = flaky.evaluate(
        "JSON.parse(localStorage.getItem(Object.keys(localStorage).find(k => k.startsWith('aee-outbox-'))))"
    )
    assert [item["event"] for item in outbox] == ["commitment_add"]
    db.session.expire_all()
    assert db.session.query(Commitment).count() == 0

    # The connection returns: sent once, shown everywhere, stored once.
    flaky.context.set_offline(False)
    expect(flaky.locator("#connection")).to_have_text("Conectado", timeout=15000)
    for page in (presenter, colleague, flaky):
        expect(page.locator("#commitments")).to_contain_text("Círculos de lectura con padres", timeout=5000)
    # The deadline reads as people write it (issue 13), not 2027-02-26.
    expect(colleague.locator("#commitments")).to_contain_text(date.fromisoformat(due).strftime("%d/%m/%Y"))
    expect(pending).to_have_count(0)
    assert (
        flaky.evaluate(
            "JSON.parse(localStorage.getItem(Object.keys(localStorage).find("
            "k => k.startsWith('aee-outbox-'))))"
        )
        == []
    )
    db.session.expire_all()
    stored = db.session.query(Commitment).filter(Commitment.action.like("Círculos de lectura%")).all()
    assert len(stored) == 1 and stored[0].client_id == outbox[0]["client_id"]
    assert stored[0].needs_external_advice and stored[0].school_id == room.school_b.id
    expect(colleague.locator("#commitments")).to_contain_text(re.compile("Requiere asesoría externa"))
    shot(colleague, "live-room-phone")
