"""The projector view (issue 13): the facilitator opens it from the room in a new tab, with her own
session, and it follows the room live — the turn and the slide (generated text, then a school's PDF
drawn by pdf.js), the timer, who has the floor, the latest five contributions — catches up after a
lost connection, sends nothing but its `join`, and passes axe-core. Screenshots at 1280x720 and the
same at 25 % (what the back row of a classroom sees) are saved to look at."""

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
from tests.e2e.browser import SHOTS_DIR, axe_violations, login, shot
from tests.factories import PASSWORD
from tests.realtime.world import build_room, restore_real_transport

SCREEN = {"width": 1280, "height": 720}
# Every event a page's Socket.IO client sends, kept in window.__sent (the client library is wrapped
# as it loads: Playwright's init script runs before the page's own scripts and outside its CSP), and
# every Content-Security-Policy violation, in window.__csp.
RECORD_SENT = """
(() => {
  window.__sent = [];
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective));
  let real;
  Object.defineProperty(window, 'io', {
    configurable: true,
    get() { return real; },
    set(lib) {
      real = new Proxy(lib, { apply(target, self, args) {
        const socket = Reflect.apply(target, self, args);
        socket.onAnyOutgoing((event) => window.__sent.push(event));
        return socket;
      } });
    },
  });
})();
"""


def _two_page_pdf() -> bytes:
    document = FPDF(format="A4", orientation="landscape")
    document.set_font("helvetica", size=48)
    for text in ("PAGINA UNO", "PAGINA DOS"):
        document.add_page()
        document.cell(text=text)
    return bytes(document.output())


def _upload_pdf(app, room, school, actor) -> None:
    upload = FileStorage(
        stream=io.BytesIO(_two_page_pdf()), filename="diapositivas.pdf", content_type="application/pdf"
    )
    encounter_services.upload_presentation_pdf(
        room.encounter,
        school,
        upload,
        actor=actor,
        folder=Path(app.config["UPLOAD_FOLDER"]) / "presentations",
        max_bytes=app.config["MAX_PRESENTATION_BYTES"],
        max_pages=app.config["MAX_PRESENTATION_PAGES"],
    )
    db.session.commit()


def _quarter(path: Path) -> Path:
    """The screenshot scaled to 25 %, as the back row sees it."""
    small = path.with_name(path.stem + "-25pct.png")
    with Image.open(path) as image:
        image.resize((image.width // 4, image.height // 4), Image.LANCZOS).save(small)
    return small


def _contribute(room_page, text: str) -> None:
    room_page.get_by_label("Tipo de aportación").select_option("propuesta")
    room_page.get_by_label("Tu aportación").fill(text)
    room_page.get_by_role("button", name="Aportar").click()
    expect(room_page.locator("#contributions")).to_contain_text(text[:30])


def test_the_projector_follows_the_room(app, live_server, new_page):
    restore_real_transport()  # a Socket.IO test client earlier in the run may have patched it
    room = build_room(password=PASSWORD)
    _upload_pdf(app, room, room.school_b, room.people["director_b"])
    slides = services.school_deck(room.encounter, room.school_a)["slides"]

    facilitator = new_page(viewport=SCREEN)
    facilitator.context.add_init_script(RECORD_SENT)
    login(facilitator, live_server, room.people["facilitador"].email, PASSWORD)
    facilitator.goto(live_server + room.url)
    expect(facilitator.locator("#connection")).to_have_text("Conectado")

    # "Abrir vista de proyector" opens it in a new tab, in the facilitator's own session.
    with facilitator.context.expect_page() as opened:
        facilitator.get_by_role("link", name="Abrir vista de proyector").click()
    projector = opened.value
    expect(projector.locator("#pj-connection")).to_have_text("En vivo")
    assert projector.url == f"{live_server}{room.url}/proyector"
    expect(projector.locator("#pj-presenter")).to_have_text("Nadie")
    expect(projector.locator("#pj-slide")).to_contain_text("Nadie presenta ahora")
    expect(projector.locator("#pj-slide h2")).to_have_text("Reconozcamos la importancia")
    _quarter(shot(projector, "projector-1280x720-cover"))

    # The facilitator gives the turn to school A and moves its slides: the projector follows.
    facilitator.locator("#turn-select").select_option(str(room.school_a.id))
    expect(projector.locator("#pj-presenter")).to_have_text(room.school_a.name)
    expect(projector.locator("#pj-slide h2")).to_have_text(slides[0]["title"])
    facilitator.locator("#slide-next").click()
    expect(projector.locator("#pj-slide-counter")).to_have_text(f"Diapositiva 2 de {len(slides)}")
    expect(projector.locator("#pj-slide h2")).to_have_text(slides[1]["title"])

    # The timer starts in the room; the projector's countdown runs.
    expect(projector.locator("#pj-paused")).to_be_visible()
    expect(projector.locator("#pj-activity")).to_contain_text("(en pausa)")
    facilitator.locator('[data-timer="start"]').click()
    expect(projector.locator("#pj-clock")).to_have_class("pj-clock running")
    expect(projector.locator("#pj-paused")).to_be_hidden()
    first = projector.locator("#pj-timer").text_content()
    projector.wait_for_timeout(1300)
    assert projector.locator("#pj-timer").text_content() != first

    # Who has the floor.
    expect(projector.locator("#pj-floor")).to_have_text("Nadie")
    facilitator.locator("#hand-raise").click()
    facilitator.locator("#hands").get_by_role("button", name="Dar la palabra").click()
    expect(projector.locator("#pj-floor")).to_have_text("Facilitadora Fer")

    # Contributions: the latest five, newest first.
    expect(projector.locator("#pj-contributions")).to_have_text("Aún no hay aportaciones.")
    for n in range(1, 6):
        _contribute(facilitator, f"Propuesta {n}: leer en voz alta diez minutos al día con las familias.")
    _contribute(
        facilitator,
        "Propuesta 6: un club de lectura entre escuelas, con préstamo de libros de la biblioteca "
        "del aula y una bitácora que cada grupo comparte al final del mes con las demás escuelas.",
    )
    items = projector.locator("#pj-contributions li")
    expect(items.first).to_contain_text("Propuesta 6: un club de lectura")
    expect(items).to_have_count(5)
    expect(items.last).to_contain_text("Propuesta 2:")
    expect(items.first.locator(".pj-kind")).to_have_text("Propuesta de solución")
    board = projector.locator("#pj-contributions").bounding_box()
    last = items.last.bounding_box()  # all five in view, not cut off below the screen
    assert last["y"] + last["height"] <= board["y"] + board["height"] + 1

    # On the shared screen: the slide, the timer, the names and the board, nothing to click.
    assert projector.locator("form, button, input, select, textarea, nav, details").count() == 0
    assert projector.evaluate("document.documentElement.scrollHeight") <= SCREEN["height"]
    assert projector.evaluate("document.documentElement.scrollWidth") <= SCREEN["width"]
    assert axe_violations(projector) == []
    _quarter(shot(projector, "projector-1280x720-slides"))

    # The projector loses its connection while the room moves on; back online, it catches up.
    # (its own requests fail; the room, a tab of the same browser, stays connected)
    projector.route("**/socket.io/**", lambda route: route.abort())
    projector.evaluate("window.projector.socket.io.engine.close()")
    expect(projector.locator("#pj-connection")).to_contain_text("Sin conexión")
    facilitator.locator("#slide-next").click()
    expect(facilitator.locator("#slide-counter")).to_have_text(f"3 / {len(slides)}")
    expect(projector.locator("#pj-slide-counter")).to_have_text(f"Diapositiva 2 de {len(slides)}")
    projector.unroute("**/socket.io/**")
    expect(projector.locator("#pj-connection")).to_have_text("En vivo", timeout=15_000)
    expect(projector.locator("#pj-slide-counter")).to_have_text(f"Diapositiva 3 de {len(slides)}")

    # School B's turn: its PDF is drawn by pdf.js, page by page.
    facilitator.locator("#turn-select").select_option(str(room.school_b.id))
    expect(projector.locator("#pj-presenter")).to_have_text(room.school_b.name)
    expect(projector.locator("#pj-slide canvas")).to_have_count(1, timeout=15_000)
    expect(projector.locator("#pj-slide-counter")).to_have_text("Diapositiva 1 de 2")
    # An event that skips a version (one was missed) makes it fetch the snapshot again over HTTP.
    projector.evaluate("window.projector.snapshot.version -= 1")
    with projector.expect_request(lambda r: r.url.endswith("/sala/estado.json")):
        facilitator.locator("#slide-next").click()
    expect(projector.locator("#pj-slide-counter")).to_have_text("Diapositiva 2 de 2")
    expect(projector.locator("#pj-slide canvas")).to_have_attribute("aria-label", "PDF 2", timeout=15_000)
    box = projector.locator("#pj-slide").bounding_box()
    canvas = projector.locator("#pj-slide canvas").bounding_box()
    assert canvas["width"] <= box["width"] and canvas["height"] <= box["height"]
    assert axe_violations(projector) == []
    _quarter(shot(projector, "projector-1280x720-pdf"))

    # An older 4:3 projector and a full-HD one: still one screen, nothing cut off to the side.
    facilitator.locator("#turn-select").select_option(str(room.school_a.id))
    expect(projector.locator("#pj-presenter")).to_have_text(room.school_a.name)
    for width, height in ((1024, 768), (1920, 1080)):
        projector.set_viewport_size({"width": width, "height": height})
        assert projector.evaluate("document.documentElement.scrollHeight") <= height
        assert projector.evaluate("document.documentElement.scrollWidth") <= width
        shot(projector, f"projector-{width}x{height}")

    # It never wrote: the only event it sent (twice, once per connection) is `join`.
    assert set(projector.evaluate("window.__sent")) == {"join"}
    assert projector.evaluate("window.__csp") == []  # everything ran under the page's policy
    assert (SHOTS_DIR / "projector-1280x720-slides-25pct.png").exists()
