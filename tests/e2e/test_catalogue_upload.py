"""In a real browser: a semicolon-separated catalogue uploaded by the administration, and its page
following the rows read of the total ("0 / 14 filas", then as the job reports, then "14 / 14")."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.catalogue.importer import run_import_job
from app.catalogue.models import ImportRun
from app.extensions import db
from tests import factories
from tests.app.catalogue.catalogue_rows import render, sample_rows
from tests.e2e.browser import DESKTOP, PHONE, check_page, login

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_upload_page_shows_rows_read_of_the_total(live_server, new_page, monkeypatch, tmp_path, viewport):
    # The job is held back so that the page can be seen before it starts and while it runs.
    started: list[tuple[str, int]] = []
    monkeypatch.setattr(
        "app.catalogue.routes.start_background_import",
        lambda path, run_id, **kw: started.append((path, run_id)),
    )
    admin = factories.create_user("admin", email="admin@escuelas.test")
    path = tmp_path / "catalogo_punto_y_coma.csv"
    path.write_bytes(render(sample_rows(), delimiter=";"))
    page = new_page(viewport=viewport)
    login(page, live_server, admin.email, factories.PASSWORD)
    page.goto(f"{live_server}/catalogo/importar")
    page.get_by_label("Archivo del catálogo (CSV)").set_input_files(str(path))
    page.get_by_role("button", name="Importar").click()
    page.wait_for_url(re.compile(r"/catalogo/importaciones/\d+$"))
    progress = page.locator("#import-progress")
    expect(progress).to_contain_text("0 / 14 filas")
    expect(page.locator("#import-status")).to_have_text("Pendiente")
    check_page(page, "catalogue-upload-pending")

    # While it runs the page polls the progress JSON and shows the rows read so far.
    [(saved, run_id)] = started
    run = db.session.get(ImportRun, run_id)
    run.status, run.processed_rows = "en_curso", 5
    db.session.commit()
    expect(page.locator("#import-count")).to_have_text("5", timeout=10_000)
    expect(progress).to_contain_text("5 / 14 filas")
    expect(page.locator("#import-status")).to_have_text("En curso")

    # When the job ends the page reloads itself with the totals, and still reads "14 / 14".
    run_import_job(saved, run_id)
    expect(page.get_by_text("escuelas nuevas")).to_be_visible(timeout=10_000)
    expect(progress).to_contain_text("14 / 14 filas")
    expect(page.locator("#import-status")).to_have_text("Terminada")
    assert page.locator(".stat").first.inner_text() == "8"
    total = int(re.search(r"/\s*(\d+)\s*filas", progress.inner_text()).group(1))
    assert total > 0
    check_page(page, "catalogue-upload-finished")
