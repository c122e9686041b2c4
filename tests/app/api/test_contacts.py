"""Contact requests through the API (issue 12): the same rules as the pages — only a director of
another school writes, both directors read and reply, others get 403; bad bodies are 422 naming
the field; read-only tokens cannot write."""

from __future__ import annotations

import pytest

from app.contacts.models import ContactRequest
from app.extensions import db
from tests import factories
from tests.app.api.conftest import bearer


@pytest.fixture
def world(db):
    a = factories.create_school(factories.create_zone(), name="NIÑOS HÉROES")
    b = factories.create_school(factories.create_zone(), name="JUSTO SIERRA")
    return {
        "a": a,
        "b": b,
        "dir_a": factories.create_user("director", school=a),
        "dir_b": factories.create_user("director", school=b),
        "teacher_b": factories.create_user("docente", school=b),
        "practice_b": factories.create_practice(b, title="Tutoría entre pares", visibility="todos"),
    }


@pytest.fixture
def token(make_token):
    return lambda user, scope="lectura_escritura": bearer(make_token(user, scope=scope))


def test_write_read_and_reply(client, world, token):
    w = world
    a_headers, b_headers = token(w["dir_a"]), token(w["dir_b"])
    sent = client.post(
        f"/api/v1/schools/{w['b'].cct}/contact-requests",
        json={"message": "¿Nos cuentan cómo forman las parejas?", "about": f"practica-{w['practice_b'].id}"},
        headers=a_headers,
    )
    assert sent.status_code == 201, sent.get_json()
    body = sent.get_json()
    assert body["practice_id"] == w["practice_b"].id and body["status"] == "enviada"
    assert sent.headers["Location"].endswith(f"/api/v1/contact-requests/{body['id']}")
    assert [m["body"] for m in body["messages"]] == ["¿Nos cuentan cómo forman las parejas?"]

    listed = client.get("/api/v1/contact-requests", headers=b_headers).get_json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    reply = client.post(
        f"/api/v1/contact-requests/{body['id']}/replies",
        json={"message": "Los jueves, por afinidad."},
        headers=b_headers,
    )
    assert reply.status_code == 201 and reply.get_json()["status"] == "respondida"
    assert (
        len(client.get(f"/api/v1/contact-requests/{body['id']}", headers=a_headers).get_json()["messages"])
        == 2
    )

    teacher = token(w["teacher_b"])
    assert client.get(f"/api/v1/contact-requests/{body['id']}", headers=teacher).status_code == 403
    assert (
        client.post(
            f"/api/v1/schools/{w['a'].cct}/contact-requests",
            json={"message": "Hola a todos"},
            headers=teacher,
        ).status_code
        == 403
    )
    assert client.get("/api/v1/contact-requests/2147483648", headers=a_headers).status_code == 404


@pytest.mark.parametrize(
    "body, field",
    [
        ({"message": 5}, "message"),
        ({"message": ["x"]}, "message"),
        ({"message": "corto"}, "message"),
        ({"message": "x" * 1501}, "message"),
        ({"message": "Un mensaje bastante largo", "about": 7}, "about"),
        ({"message": "Un mensaje bastante largo", "about": "problema-999999"}, "about"),
    ],
)
def test_bad_bodies_are_422_naming_the_field(client, world, token, body, field):
    response = client.post(
        f"/api/v1/schools/{world['b'].cct}/contact-requests", json=body, headers=token(world["dir_a"])
    )
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    assert db.session.scalar(db.select(db.func.count(ContactRequest.id))) == 0


def test_a_read_only_token_cannot_write(client, world, token):
    response = client.post(
        f"/api/v1/schools/{world['b'].cct}/contact-requests",
        json={"message": "¿Podemos platicar un día?"},
        headers=token(world["dir_a"], scope="lectura"),
    )
    assert response.status_code == 403
