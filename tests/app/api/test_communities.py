"""Communities of practice through the API (issue 14): the same rules as the pages — anyone
reads a community and its schools, people's names only for members, members post and reply,
joining is once; bad bodies are 422 naming the field; read-only tokens cannot write."""

from __future__ import annotations

import pytest

from app.communities import services
from app.communities.models import CommunityPost
from app.extensions import db
from tests import factories
from tests.app.api.conftest import bearer


@pytest.fixture
def world(db):
    a = factories.create_school(factories.create_zone(), name="NIÑOS HÉROES")
    b = factories.create_school(factories.create_zone(), name="JUSTO SIERRA")
    factories.get_category("lectura-escritura")
    leader = factories.create_user("docente", school=b, name="Sol Ramírez")
    community = services.propose_community(
        {
            "name": "Lectura multigrado",
            "description": "Leer en grupos multigrado.",
            "categories": ["lectura-escritura"],
        },
        actor=leader,
    )
    db.session.commit()
    return {
        "community": community,
        "leader": leader,
        "teacher_a": factories.create_user("docente", school=a, name="Ana Ruiz"),
        "problem_a": factories.create_problem(a, title="Lectura en 2°"),
    }


@pytest.fixture
def token(make_token):
    return lambda user, scope="lectura_escritura": bearer(make_token(user, scope=scope))


def test_read_join_post_and_reply(client, world, token):
    w = world
    c = w["community"]
    ana = token(w["teacher_a"])
    listed = client.get("/api/v1/communities", headers=ana).get_json()
    assert [item["name"] for item in listed["items"]] == ["Lectura multigrado"]
    seen = client.get(f"/api/v1/communities/{c.id}", headers=ana).get_json()
    assert seen["member_schools"][0]["name"] == "JUSTO SIERRA" and "members" not in seen  # no names
    assert (
        client.post(f"/api/v1/communities/{c.id}/posts", json={"body": "Hola"}, headers=ana).status_code
        == 403
    )

    joined = client.post(f"/api/v1/communities/{c.id}/members", headers=ana)
    assert joined.status_code == 201 and joined.get_json()["is_member"] is True
    assert {m["name"] for m in joined.get_json()["members"]} == {"Sol Ramírez", "Ana Ruiz"}
    assert client.post(f"/api/v1/communities/{c.id}/members", headers=ana).status_code == 403  # once

    sent = client.post(
        f"/api/v1/communities/{c.id}/posts",
        json={"body": "Leemos en parejas", "problem_id": w["problem_a"].id},
        headers=ana,
    )
    assert sent.status_code == 201, sent.get_json()
    post_id = sent.get_json()["id"]
    reply = client.post(
        f"/api/v1/communities/{c.id}/posts",
        json={"body": "¿Cuántos minutos?", "parent_id": post_id},
        headers=token(w["leader"]),
    )
    assert reply.status_code == 201 and reply.get_json()["parent_id"] == post_id
    board = client.get(f"/api/v1/communities/{c.id}/posts", headers=ana).get_json()["items"]
    assert (
        board[0]["problem_id"] == w["problem_a"].id and board[0]["replies"][0]["body"] == "¿Cuántos minutos?"
    )
    assert client.get("/api/v1/communities/2147483648", headers=ana).status_code == 404


@pytest.mark.parametrize(
    "body, field",
    [
        ({"body": 5}, "body"),
        ({"body": ""}, "body"),
        ({"body": "x" * 3001}, "body"),
        ({"body": "Hola", "problem_id": "uno"}, "problem_id"),
        ({"body": "Hola", "parent_id": 999999}, "parent_id"),
    ],
)
def test_bad_bodies_are_422_naming_the_field(client, world, token, body, field):
    headers = token(world["leader"])
    response = client.post(f"/api/v1/communities/{world['community'].id}/posts", json=body, headers=headers)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    assert db.session.scalar(db.select(db.func.count(CommunityPost.id))) == 0


def test_a_read_only_token_cannot_join(client, world, token):
    response = client.post(
        f"/api/v1/communities/{world['community'].id}/members",
        headers=token(world["teacher_a"], scope="lectura"),
    )
    assert response.status_code == 403
