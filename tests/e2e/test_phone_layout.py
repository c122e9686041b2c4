"""Pages that did not fit a phone (issue 13, "Also"): the group form printed each school's
"(CCT, localidad)" over its name and checkbox; /personas cut off its filter button."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.e2e.browser import PHONE_390, axe_violations, login, shot
from tests.factories import PASSWORD
from tests.realtime.world import build_room

pytestmark = pytest.mark.browser


def _overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_the_group_form_lists_schools_without_overlap_on_a_phone(live_server, new_page):
    room = build_room(status="borrador", password=PASSWORD)
    db.session.commit()
    page = new_page(viewport=PHONE_390, is_mobile=True, has_touch=True)
    login(page, live_server, room.people["supervisor"].email, PASSWORD)
    page.goto(f"{live_server}/encuentros/{room.encounter.id}/grupos/nuevo")
    labels = page.locator("#group-schools label")
    assert labels.count() >= 3
    for i in range(labels.count()):
        label = labels.nth(i)
        box = label.locator("input[type=checkbox]").bounding_box()
        name = label.locator(".school-name").bounding_box()
        detail = label.locator(".school-detail").bounding_box()
        assert not _overlap(box, name) and not _overlap(box, detail) and not _overlap(name, detail), i
        assert box["height"] >= 20
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]
    assert axe_violations(page) == []
    shot(page, "group-form-390")


def test_the_people_page_fits_a_phone_with_its_filter_button(live_server, new_page):
    room = build_room(password=PASSWORD)
    db.session.commit()
    page = new_page(viewport=PHONE_390, is_mobile=True, has_touch=True)
    login(page, live_server, room.people["supervisor"].email, PASSWORD)
    page.goto(f"{live_server}/personas")
    button = page.locator("main form button[type=submit]").first
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_390["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]
    assert axe_violations(page) == []
    shot(page, "people-390")
