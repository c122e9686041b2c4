"""The live room held in one hand (issue 13): on a 360 px and a 390 px phone the room's sections are
tabs in a bar at the bottom (Presentación, Aportaciones, Compromisos, Mano), so raising a hand is one
tap away however long the board grows; a tab not shown counts what arrives; the chosen tab survives a
reload; on a desktop every section shows and the bar does not."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.live import services
from tests.e2e.browser import DESKTOP, check_page
from tests.e2e.test_live_room import open_room
from tests.factories import PASSWORD
from tests.realtime.world import build_room, restore_real_transport

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [360, 390])
def test_the_hand_is_one_tap_away_on_a_phone(live_server, new_page, width):
    restore_real_transport()
    room = build_room(password=PASSWORD)
    for n in range(30):  # a long board: the hand must not end up thousands of pixels down
        services.add_contribution(
            room.group,
            {"kind": "pregunta", "text": f"Aportación número {n} sobre la lectura en voz alta"},
            actor=room.people["docente_b"],
            client_id=f"c{n}",
        )
    db.session.commit()
    phone = {"width": width, "height": 800}
    page = open_room(new_page, live_server, room, "docente_a", viewport=phone)
    tabs = page.locator("#room-tabs")
    expect(tabs).to_be_visible()
    expect(page.locator("#presentation-panel")).to_be_visible()
    expect(page.locator("#board-panel")).to_be_hidden()
    expect(tabs.locator(".tab-count:visible")).to_have_count(0)  # what was there on arrival is not new
    for button in tabs.get_by_role("button").all():  # all four fit the screen
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width

    tabs.get_by_role("button", name="Mano").click()
    hand = page.locator("#hand-raise")
    box = hand.bounding_box()
    assert box["y"] + box["height"] <= phone["height"] - 48 and box["height"] >= 44  # above the bar
    hand.click()
    expect(page.locator("#my-place")).to_have_text("Usted es el 1.º en la fila.")
    for button in tabs.get_by_role("button").all():
        assert button.bounding_box()["height"] >= 44
    check_page(page, "live-phone-tab-hand")

    # A contribution arrives while the board is not shown: its tab counts it.
    services.add_contribution(
        room.group,
        {"kind": "propuesta", "text": "Leer en parejas"},
        actor=room.people["docente_b"],
        client_id="new",
    )
    db.session.commit()
    expect(tabs.get_by_role("button", name="Aportaciones")).to_contain_text("1")
    tabs.get_by_role("button", name="Aportaciones").click()
    expect(page.locator("#contribution-form")).to_be_visible()
    expect(page.locator("#contributions")).to_contain_text("Leer en parejas")
    expect(tabs.locator(".tab-count:visible")).to_have_count(0)

    page.reload()
    expect(page.locator("#connection")).to_have_text("Conectado")
    expect(tabs.get_by_role("button", name="Aportaciones")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#board-panel")).to_be_visible()
    expect(page.locator("#hands-panel")).to_be_hidden()


def test_a_desktop_shows_every_section_and_no_bar(live_server, new_page):
    restore_real_transport()
    room = build_room(password=PASSWORD)
    page = open_room(new_page, live_server, room, "docente_a", viewport=DESKTOP)
    expect(page.locator("#room-tabs")).to_be_hidden()
    for panel in ("#presentation-panel", "#board-panel", "#hands-panel", "#commitments-panel"):
        expect(page.locator(panel)).to_be_visible()
