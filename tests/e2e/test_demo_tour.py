"""A walk through the demo data (``flask demo seed``) as its people would take it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.catalogue.models import School
from app.demo import services as demo
from app.extensions import db
from tests.e2e.browser import PHONE, login, shot

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(live_server):
    report = demo.seed_demo()
    db.session.commit()
    return report


def test_supervisor_sees_the_demo_zone_and_a_low_enlace_school(live_server, new_page, seeded):
    zone = next(z for z in seeded.zones if z.number == 5)
    low = (
        db.session.execute(
            select(School)
            .where(School.zone_id == zone.id, School.enlace_math6 < seeded.enlace_cut)
            .order_by(School.enlace_math6)
        )
        .scalars()
        .first()
    )
    page = new_page(viewport={"width": 1280, "height": 900})
    login(page, live_server, demo.demo_email("supervisor", "zona5"), seeded.password)
    page.goto(f"{live_server}/zonas/{zone.cct}")
    shot(page, "demo-zone5-supervisor")
    assert page.get_by_text(low.name).first.is_visible()
    assert page.get_by_text("Pensamiento matemático").first.is_visible()

    page.goto(f"{live_server}/escuelas/{low.cct}")
    shot(page, "demo-school-low-enlace")
    page.get_by_text("Bajo logro en pensamiento matemático").first.click()
    page.wait_for_load_state("domcontentloaded")
    shot(page, "demo-problem-enlace")
    assert page.get_by_text(f"obtuvo {low.enlace_math6:.1f} puntos en Matemáticas de 6°").is_visible()


def test_teacher_browses_the_demo_library_on_a_phone(live_server, new_page, seeded):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    login(page, live_server, demo.demo_email("docente", "22DPR0002G"), seeded.password)
    page.goto(f"{live_server}/practicas")
    shot(page, "demo-library-phone")
    assert page.get_by_text("Cálculo mental diario").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_text("Cálculo mental diario").first.click()
    page.wait_for_load_state("domcontentloaded")
    shot(page, "demo-practice-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
