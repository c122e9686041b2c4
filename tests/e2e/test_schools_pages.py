"""In a real browser: the catalogue upload with its progress bar, and the pages on a phone."""

from __future__ import annotations

import re

import pytest

from app.catalogue.importer import wait_for_import
from tests import factories
from tests.app.catalogue.catalogue_rows import DATA
from tests.e2e.browser import PHONE, login, shot

pytestmark = pytest.mark.browser


def test_admin_uploads_the_catalogue_and_sees_the_result(live_server, page):
    admin = factories.create_user("admin", email="admin@escuelas.test")
    login(page, live_server, admin.email, factories.PASSWORD)
    page.goto(f"{live_server}/catalogo/importar")
    page.get_by_label("Archivo del catálogo (CSV)").set_input_files(str(DATA / "catalogo_muestra.csv"))
    page.get_by_role("button", name="Importar").click()
    page.wait_for_url(re.compile(r"/catalogo/importaciones/\d+$"))
    run_id = int(page.url.rsplit("/", 1)[1])
    # The page polls the JSON endpoint and reloads itself when the import has finished.
    page.get_by_text("escuelas nuevas").wait_for(timeout=30_000)
    wait_for_import(run_id, timeout=30)
    assert page.locator(".stat").first.inner_text() == "8"
    assert "Terminada" in page.locator("#import-status").inner_text()
    shot(page, "schools-import-result")


def test_zone_and_school_pages_on_a_phone(live_server, new_page, create_problem):
    zone = factories.create_zone(number=5)
    school = factories.create_school(
        zone, name="NIÑOS HÉROES", locality="EL MASTRANTO", enlace_math6=417.83, enlace_evaluated=24
    )
    create_problem(
        school,
        title="Comprensión lectora en 3°",
        categories={"amb-aprovechamiento": "alta", "lectura": "media"},
    )
    supervisor = factories.create_user("supervisor", zone=zone, email="sup@escuelas.test")
    phone = new_page(viewport=PHONE)
    login(phone, live_server, supervisor.email, factories.PASSWORD)
    phone.goto(f"{live_server}/zonas/{zone.cct}")
    assert phone.get_by_role("heading", name="Zona 5").is_visible()
    assert phone.locator(".category-bars .bar").count() == 2
    # Nothing wider than the phone's screen outside the scrollable tables.
    assert phone.evaluate("document.body.scrollWidth") <= PHONE["width"] + 1
    shot(phone, "schools-zone-phone")
    phone.get_by_role("link", name="NIÑOS HÉROES").first.click()
    assert phone.get_by_role("heading", name="NIÑOS HÉROES").is_visible()
    assert phone.get_by_text("417.8").is_visible()
    shot(phone, "schools-school-phone")
