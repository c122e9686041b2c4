"""The zone board's charts are SVG drawn from its tables: no chart library to download (issue 13)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.e2e.browser import DESKTOP, PHONE_390, axe_violations, login, shot
from tests.factories import PASSWORD
from tests.realtime.world import build_room

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE_390, DESKTOP], ids=["phone-390x844", "desktop-1366x900"])
def test_the_zone_board_draws_its_tables_as_pictures(live_server, new_page, viewport):
    room = build_room(password=PASSWORD)
    db.session.commit()
    page = new_page(viewport=viewport)
    loaded: list[str] = []
    page.on("request", lambda request: loaded.append(request.url))
    login(page, live_server, room.people["supervisor"].email, PASSWORD)
    page.goto(f"{live_server}/zonas/{room.school_a.zone.cct}/tablero")
    chart = page.locator("#encuentros .chart-box svg.chart")
    expect(chart).to_be_visible()
    # One image naming every bar, as its table does; the table stays below it.
    assert chart.get_attribute("role") == "img"
    label = chart.get_attribute("aria-label")
    assert label.startswith("Encuentros:") and "En curso 1" in label
    assert chart.locator("rect").count() >= 1
    expect(page.locator("#table-encounters")).to_be_visible()
    problems = page.locator("#problematicas .chart-box svg.chart")
    expect(problems).to_be_visible()
    assert not any("chart.umd" in url or "chartjs" in url for url in loaded)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert axe_violations(page) == []
    shot(page, f"zone-board-charts-{viewport['width']}")
