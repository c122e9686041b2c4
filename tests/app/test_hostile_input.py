"""A NUL character anywhere in a request is refused with a clear 400, never a database error."""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize(
    "url",
    ["/practicas?q=lect%00ura", "/zonas?q=%00", "/escuelas/22DPR%000002G", "/api/v1/problems?q=a%00b"],
)
def test_nul_in_a_path_or_query_is_a_400(client, login_as, url):
    login_as("admin")
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert "nulo" in response.get_json()["error"]["message"]
    else:
        assert "carácter nulo" in response.get_data(as_text=True)


def test_nul_in_json_is_a_400_and_nothing_is_stored(client, login_as, db):
    from app.problems.models import Problem

    director = login_as("director")
    response = client.post(
        "/api/v1/problems",
        data=json.dumps({"school_cct": director.school.cct, "title": "Lectura\x00", "description": "x"}),
        content_type="application/json",
        headers={"X-CSRFToken": "x"},
    )
    assert response.status_code == 400 and response.is_json
    assert db.session.query(Problem).count() == 0


def test_nul_in_a_form_is_a_400_and_the_page_says_why(client, login_as):
    director = login_as("director")
    response = client.post(
        f"/escuelas/{director.school.cct}/problematicas/nueva", data={"title": "Lec\x00tura"}
    )
    assert response.status_code == 400
    assert "carácter nulo" in response.get_data(as_text=True)


def test_an_ordinary_request_passes(client, login_as):
    login_as("admin")
    assert client.get("/practicas?q=lectura").status_code == 200


@pytest.mark.parametrize("url", ["/login", "/api/v1/me", "/no-existe"])
def test_no_other_site_may_frame_a_page(client, db, url):
    response = client.get(url)
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_remember_me_lasts_thirty_days_not_a_year(client, create_user):
    from datetime import UTC, datetime, timedelta
    from email.utils import parsedate_to_datetime

    from tests import factories

    user = create_user("docente")
    response = client.post(
        "/login", data={"email": user.email, "password": factories.PASSWORD, "remember": "y"}
    )
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    assert timedelta(days=29) < expires - datetime.now(UTC) <= timedelta(days=30, minutes=1)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
