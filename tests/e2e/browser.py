"""Helpers for the browser tests: screenshots and the real login form."""

from __future__ import annotations

import os
import re
from pathlib import Path

#: Debian's Chromium and the flags it runs with here (no sandbox as root, nothing from the network).
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SHOTS_DIR = Path(os.environ.get("E2E_SHOTS_DIR", "/tmp/e2e-shots"))
PHONE = {"width": 375, "height": 667}
PHONE_390 = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:120]


def shot(page, name: str) -> Path:
    """Save a full-page screenshot under the screenshots directory and return its path."""
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SHOTS_DIR / f"{_slug(name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, base_url: str, email: str, password: str) -> None:
    """Log in through the real login form."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state("domcontentloaded")


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is (evaluated through the debugger protocol, which the
    page's Content-Security-Policy does not apply to)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["html"][:160] for n in v["nodes"][:3]]}
        for v in result
    ]


def check_page(page, name: str) -> None:
    """What every changed page must pass: no horizontal scroll at its width, zero axe-core
    violations, and a screenshot (named with the width) to look at."""
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    assert axe_violations(page) == [], name
    shot(page, f"{name}-{width}")
