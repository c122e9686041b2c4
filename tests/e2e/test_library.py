"""The practice library in a real browser: search without accents, and a phone-sized screen."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage

from app.demo.services import demo_png
from app.extensions import db
from app.practices.services import add_evidence, create_practice
from app.problems.taxonomy import sync_categories
from tests.e2e.browser import PHONE, login, shot
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PRACTICES = [
    (
        "Cálculo mental diario: diez minutos al empezar el día",
        "Cada mañana los grupos resuelven mentalmente problemas cortos y explican cómo lo hicieron.",
        ["pensamiento-matematico"],
    ),
    (
        "Mochila viajera de lectura con las familias",
        "Una mochila con tres libros y un cuaderno viaja cada fin de semana a una casa distinta.",
        ["lectura-escritura", "familias-crianza"],
    ),
    (
        "Recreo con juegos organizados y comisiones de alumnos",
        "El patio se divide en zonas de juego; alumnos de 6° prestan material y median conflictos.",
        ["convivencia"],
    ),
]


@pytest.fixture
def library(live_server, create_zone, create_school, create_user):
    """A director of a zone where two schools recorded practices (one with a photo)."""
    sync_categories()
    db.session.commit()
    zone = create_zone(cct="22FIZ0059E", number=59)
    own = create_school(zone, cct="22DPR0834R", name="ANTONIO CASO")
    other = create_school(zone, cct="22DPR4360V", name="GENERAL ARTEAGA")
    director = create_user(
        "director", school=own, name="Adriana Montes Rangel", email="director.22dpr0834r@escuelas.example.mx"
    )
    colleague = create_user("director", school=other, email="director.22dpr4360v@escuelas.example.mx")
    for n, (title, summary, categories) in enumerate(PRACTICES):
        author = director if n % 2 == 0 else colleague
        practice = create_practice(
            author.school,
            {
                "title": title,
                "summary": summary,
                "categories": categories,
                "grades": ["3°", "4°"],
                "visibility": "zona",
                "resources": [],
                "links": [],
            },
            actor=author,
        )
        if n == 0:
            add_evidence(
                practice,
                FileStorage(io.BytesIO(demo_png((0, 121, 89))), filename="foto.png"),
                actor=author,
                caption="Alumnos explicando su estrategia",
            )
    db.session.commit()
    return director


def test_search_finds_an_accented_title_typed_without_accents(live_server, page, library):
    login(page, live_server, library.email, PASSWORD)
    page.goto(f"{live_server}/practicas")
    page.get_by_role("searchbox", name="Buscar").fill("calculo mental")
    page.get_by_role("searchbox", name="Buscar").press("Enter")
    page.wait_for_load_state("domcontentloaded")
    shot(page, "library-search-calculo")

    assert "q=calculo" in page.url
    assert page.get_by_text(PRACTICES[0][0]).first.is_visible()
    assert page.get_by_text(PRACTICES[1][0]).count() == 0
    assert page.get_by_text(PRACTICES[2][0]).count() == 0


def test_library_fits_a_phone_screen(live_server, new_page, library):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    login(page, live_server, library.email, PASSWORD)
    page.goto(f"{live_server}/practicas")
    shot(page, "library-phone")

    for title, _summary, _categories in PRACTICES:
        assert page.get_by_text(title).first.is_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"horizontal scroll: {scroll_width}px"
