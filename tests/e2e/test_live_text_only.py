"""The live room's text-only mode (for slow connections) never prints "null", for an uploaded PDF
deck (whose pages are images of the school's file) or a generated one."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect
from werkzeug.datastructures import FileStorage

from app.encounters import services as encounter_services
from app.extensions import db
from app.live import services
from tests.app.encounters.conftest import pdf_bytes
from tests.e2e.browser import PHONE, login, shot
from tests.factories import PASSWORD
from tests.realtime.world import build_room, restore_real_transport


def _open_text_only(new_page, live_server, room, who, **context):
    page = new_page(**context)
    login(page, live_server, room.people[who].email, PASSWORD)
    page.goto(f"{live_server}{room.url}?texto=1")
    expect(page.locator("#connection")).to_have_text("Conectado")
    expect(page.locator("#text-only")).to_be_checked()
    return page


def _no_null(page) -> None:
    text = page.locator("#slide").inner_text()
    assert "null" not in text and "undefined" not in text, text


def test_text_only_shows_a_pdf_deck_page_without_null(app, live_server, new_page):
    restore_real_transport()
    room = build_room(password=PASSWORD)
    upload = FileStorage(
        stream=__import__("io").BytesIO(pdf_bytes(3)), filename="nuestra.pdf", content_type="application/pdf"
    )
    encounter_services.upload_presentation_pdf(
        room.encounter,
        room.school_a,
        upload,
        actor=room.people["director_sede"],
        folder=Path(app.config["UPLOAD_FOLDER"]) / "presentations",
        max_bytes=app.config["MAX_PRESENTATION_BYTES"],
        max_pages=app.config["MAX_PRESENTATION_PAGES"],
    )
    services.give_turn(room.group, room.school_a.id, actor=room.people["facilitador"])
    db.session.commit()

    page = _open_text_only(new_page, live_server, room, "docente_b", viewport=PHONE)
    slide = page.locator("#slide")
    expect(page.locator("#slide-counter")).to_have_text("1 / 3")
    expect(slide.locator("h3")).to_have_text("Página 1")
    expect(slide).to_contain_text("En modo solo texto no se descarga")
    _no_null(page)
    assert slide.locator("canvas").count() == 0  # nothing of the PDF was drawn
    page.locator("#slide-next").click()
    expect(slide.locator("h3")).to_have_text("Página 2")
    _no_null(page)
    shot(page, "live-room-text-only-pdf-phone")

    # Turning text-only off draws the page from the PDF.
    page.locator("#text-only").uncheck()
    expect(slide.locator("canvas")).to_have_count(1, timeout=10_000)


def test_text_only_shows_every_generated_slide_without_null(live_server, new_page):
    restore_real_transport()
    room = build_room(password=PASSWORD)
    services.give_turn(room.group, room.school_a.id, actor=room.people["facilitador"])
    db.session.commit()
    count = services.school_deck(room.encounter, room.school_a)["count"]
    assert count > 1

    page = _open_text_only(new_page, live_server, room, "docente_b", viewport={"width": 1366, "height": 900})
    for n in range(1, count + 1):
        expect(page.locator("#slide-counter")).to_have_text(f"{n} / {count}")
        _no_null(page)
        if n < count:
            page.locator("#slide-next").click()
    shot(page, "live-room-text-only-generated-desktop")
