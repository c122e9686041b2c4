"""The login form in a real browser."""

from __future__ import annotations

import pytest

from tests.e2e.browser import login, shot
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_login_failure_shows_spanish_error_and_keeps_email(live_server, page, create_user):
    user = create_user("director", email="directora.prueba@escuelas.example.mx")

    login(page, live_server, user.email, "no-es-la-contraseña")

    assert page.get_by_text("Correo o contraseña incorrectos.").is_visible()
    assert page.get_by_label("Correo electrónico").input_value() == user.email
    assert page.get_by_label("Contraseña").input_value() == ""
    shot(page, "login-error")


def test_login_success_shows_the_user_name(live_server, page, create_user):
    user = create_user("docente", name="Mtra. Rocío Pérez Olvera", email="rocio.perez@escuelas.example.mx")

    login(page, live_server, user.email, PASSWORD)

    assert "/login" not in page.url
    assert page.get_by_text("Mtra. Rocío Pérez Olvera").first.is_visible()
