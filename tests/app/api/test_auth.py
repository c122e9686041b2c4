"""API authentication: bearer tokens, the session cookie, CSRF on session writes, never a redirect."""

from __future__ import annotations

import pytest

from app.auth.models import ApiToken
from app.extensions import db
from tests.app.api.conftest import bearer


@pytest.fixture
def csrf_on(app, monkeypatch):
    """Turn CSRF protection on for this test (TestConfig turns it off)."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def test_anonymous_gets_401_json_not_a_redirect(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.is_json
    assert response.get_json()["error"]["status"] == 401
    assert "Location" not in response.headers
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_good_token(client, world, make_token):
    raw = make_token(world.users["director"])
    response = client.get("/api/v1/me", headers=bearer(raw))
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == world.users["director"].id
    assert body["auth"] == "token"
    assert "csrf_token" not in body
    assert body["school"]["cct"] == world.school.cct


def test_token_records_last_use(client, world, make_token):
    raw = make_token(world.users["director"])
    client.get("/api/v1/zones", headers=bearer(raw))
    db.session.expire_all()
    token = db.session.scalars(db.select(ApiToken)).one()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [
        "Bearer not-a-real-token",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Token abc",
    ],
)
def test_bad_token_or_scheme_is_401(client, world, make_token, header):
    make_token(world.users["director"])
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.get_json()["error"]["status"] == 401


def test_revoked_token_is_401(client, world, make_token):
    raw = make_token(world.users["director"], revoked=True)
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_token_of_inactive_user_is_401(client, world, make_token):
    user = world.users["director"]
    raw = make_token(user)
    user.is_active = False
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_bad_token_is_refused_even_with_a_valid_session(client, login_as, world):
    login_as(world.users["director"])
    assert client.get("/api/v1/me").status_code == 200
    assert client.get("/api/v1/me", headers=bearer("nope")).status_code == 401


def test_token_acts_as_its_owner_not_as_the_session(client, login_as, world, make_token):
    login_as(world.users["admin"])
    raw = make_token(world.users["director_other_zone"])
    response = client.get(f"/api/v1/schools/{world.school.cct}", headers=bearer(raw))
    assert response.status_code == 403


def test_session_auth(client, login_as, world):
    login_as(world.users["supervisor"])
    body = client.get("/api/v1/me").get_json()
    assert body["auth"] == "session"
    assert body["role"] == "supervisor"
    assert body["zone"]["cct"] == world.zone.cct


def test_inactive_session_user_is_401(client, login_as, world):
    user = world.users["director"]
    login_as(user)
    user.is_active = False
    db.session.commit()
    assert client.get("/api/v1/me").status_code == 401


def test_openapi_document_is_public(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["openapi"].startswith("3.1")


def _problem():
    return {
        "title": "Lectura lenta",
        "description": "Leen pocas palabras por minuto.",
        "categories": [
            {"code": "amb-aprovechamiento", "priority": "alta"},
            {"code": "lectura-escritura", "priority": "alta"},
        ],
    }


def test_session_write_without_csrf_header_is_refused(client, login_as, world, csrf_on):
    login_as(world.users["director"])
    response = client.post(f"/api/v1/schools/{world.school.cct}/problems", json=_problem())
    assert response.status_code == 400
    assert "X-CSRFToken" in response.get_json()["error"]["message"]
    patch = client.patch(f"/api/v1/problems/{world.problem.id}", json={"title": "Otro"})
    assert patch.status_code == 400
    db.session.expire_all()
    assert world.problem.title != "Otro"


def test_session_write_with_wrong_csrf_header_is_refused(client, login_as, world, csrf_on):
    login_as(world.users["director"])
    client.get("/api/v1/me")
    response = client.post(
        f"/api/v1/schools/{world.school.cct}/problems", json=_problem(), headers={"X-CSRFToken": "forged"}
    )
    assert response.status_code == 400


def test_session_write_with_csrf_header_from_me(client, login_as, world, csrf_on):
    login_as(world.users["director"])
    token = client.get("/api/v1/me").get_json()["csrf_token"]
    response = client.post(
        f"/api/v1/schools/{world.school.cct}/problems", json=_problem(), headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201, response.get_json()


def test_session_reads_need_no_csrf_header(client, login_as, world, csrf_on):
    login_as(world.users["director"])
    assert client.get(f"/api/v1/problems/{world.problem.id}").status_code == 200


def test_token_writes_need_no_csrf(client, world, make_token, csrf_on):
    raw = make_token(world.users["director"])
    response = client.post(
        f"/api/v1/schools/{world.school.cct}/problems", json=_problem(), headers=bearer(raw)
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["created_by"]["id"] == world.users["director"].id
