"""A file is checked in the browser before it is sent (issue 13): on a slow connection a photo over
the limit, or a file of the wrong type, must not travel only to be refused. The server still checks."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests import factories
from tests.e2e.browser import PHONE_390, axe_violations, login, shot

pytestmark = pytest.mark.browser


def test_a_photo_over_the_limit_or_of_another_type_is_refused_before_sending(app, live_server, new_page):
    director = factories.create_user("director", password=factories.PASSWORD)
    practice = factories.create_practice(director.school, title="Lectura en voz alta")
    db.session.commit()
    page = new_page(viewport=PHONE_390, is_mobile=True, has_touch=True)
    login(page, live_server, director.email, factories.PASSWORD)
    page.goto(f"{live_server}/practicas/{practice.id}")
    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)
    chooser = page.locator("input[type=file]").first
    limit = app.config["MAX_EVIDENCE_BYTES"]
    assert chooser.get_attribute("data-max-bytes") == str(limit)

    chooser.set_input_files(
        {"name": "foto-grande.jpg", "mimeType": "image/jpeg", "buffer": b"\xff" * (limit + 600_000)}
    )
    error = page.locator("[data-upload-error]")
    expect(error).to_contain_text("«foto-grande.jpg» pesa 10.6 MB y el límite es 10 MB")
    assert chooser.evaluate("input => input.files.length") == 0  # nothing left to send
    assert chooser.get_attribute("aria-invalid") == "true"
    shot(page, "upload-too-big-390")
    assert axe_violations(page) == []

    chooser.set_input_files({"name": "notas.txt", "mimeType": "text/plain", "buffer": b"hola"})
    expect(error).to_contain_text("«notas.txt» no es de un tipo que se acepte aquí")
    assert chooser.evaluate("input => input.files.length") == 0

    chooser.set_input_files(
        {"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff" + b"0" * 1000}
    )
    expect(error).to_have_count(0)  # a good file clears the message and stays chosen
    assert chooser.evaluate("input => input.files.length") == 1
    assert chooser.get_attribute("aria-invalid") is None
    assert posted == []  # nothing was sent while choosing
