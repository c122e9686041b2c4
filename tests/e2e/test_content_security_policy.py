"""The main pages work under their Content-Security-Policy with zero violations: Chromium reports
every refused script, handler, plugin or worker (``securitypolicyviolation`` in the page, a console
error for workers), and each page's own behaviour is exercised: the copy button, the invitation
form's fields, the import's progress, the live room joining and drawing a school's PDF, and the deck
page drawing that PDF with pdf.js while the file itself stays a sandboxed download."""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from playwright.sync_api import expect
from werkzeug.datastructures import FileStorage

from app.catalogue.models import ImportRun
from app.encounters import services as encounter_services
from app.extensions import db
from app.live import services
from tests.e2e.browser import login, shot
from tests.factories import PASSWORD
from tests.realtime.world import build_room, restore_real_transport

WATCH = """() => {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation',
    (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
}"""
COUNT_INK = """(c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 100 && d[i + 1] > 90 && d[i + 2] < 130) n++;
    return n; }"""


class Watched:
    """A page whose CSP violations (page events and console reports) are collected."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        page.add_init_script(f"({WATCH})()")
        page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def violations(self) -> list[str]:
        return list(self.page.evaluate("window.__csp || []")) + self.console


def _slides_pdf(pages: int = 2) -> bytes:
    document = FPDF(format="A4", orientation="L")
    for n in range(pages):
        document.add_page()
        document.set_fill_color(0, 112, 74)
        document.rect(20, 20, 250, 150, style="F")
        document.set_font("helvetica", size=40)
        document.text(30, 190, f"Pagina {n + 1}")
    return bytes(document.output())


def _room_with_pdf(app):
    restore_real_transport()
    room = build_room(password=PASSWORD)
    upload = FileStorage(
        io.BytesIO(_slides_pdf()), filename="diapositivas.pdf", content_type="application/pdf"
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
    return room


def test_the_main_pages_work_with_no_policy_violation(app, live_server, new_page):
    room = _room_with_pdf(app)
    admin = room.people["admin"]
    page = new_page(viewport={"width": 1280, "height": 900})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    watched = Watched(page)

    response = page.goto(f"{live_server}/login")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    login(page, live_server, admin.email, PASSWORD)

    # A school's page.
    page.goto(f"{live_server}/escuelas/{room.school_a.cct}")
    expect(page.locator("h1")).to_contain_text(room.school_a.name)

    # Invitations: the role shows its own fields, and the issued link's copy button copies it.
    page.goto(f"{live_server}/invitaciones")
    role = page.locator("#invitation-form select[name=role]")
    role.select_option("supervisor")
    expect(page.locator("#invitation-form [data-roles=supervisor]")).to_be_visible()
    expect(page.locator("#invitation-form [data-roles='director docente']")).to_be_hidden()
    role.select_option("docente")
    page.get_by_label("Correo electrónico").fill("nueva.docente@escuelas.example.mx")
    page.locator("#invitation-form input[name=school_cct]").fill(room.school_a.cct)
    page.get_by_role("button", name="Crear invitación").click()
    copy = page.locator("[data-copy=invitation-link]")
    copy.click()
    expect(copy).to_have_text("¡Copiado!")
    link = page.locator("#invitation-link").input_value()
    assert page.evaluate("navigator.clipboard.readText()") == link and "/invitacion/" in link

    # A catalogue import in progress: the page follows it and reloads with the totals when it ends.
    run = ImportRun(
        filename="catalogo.csv", status="en_curso", total_rows=10, processed_rows=2, user_id=admin.id
    )
    db.session.add(run)
    db.session.commit()
    page.goto(f"{live_server}/catalogo/importaciones/{run.id}")
    expect(page.locator("#import-count")).to_have_text("2")
    run.processed_rows = 7
    db.session.commit()
    expect(page.locator("#import-count")).to_have_text("7", timeout=5000)
    run.processed_rows, run.status, run.schools_created = 10, "terminada", 10
    db.session.commit()
    expect(page.get_by_text("escuelas nuevas")).to_be_visible(timeout=5000)

    # The live room joins through its import map (nonce) and draws the school's PDF with pdf.js.
    page.goto(f"{live_server}{room.url}")
    expect(page.locator("#connection")).to_have_text("Conectado")
    expect(page.locator("#slide canvas")).to_have_count(1, timeout=15_000)
    page.wait_for_function(
        f"() => ({COUNT_INK})(document.querySelector('#slide canvas')) > 1000", timeout=15_000
    )
    shot(page, "csp-live-room")

    # The deck page draws the PDF page by page; the file itself is a sandboxed download.
    deck = f"{live_server}/encuentros/{room.encounter.id}/escuelas/{room.school_a.cct}/diapositivas"
    page.goto(deck)
    expect(page.locator("#pdf-page canvas")).to_have_count(1, timeout=15_000)
    page.wait_for_function(
        f"() => ({COUNT_INK})(document.querySelector('#pdf-page canvas')) > 1000", timeout=15_000
    )
    expect(page.locator("#deck-counter")).to_have_text("1 / 2")
    page.get_by_role("button", name="Diapositiva siguiente").click()
    expect(page.locator("#deck-counter")).to_have_text("2 / 2")
    expect(page.locator("#pdf-page canvas[aria-label='PDF 2']")).to_have_count(1, timeout=15_000)
    shot(page, "csp-deck-pdf")
    with page.expect_download() as download:
        page.locator("#pdf-download").click()
    assert download.value.suggested_filename == "diapositivas.pdf"
    pdf = page.request.get(live_server + page.locator("#pdf-download").get_attribute("href"))
    assert pdf.headers["content-disposition"].startswith("attachment")
    assert pdf.headers["content-security-policy"].startswith("sandbox")

    assert watched.violations() == []


def test_charts_and_confirmations_work_with_no_policy_violation(live_server, new_page):
    """The zone's board draws its charts (SVG from its tables); a form with data-confirm asks first (page.js),
    and nothing is sent when the person says no."""
    room = build_room(status="borrador", password=PASSWORD)
    page = new_page(viewport={"width": 1280, "height": 900})
    watched = Watched(page)
    login(page, live_server, room.people["admin"].email, PASSWORD)

    page.goto(f"{live_server}/zonas/{room.school_a.zone.cct}/tablero")
    expect(page.locator(".chart-box svg.chart").first).to_be_visible()

    detail = f"{live_server}/encuentros/{room.encounter.id}"
    page.goto(detail)
    asked: list[str] = []

    def answer(dialog, accept: bool) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    page.locator("#delete-encounter").click()
    page.wait_for_timeout(300)
    assert asked == ["¿Eliminar este borrador?"] and page.url == detail
    page.once("dialog", lambda dialog: answer(dialog, True))
    with page.expect_navigation():
        page.locator("#delete-encounter").click()
    assert len(asked) == 2 and page.url != detail
    assert page.goto(detail).status == 404

    assert watched.violations() == []
