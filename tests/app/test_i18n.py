"""Spanish (es-MX) by default, English on request: the language switch and the catalogue.

The compiled catalogue (``messages.mo``) is git-ignored and built by ``scripts/setup``; the
``compiled_catalogue`` fixture builds it here too when it is missing or older than the ``.po``, so
that plain ``pytest`` works from a fresh checkout.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import g
from flask_babel import force_locale, gettext

from app.auth.models import User
from app.extensions import babel
from tests import factories
from tests.app.logbook.world import create_encounter

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
# Areas whose every user-visible string must be in the catalogue: all of them.
FINISHED = (
    "app/auth",
    "app/schools",
    "app/problems",
    "app/groupings",
    "app/main",
    "app/api",
    "app/practices",
    "app/encounters",
    "app/logbook",
    "app/commitments",
    "app/dashboard",
    "app/live",
    "app/goodpractices",
    "app/networkhealth",
    "app/contacts",
    "app/communities",
    "app/mentoring",
    "app/demo",
    "realtime",
    "app/errors.py",
    "app/templates/base.html",
    "app/templates/macros.html",
    "app/templates/main",
    "app/templates/errors",
    "app/templates/auth",
    "app/templates/schools",
    "app/templates/problems",
    "app/templates/groupings",
    "app/templates/practices",
    "app/templates/encounters",
    "app/templates/logbook",
    "app/templates/commitments",
    "app/templates/dashboard",
    "app/templates/live",
    "app/templates/goodpractices",
    "app/templates/networkhealth",
    "app/templates/contacts",
    "app/templates/communities",
    "app/templates/mentoring",
)
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?([sdirf%])")


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogue(app) -> Path:
    """The English .mo, compiled from the .po when missing or stale; Flask-Babel then reloads it."""
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        with PO.open("rb") as fh:
            catalog = read_po(fh, locale="en")
        partial = MO.with_name(f"messages.mo.{os.getpid()}.tmp")
        with partial.open("wb") as fh:
            write_mo(fh, catalog)
        os.replace(partial, MO)  # atomic: a parallel test run never reads half a file
    with app.app_context():
        babel.domain_instance.cache.clear()  # translations loaded before this point are dropped
    return MO


def _catalog():
    with PO.open("rb") as fh:
        return read_po(fh, locale="en")


def _new_request_state() -> None:
    """Test requests share the test's app context (hence ``g``): forget the cached user and locale."""
    g.pop("_login_user", None)
    g.pop("_flask_babel", None)


def _switch(client, code: str, next_url: str = "/"):
    return client.post(f"/idioma/{code}", data={"next": next_url})


# --- pages ---------------------------------------------------------------------------------------


def test_spanish_is_the_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="es-MX"' in html
    assert "Iniciar sesión" in html and "Correo electrónico" in html
    assert "Log in" not in html
    # The footer offers the other language only.
    assert ">English</button>" in html and ">Español</button>" not in html


def test_the_footer_switch_shows_english_on_the_next_page(client):
    client.get("/login")
    response = _switch(client, "en", "/login")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en"' in html
    assert "<h1>Log in</h1>" in html and "Email" in html and "Password" in html
    assert "Iniciar sesión" not in html
    assert ">Español</button>" in html and ">English</button>" not in html


def test_switching_back_to_spanish(client):
    _switch(client, "en", "/login")
    assert "<h1>Log in</h1>" in client.get("/login").get_data(as_text=True)
    _switch(client, "es_MX", "/login")
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="es-MX"' in html and "<h1>Iniciar sesión</h1>" in html


def test_form_errors_follow_the_language(client):
    response = client.post("/login", data={})
    assert response.status_code == 422
    assert "Escribe tu correo electrónico." in response.get_data(as_text=True)
    _switch(client, "en", "/login")
    response = client.post("/login", data={"email": "", "password": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter your email address." in html and "Enter your password." in html
    assert "Escribe tu correo" not in html


def test_a_failed_login_message_is_in_english(client, create_user):
    user = create_user("director")
    _switch(client, "en", "/login")
    response = client.post("/login", data={"email": user.email, "password": "not-the-password"})
    assert response.status_code == 401
    assert "Wrong email or password." in response.get_data(as_text=True)


def test_the_login_required_message_is_in_english(client):
    _switch(client, "en", "/login")
    response = client.get("/", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Log in to continue." in html and "Inicia sesión para continuar." not in html


def test_a_director_sees_the_home_page_in_english_and_the_choice_is_kept(client, login_as, db):
    user = login_as("director")
    assert f"Hola, {user.name}" in client.get("/").get_data(as_text=True)
    response = _switch(client, "en", "/")
    assert response.status_code == 302
    html = client.get("/").get_data(as_text=True)
    assert f"Hello, {user.name}" in html
    assert "My school" in html and "Record a problem" in html and "Log out" in html
    assert "School principal" in html  # the role label, from a lazy string in the model
    assert "Mi escuela" not in html
    assert db.session.get(User, user.id).locale == "en"


def test_the_language_travels_with_the_account(app, client, login_as, db):
    user = login_as("director")
    _switch(client, "en", "/")
    # Another browser: no language in its session, only the account's choice.
    other = app.test_client()
    with other.session_transaction() as sess:
        factories.log_in(sess, user)
    _new_request_state()
    html = other.get("/").get_data(as_text=True)
    assert '<html lang="en"' in html and f"Hello, {user.name}" in html


def test_an_account_language_wins_over_the_session(client, login_as):
    user = login_as("director", locale="en")
    _new_request_state()
    assert f"Hello, {user.name}" in client.get("/").get_data(as_text=True)


def test_service_errors_and_flashes_are_in_english(client, login_as, db):
    user = login_as("director")
    _switch(client, "en", "/")
    response = client.post(f"/escuelas/{user.school.cct}/problematicas/nueva", data={})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter the title of the problem." in html and "Describe the problem." in html
    assert "Escribe el título" not in html
    response = client.post("/logout", follow_redirects=True)
    assert "You logged out on all your browsers and devices." in response.get_data(as_text=True)


def test_error_pages_and_api_errors_are_in_english(client, login_as):
    login_as("director")
    _switch(client, "en", "/")
    response = client.get("/no-existe")
    assert response.status_code == 404
    assert "We could not find what you are looking for." in response.get_data(as_text=True)
    response = client.get("/api/v1/zones/22FIZ9999Z")
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == "There is no zone with that code (CCT)."


def test_an_unknown_language_is_404_and_changes_nothing(client):
    assert _switch(client, "fr", "/login").status_code == 404
    assert client.get("/idioma/en").status_code == 405
    assert '<html lang="es-MX"' in client.get("/login").get_data(as_text=True)


ENGLISH_PAGES = [
    # (who, page, a phrase the English page shows)
    ("director", "/", "Hello,"),
    ("director", "/escuelas/{school}", "Problems"),
    ("director", "/escuelas/{school}/problematicas", "Status"),
    ("director", "/escuelas/{school}/problematicas/nueva", "Grades affected"),
    ("director", "/problematicas/{problem}", "Change history"),
    ("director", "/problematicas/{problem}/editar", "Save changes"),
    ("director", "/invitaciones", "Invite a person"),
    ("director", "/cuenta/tokens", "Your tokens"),
    ("supervisor", "/zonas/{zone}", "Open problems by category"),
    ("supervisor", "/zonas/{zone}/agrupamientos", "Propose groupings"),
    ("supervisor", "/personas", "Principals and teachers of the schools in your zone."),
    ("admin", "/zonas", "School zones"),
    ("admin", "/catalogo/importar", "Catalogue file (CSV)"),
    ("admin", "/catalogo/importaciones", "Catalogue imports"),
    ("director", "/practicas", "Practice library"),
    ("director", "/practicas/{practice}", "How it went for those who adopted it"),
    ("director", "/escuelas/{school}/practicas/nueva", "Who can see it?"),
    ("supervisor", "/encuentros", "Learning-between-schools encounters"),
    ("supervisor", "/encuentros/{encounter}", "Groups"),
    ("director", "/escuelas/{school}/bitacora", "Logbook"),
    ("director", "/escuelas/{school}/compromisos", "Commitments"),
    ("supervisor", "/zonas/{zone}/tablero", "Encounters by status"),
    ("supervisor", "/zonas/{zone}/buenas-practicas", "Good practices of the zone"),
]


@pytest.mark.parametrize("who, page, phrase", ENGLISH_PAGES, ids=[p for _w, p, _f in ENGLISH_PAGES])
def test_the_finished_pages_render_in_english(client, login_as, db, who, page, phrase):
    """Every page of the finished areas renders with the English catalogue (no broken placeholder)."""
    school = factories.create_school()
    problem = factories.create_problem(school)
    practice = factories.create_practice(school)
    encounter = create_encounter(school.zone, [[school, factories.create_school(school.zone)]])
    director = factories.create_user("director", school=school)
    supervisor = factories.create_user("supervisor", zone=school.zone)
    admin = factories.create_user("admin")
    login_as({"director": director, "supervisor": supervisor, "admin": admin}[who])
    _switch(client, "en", "/")
    response = client.get(
        page.format(
            school=school.cct,
            zone=school.zone.cct,
            problem=problem.id,
            practice=practice.id,
            encounter=encounter.id,
        )
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:500]
    assert '<html lang="en"' in html and phrase in html


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "javascript:alert(1)"])
def test_the_switch_never_redirects_off_site(client, target):
    response = _switch(client, "en", target)
    assert response.status_code == 302 and response.headers["Location"] == "/"


# --- outside a request ---------------------------------------------------------------------------


def test_gettext_outside_a_request_falls_back_to_spanish(app, db):
    """The CLI and background imports have an app context and no request: the default language."""
    assert gettext("Zona %(number)s", number=5) == "Zona 5"
    zone = factories.create_zone(number=7)
    assert zone.label == "Zona 7"
    user = factories.create_user("director")
    assert user.role_label == "Dirección escolar" and isinstance(user.role_label, str)


def test_gettext_with_no_app_at_all_returns_the_source():
    assert gettext("Inicio") == "Inicio"


def test_labels_follow_the_forced_locale(app, db):
    user = factories.create_user("supervisor")
    with app.test_request_context("/"):
        with force_locale("en"):
            assert user.role_label == "Zone supervisor"
            assert user.zone.label.startswith("Zone ")
        assert user.role_label == "Supervisión de zona"


# --- the catalogue -------------------------------------------------------------------------------


def test_the_compiled_catalogue_is_current():
    assert MO.exists() and MO.stat().st_mtime >= PO.stat().st_mtime


def test_every_message_has_an_english_translation():
    catalog = _catalog()
    messages = [m for m in catalog if m.id]
    assert len(messages) > 300
    untranslated = [
        m.id for m in messages if not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    assert untranslated == []
    assert [m.id for m in messages if m.fuzzy] == []


def _placeholders(text: str) -> list[str]:
    return sorted(f"{name or ''}:{kind}" for name, kind in PLACEHOLDER.findall(text))


def test_placeholders_are_kept_in_every_translation():
    wrong = []
    for message in _catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = _placeholders(ids[-1])
        for string in strings:
            if _placeholders(string) != expected:
                wrong.append((ids[0], string))
    assert wrong == []


def test_the_finished_areas_are_fully_in_the_catalogue():
    """A string added to a finished area without re-extracting (and translating) fails here."""
    method_map = [("**.py", "python"), ("**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog() if m.id}
    missing = set()
    for target in FINISHED:
        path = ROOT / target
        if path.is_file():
            found = (
                (path.name, message)
                for _line, message, _comments, _context in extract_from_file(
                    "jinja2" if path.suffix == ".html" else "python", path, keywords=keywords
                )
            )
        else:
            found = (
                (filename, message)
                for filename, _line, message, _comments, _context in extract_from_dir(
                    path, method_map=method_map, keywords=keywords
                )
            )
        for filename, message in found:
            msgid = message if isinstance(message, str) else message[0]
            if msgid and msgid not in known:
                missing.add(f"{target}/{filename}: {msgid}")
    assert sorted(missing) == [], (
        "New strings: run `pybabel extract -F babel.cfg -k _l -k lazy_gettext -o "
        "app/translations/messages.pot .` then `pybabel update -i app/translations/messages.pot "
        "-d app/translations -l en`, and translate them in the .po"
    )
