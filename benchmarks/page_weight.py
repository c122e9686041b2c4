"""Page weight and a usable room on a slow 3G phone (issue 13, "Light pages for weak connections").

The app runs on a temporary SQLite database with the demo data (``flask demo seed``) and one live room
(the tests' ``build_room``), served by werkzeug on a free local port. Debian's Chromium (Playwright)
opens each page as its person, with a **cold cache** (the browser's cache is cleared through the
DevTools protocol right before the visit), and adds up what went over the wire for the page and
everything it loaded (``encodedDataLength``: compressed bodies plus headers). Then, on Chromium's
emulated slow 3G (400 kbit/s both ways, 400 ms round trip), it times a cold visit to the room until
the room is usable: connected, the slide drawn and the contribution form ready.

Targets: every page but the room ≤ 60 KiB, the room ≤ 150 KiB plus its deck, a usable room ≤ 6 s.

The previous run's figures are read from ``benchmarks/page_weight.json`` and shown beside
this run's (the comparison asked for); this run then replaces them, and the section
``docs/benchmarks_pages.md`` is rewritten. ``--quick`` measures three pages.

    .venv/bin/python benchmarks/page_weight.py
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "page_weight.json"
SECTION = ROOT / "docs" / "benchmarks_pages.md"
PAGE_BUDGET = 60 * 1024
ROOM_BUDGET = 150 * 1024
USABLE_BUDGET = 6.0
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400_000 / 8,
    "uploadThroughput": 400_000 / 8,
}


def build(tmp: Path):
    """The app with the demo data and a live room; returns (app, pages, room_page, password)."""
    os.environ.setdefault("DEMO_PASSWORD", "demo-aprendizaje-2026")
    from app import create_app
    from app.catalogue.models import School
    from app.demo import services as demo
    from app.extensions import db
    from app.practices.models import Practice
    from app.problems.models import Problem
    from config import Config

    class PagesConfig(Config):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp / 'pages.db'}"
        SECRET_KEY = "page-weight-benchmark"
        UPLOAD_FOLDER = str(tmp / "uploads")
        SOCKETIO_MESSAGE_QUEUE = None
        REDIS_URL = None
        SERVER_NAME = None

    app = create_app(PagesConfig)
    with app.app_context():
        db.create_all()
        report = demo.seed_demo()
        db.session.commit()
        zone5 = next(z for z in report.zones if z.number == 5)
        school = db.session.scalars(
            db.select(School).where(School.zone_id == zone5.id).order_by(School.cct)
        ).first()
        problem = db.session.scalars(db.select(Problem).order_by(Problem.id)).first()
        practice = db.session.scalars(db.select(Practice).order_by(Practice.id)).first()
        supervisor = demo.demo_email("supervisor", "zona5")
        director = demo.demo_email("director", problem.school.cct)
        pages = [
            ("Entrar", None, "/login"),
            ("Inicio (directora)", director, "/"),
            ("Tablero de zona (supervisora)", supervisor, f"/zonas/{zone5.cct}/tablero"),
            ("Zona (supervisora)", supervisor, f"/zonas/{zone5.cct}"),
            ("Escuela", supervisor, f"/escuelas/{school.cct}"),
            ("Problemática", director, f"/problematicas/{problem.id}"),
            ("Biblioteca de prácticas", director, "/practicas"),
            ("Práctica", director, f"/practicas/{practice.id}"),
            ("Bitácora", director, f"/escuelas/{problem.school.cct}/bitacora"),
            ("Encuentros", supervisor, "/encuentros"),
            ("Personas", supervisor, "/personas"),
        ]
        from app.live import services as live
        from tests.realtime.world import build_room

        room = build_room(password=report.password)
        live.give_turn(room.group, room.school_a.id, actor=room.people["facilitador"])  # a deck on screen
        db.session.commit()
        room_page = ("Sala en vivo (docente)", room.people["docente_b"].email, room.url)
        return app, pages, room_page, report.password


class Server(threading.Thread):
    """The app served by werkzeug on a free local port, quietly."""

    def __init__(self, app):
        from werkzeug.serving import make_server

        super().__init__(daemon=True)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def run(self):
        self.server.serve_forever(poll_interval=0.1)


def visit(
    browser, base: str, email: str | None, password: str, path: str, *, room: bool = False, slow: bool = False
):
    """Bytes transferred (cold cache) and seconds to ready for one page, logged in as ``email``."""
    context = browser.new_context(locale="es-MX", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    if email:
        page.goto(f"{base}/login")
        page.get_by_label("Correo electrónico").fill(email)
        page.get_by_label("Contraseña").fill(password)
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_load_state("networkidle")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.clearBrowserCache")
    if slow:
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    sizes: dict[str, float] = {}
    urls: dict[str, str] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    started = time.perf_counter()
    page.goto(base + path, wait_until="commit", timeout=60_000)
    if room:
        page.locator("#connection", has_text="Conectado").wait_for(timeout=60_000)
        page.locator("#slide-counter").filter(has_text="1 /").wait_for(timeout=60_000)
        # On a phone the room's sections are tabs (issue 13): the hand is one tap away at once, the
        # contribution form one tap on "Aportaciones" (which loads nothing more).
        page.locator("#room-tabs").get_by_role("button", name="Aportaciones").click(timeout=60_000)
        page.get_by_role("button", name="Aportar").wait_for(timeout=60_000)
    else:
        page.wait_for_load_state("load", timeout=60_000)
    ready = time.perf_counter() - started
    page.wait_for_load_state("networkidle", timeout=60_000)
    deck = sum(
        size
        for rid, size in sizes.items()
        if "/presentacion" in urls.get(rid, "") or urls.get(rid, "").endswith(".pdf")
    )
    total = sum(sizes.values())
    context.close()
    heaviest = sorted(sizes, key=sizes.get, reverse=True)[:3]
    largest = [
        [urls.get(rid, "?").split("//", 1)[-1].split("/", 1)[-1].split("?")[0], sizes[rid]]
        for rid in heaviest
    ]
    return {"bytes": total, "deck_bytes": deck, "requests": len(sizes), "seconds": ready, "largest": largest}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="three pages, one slow-3G run")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        app, pages, room_page, password = build(Path(tmp))
        if args.quick:
            pages = pages[:3]
        server = Server(app)
        server.start()
        results = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, email, path in pages:
                results[name] = visit(browser, server.url, email, password, path)
                heavy = ", ".join(f"{u} {b / 1024:.1f}" for u, b in results[name]["largest"])
                print(
                    f"{name:32} {results[name]['bytes'] / 1024:7.1f} KiB  {results[name]['requests']:3} peticiones  ({heavy})"
                )
            name, email, path = room_page
            results[name] = visit(browser, server.url, email, password, path, room=True)
            print(
                f"{name:32} {results[name]['bytes'] / 1024:7.1f} KiB  (presentación {results[name]['deck_bytes'] / 1024:.1f} KiB)"
            )
            runs = [
                visit(browser, server.url, email, password, path, room=True, slow=True)["seconds"]
                for _ in range(1 if args.quick else 3)
            ]
            browser.close()
        server.server.shutdown()
    usable = statistics.median(runs)
    print(f"Sala usable en 3G lento (mediana de {len(runs)}): {usable:.2f} s")
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else None
    record = {
        "date": date.today().isoformat(),
        "commit": os.popen(f"git -C {ROOT} rev-parse --short HEAD").read().strip(),
        "pages": results,
        "room_usable_slow3g_seconds": usable,
        "room_usable_runs": runs,
    }
    write_section(record, previous, load_before, os.getloadavg()[0], quick=args.quick)
    if not args.quick:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")


def _kib(n: float | None) -> str:
    return "—" if n is None else f"{n / 1024:.1f} KiB"


def write_section(
    record: dict, previous: dict | None, load_before: float, load_after: float, *, quick: bool
) -> None:
    old_pages = (previous or {}).get("pages", {})
    lines = [
        "## Peso de las páginas y sala en 3G lento (`benchmarks/page_weight.py`)",
        "",
        f"Máquina: {os.cpu_count()} CPU, {platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"Chromium de Debian (Playwright). Carga media (1 min) al empezar {load_before:.1f} y al terminar {load_after:.1f}. "
        f"Datos de demostración (`flask demo seed`) y una sala; caché fría en cada página (borrada por DevTools), "
        f"teléfono de 390×844. Lo transferido incluye encabezados y cuerpos comprimidos, la página y todo lo que carga. "
        f"Comparado con la ejecución anterior guardada en `benchmarks/page_weight.json` "
        f"({(previous or {}).get('commit', 'ninguna')}, {(previous or {}).get('date', '—')}); esta es {record['commit']}"
        + (" (modo rápido, no guardada)." if quick else "."),
        "",
        "| página | antes | ahora | razón | peticiones | meta |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, now in record["pages"].items():
        before = old_pages.get(name, {}).get("bytes")
        ratio = f"{now['bytes'] / before:.2f}" if before else "—"
        room = name.startswith("Sala")
        size = now["bytes"] - (now["deck_bytes"] if room else 0)
        budget = ROOM_BUDGET if room else PAGE_BUDGET
        goal = f"{'≤ 150 KiB + presentación' if room else '≤ 60 KiB'}: {'cumple' if size <= budget else 'NO cumple'}"
        lines.append(
            f"| {name} | {_kib(before)} | {_kib(now['bytes'])} | {ratio} | {now['requests']} | {goal} |"
        )
    before_usable = (previous or {}).get("room_usable_slow3g_seconds")
    usable = record["room_usable_slow3g_seconds"]
    lines += [
        "",
        f"- Sala usable (conectada, diapositiva dibujada, formulario listo) con caché fría en 3G lento "
        f"(400 kbit/s, 400 ms de ida y vuelta), mediana de {len(record['room_usable_runs'])}: "
        f"**{usable:.2f} s** (antes {'—' if before_usable is None else f'{before_usable:.2f} s'}; meta ≤ 6 s: "
        f"{'cumple' if usable <= USABLE_BUDGET else 'NO cumple'}).",
        "",
    ]
    SECTION.write_text("\n".join(lines), encoding="utf-8")
    print(f"{SECTION.relative_to(ROOT)} escrito")


if __name__ == "__main__":
    main()
