"""The zone's network-health page as a supervisor sees it (issue 14), from the zone board."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.practices.models import Adoption
from tests import factories
from tests.e2e.browser import DESKTOP, PHONE_390, axe_violations, login, shot
from tests.factories import PASSWORD
from tests.realtime.world import build_room

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE_390, DESKTOP], ids=["phone-390x844", "desktop-1366x900"])
def test_the_supervisor_sees_who_is_isolated_and_who_bridges(live_server, new_page, viewport):
    room = build_room(status="concluido", password=PASSWORD)
    zone = room.school_a.zone
    factories.create_school(zone, cct="22DPR0998Y", name="ESCUELA SIN VÍNCULOS")
    practice = factories.create_practice(room.school_a, title="Lectura en voz alta")
    db.session.add(Adoption(practice_id=practice.id, school_id=room.school_c.id, outcome="bueno"))
    db.session.commit()
    page = new_page(viewport=viewport)
    login(page, live_server, room.people["supervisor"].email, PASSWORD)
    page.goto(f"{live_server}/zonas/{zone.cct}/tablero")
    page.locator("#network-health-link").click()
    expect(page.get_by_role("heading", name="Salud de la red")).to_be_visible()
    expect(page.locator("#acciones")).to_contain_text("ESCUELA SIN VÍNCULOS")
    expect(page.locator("#red svg circle.isolated")).to_have_count(1)
    expect(page.locator("#red svg circle.bridge")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert axe_violations(page) == []
    shot(page, f"network-health-{viewport['width']}")


@pytest.mark.parametrize("viewport", [PHONE_390, DESKTOP], ids=["phone-390x844", "desktop-1366x900"])
def test_the_region_of_a_sector_by_zone(live_server, new_page, viewport):
    room = build_room(status="concluido", password=PASSWORD)
    zone = room.school_a.zone
    zone.sector_cct = "22FSE0007Q"
    other = factories.create_zone(sector_cct="22FSE0007Q", number=77)
    far = factories.create_school(other, name="ESCUELA DE LA ZONA 77")
    practice = factories.create_practice(room.school_a, title="Lectura en voz alta")
    db.session.add(Adoption(practice_id=practice.id, school_id=far.id, outcome="bueno"))
    db.session.commit()
    page = new_page(viewport=viewport)
    login(page, live_server, room.people["supervisor"].email, PASSWORD)
    page.goto(f"{live_server}/zonas/{zone.cct}/red")
    page.get_by_role("link", name="Toda la región (sector 22FSE0007Q)").click()
    expect(page.locator("#table-zones tbody tr")).to_have_count(2)
    expect(page.locator("#red svg line")).to_have_count(1)  # the adoption across the two zones
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert axe_violations(page) == []
    shot(page, f"network-health-region-{viewport['width']}")
