"""The live room's text-only mode (for slow connections) never prints "null", for an uploaded PDF
deck (whose pages are images of the school's file) or a generated one."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF
from playwright.sync_api import expect
from werkzeug.datastructures import FileStorage

from app.encounters import services as encounter_services
from app.extensions import db
from app.live import services
from tests.e2e.browser import axe_violations, login, shot
from tests.factories import PASSWORD
from tests.realtime.world import build_room, restore_real_transport

PHONE_390 = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _inked_pdf(pages: int, texts: dict[int, str] | None = None) -> bytes:
    """A PDF whose every page is a green block (so a drawn page can be told from a blank one), with
    a line of text on the pages given in ``texts`` (1-based)."""
    document = FPDF(format="A4")
    document.set_font("helvetica", size=16)
    for n in range(1, pages + 1):
        document.add_page()
        document.set_fill_color(0, 112, 74)
        document.rect(20, 20, 170, 120, style="F")
        if texts and n in texts:
            document.set_xy(20, 160)
            document.multi_cell(170, 10, texts[n])
    return bytes(document.output())


def _open_text_only(new_page, live_server, room, who, **context):
    page = new_page(**context)
    login(page, live_server, room.people[who].email, PASSWORD)
    page.goto(f"{live_server}{room.url}?texto=1")
    expect(page.locator("#connection")).to_have_text("Conectado")
    expect(page.locator("#text-only")).to_be_checked()
    return page


def _no_null(page) -> None:
    text = page.locator("#presentation-panel").inner_text()
    assert "null" not in text and "undefined" not in text, text


@pytest.mark.parametrize("viewport", [PHONE_390, DESKTOP], ids=["phone", "desktop"])
def test_text_only_shows_a_pdf_deck_page_without_null(app, live_server, new_page, viewport):
    restore_real_transport()
    room = build_room(password=PASSWORD)
    upload = FileStorage(
        stream=__import__("io").BytesIO(_inked_pdf(3, {2: "Meta: que 8 de cada 10 lean con fluidez"})),
        filename="nuestra.pdf",
        content_type="application/pdf",
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

    page = _open_text_only(new_page, live_server, room, "docente_b", viewport=viewport)
    slide = page.locator("#slide")
    expect(page.locator("#slide-counter")).to_have_text("1 / 3")
    expect(slide.locator("h2")).to_have_text("Página 1")
    expect(slide).to_contain_text("no tiene texto (es una imagen)")  # a picture only: said so
    _no_null(page)
    assert slide.locator("canvas").count() == 0  # nothing of the PDF was drawn
    page.locator("#slide-next").click()
    expect(slide.locator("h2")).to_have_text("Página 2")
    expect(slide).to_contain_text("Meta: que 8 de cada 10 lean con fluidez")  # the text extracted at upload
    _no_null(page)
    shot(page, f"live-room-text-only-pdf-{viewport['width']}x{viewport['height']}")

    # Turning text-only off draws the page from the PDF.
    page.locator("#text-only").uncheck()
    expect(slide.locator("canvas")).to_have_count(1, timeout=10_000)
    inked = slide.locator("canvas").evaluate(
        """(c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                    let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 1] > 90 && d[i] < 40) n++;
                    return n; }"""
    )
    assert inked > 1000  # pdf.js drew the page's green block, not just an empty canvas
    shot(page, f"live-room-pdf-drawn-{viewport['width']}x{viewport['height']}")


def test_text_only_shows_every_generated_slide_without_null(live_server, new_page):
    restore_real_transport()
    room = build_room(password=PASSWORD)
    services.give_turn(room.group, room.school_a.id, actor=room.people["facilitador"])
    db.session.commit()
    count = services.school_deck(room.encounter, room.school_a)["count"]
    assert count > 1

    page = _open_text_only(new_page, live_server, room, "docente_b", viewport=DESKTOP)
    for n in range(1, count + 1):
        expect(page.locator("#slide-counter")).to_have_text(f"{n} / {count}")
        _no_null(page)
        if n < count:
            page.locator("#slide-next").click()
    shot(page, "live-room-text-only-generated-desktop")
    # With a school presenting, the slide's title is a heading in order (h2 under the page's h1).
    assert axe_violations(page) == []
