"""The queue and the turn to speak in the browser (issue 13): each person in the queue reads their
place ("Usted es el 2.º en la fila"), the queue is numbered, and a turn to speak shows its own
countdown to everyone, which turns red past its limit."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import DESKTOP, PHONE_390, check_page
from tests.e2e.test_live_room import open_room, show_tab
from tests.factories import PASSWORD
from tests.realtime.world import build_room, restore_real_transport

pytestmark = pytest.mark.browser


def test_places_in_the_queue_and_the_floor_countdown(app, live_server, new_page, monkeypatch):
    restore_real_transport()
    monkeypatch.setitem(app.config, "LIVE_FLOOR_SECONDS", 2)
    room = build_room(password=PASSWORD)
    first = open_room(new_page, live_server, room, "docente_a", viewport=PHONE_390)
    second = open_room(new_page, live_server, room, "docente_b", viewport=PHONE_390)
    facilitator = open_room(new_page, live_server, room, "facilitador", viewport=DESKTOP)

    for page in (first, second):
        show_tab(page, "Mano")
    first.locator("#hand-raise").click()
    expect(first.locator("#my-place")).to_have_text("Usted es el 1.º en la fila.")
    second.locator("#hand-raise").click()
    expect(second.locator("#my-place")).to_have_text("Usted es el 2.º en la fila.")
    expect(facilitator.locator("#hands li").nth(1)).to_contain_text("2.º")
    expect(facilitator.locator("#my-place")).to_have_text("")  # not in the queue

    facilitator.locator("#hands li").first.get_by_role("button", name="Dar la palabra").click()
    expect(second.locator("#my-place")).to_have_text("Usted es el 1.º en la fila.")  # moved up
    countdown = second.locator("#floor-countdown")
    expect(countdown).to_be_visible()
    expect(countdown).to_have_text("00:02", timeout=3000)
    expect(countdown).to_have_class("floor-countdown over", timeout=5000)  # past its limit: red
    assert countdown.inner_text().startswith("-")
    check_page(second, "live-floor-countdown")
