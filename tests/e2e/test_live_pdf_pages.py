"""The live room draws a school's uploaded PDF with the vendored pdf.js, images included: pdf.js 5+
decodes JPEG 2000 (common in scanned and exported slides) in WebAssembly files of its own, which the
room must serve and point pdf.js at (they were inside the worker until pdf.js 4)."""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from PIL import Image
from playwright.sync_api import expect
from werkzeug.datastructures import FileStorage

from app.encounters import services as encounter_services
from app.extensions import db
from app.live import services
from tests.e2e.browser import login, shot
from tests.factories import PASSWORD
from tests.realtime.world import build_room, restore_real_transport

GREEN = (0, 112, 74)
COUNT_GREEN = """(c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 40 && d[i + 1] > 90 && d[i + 2] < 110) n++;
    return n; }"""


def _pdf_with_image(image_filter: str) -> bytes:
    """One A4 page holding one green picture, stored with ``image_filter`` (e.g. JPXDecode)."""
    document = FPDF(format="A4")
    document.set_image_filter(image_filter)
    document.add_page()
    picture = io.BytesIO()
    Image.new("RGB", (160, 120), GREEN).save(picture, format="PNG")
    document.image(picture, x=20, y=20, w=170)
    return bytes(document.output())


def _room_showing(app, pdf: bytes):
    restore_real_transport()
    room = build_room(password=PASSWORD)
    upload = FileStorage(stream=io.BytesIO(pdf), filename="diapositivas.pdf", content_type="application/pdf")
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
    return room


def test_a_jpeg2000_picture_in_a_pdf_is_drawn(app, live_server, new_page):
    room = _room_showing(app, _pdf_with_image("JPXDecode"))
    page = new_page(viewport={"width": 1366, "height": 900})
    login(page, live_server, room.people["docente_b"].email, PASSWORD)
    page.goto(f"{live_server}{room.url}")
    canvas = page.locator("#slide canvas")
    expect(canvas).to_have_count(1, timeout=15_000)
    page.wait_for_function(
        f"() => ({COUNT_GREEN})(document.querySelector('#slide canvas')) > 1000", timeout=15_000
    )
    shot(page, "live-room-pdf-jpeg2000")
