"""API tokens expire and have a scope (issue 16, finding 9): a read-only token cannot write, an
expired one is refused with the date it expired, and the token page offers both choices."""

from __future__ import annotations

from datetime import timedelta

from app.auth.models import ApiToken
from app.extensions import db
from app.problems.models import Problem
from tests.app.api.conftest import bearer
from tests.app.api.test_write import PROBLEM


def test_a_read_only_token_reads_but_cannot_write(client, world, make_token):
    raw = make_token(world.users["docente"], scope="lectura")
    assert client.get(f"/api/v1/problems/{world.problem.id}", headers=bearer(raw)).status_code == 200
    before = db.session.query(Problem).count()
    response = client.post(f"/api/v1/schools/{world.school.cct}/problems", json=PROBLEM, headers=bearer(raw))
    assert response.status_code == 403
    assert "solo lectura" in response.get_json()["error"]["message"]
    assert db.session.query(Problem).count() == before
    # The same person with a token that may write does write.
    writer = make_token(world.users["docente"], scope="lectura_escritura")
    done = client.post(f"/api/v1/schools/{world.school.cct}/problems", json=PROBLEM, headers=bearer(writer))
    assert done.status_code == 201


def test_an_expired_token_is_refused_with_its_date(client, world, make_token):
    raw = make_token(world.users["docente"], expires_in=timedelta(seconds=-1))
    response = client.get(f"/api/v1/problems/{world.problem.id}", headers=bearer(raw))
    assert response.status_code == 401
    message = response.get_json()["error"]["message"]
    assert "venció" in message and "pruebas" in message
    fresh = make_token(world.users["docente"], expires_in=timedelta(minutes=5))
    assert client.get(f"/api/v1/problems/{world.problem.id}", headers=bearer(fresh)).status_code == 200


def test_the_token_page_offers_scope_and_lifetime(client, login_as, world):
    user = login_as(world.users["docente"])
    page = client.get("/cuenta/tokens").get_data(as_text=True)
    assert 'name="scope"' in page and 'name="days"' in page and "Solo consultar" in page
    created = client.post("/cuenta/tokens", data={"name": "Tablero", "scope": "lectura", "days": "30"})
    assert created.status_code == 200
    token = db.session.query(ApiToken).filter_by(user_id=user.id, name="Tablero").one()
    assert token.read_only and timedelta(days=29) < token.expires_at - token.created_at <= timedelta(days=30)
    html = created.get_data(as_text=True)
    assert "Solo consultar" in html and "Vence" in html
    refused = client.post("/cuenta/tokens", data={"name": "Raro", "scope": "todo", "days": "7"})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "Elige cuánto tiempo funcionará el token" in body and 'value="Raro"' in body
    assert db.session.query(ApiToken).filter_by(name="Raro").count() == 0
