"""The write side: problems, practices and adoptions through the services, committed once."""

from __future__ import annotations

from app.extensions import db
from app.practices.models import Adoption, Practice
from app.problems.models import Problem, ProblemChange
from tests.app.api.conftest import bearer

PROBLEM = {
    "title": "Comprensión lectora baja",
    "description": "En 3° y 4° no identifican la idea principal.",
    "grades": ["3°", "4°"],
    "causes": "Poca lectura en casa.",
    "school_year": "2025-2026",
    "categories": [
        {"code": "amb-aprovechamiento", "priority": "alta"},
        {"code": "lectura-escritura", "priority": "media"},
    ],
    "unknown_key": "ignored",
}


def test_create_problem(client, world, make_token):
    raw = make_token(world.users["docente"])
    response = client.post(f"/api/v1/schools/{world.school.cct}/problems", json=PROBLEM, headers=bearer(raw))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert response.headers["Location"] == body["url"] == f"/api/v1/problems/{body['id']}"
    assert body["title"] == PROBLEM["title"] and body["grades"] == ["3°", "4°"]
    assert body["status"] == "abierta" and body["school_year"] == "2025-2026"
    db.session.expire_all()
    stored = db.session.get(Problem, body["id"])
    assert stored.school_id == world.school.id and stored.created_by_id == world.users["docente"].id
    # the service wrote the history, and the route committed it
    assert [c.action for c in stored.changes] == ["creado"]


def test_patch_problem_changes_only_what_was_sent(client, login_as, world):
    login_as(world.users["director"])
    response = client.patch(
        f"/api/v1/problems/{world.problem.id}", json={"status": "en_atencion", "results": "Mejoró un poco."}
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "en_atencion" and body["results"] == "Mejoró un poco."
    assert body["title"] == world.problem.title
    db.session.expire_all()
    change = db.session.scalars(
        db.select(ProblemChange).where(
            ProblemChange.problem_id == world.problem.id, ProblemChange.action == "editado"
        )
    ).one()
    assert set(change.changes) == {"status", "results"}


def test_create_practice(client, login_as, world):
    login_as(world.users["director"])
    data = {
        "title": "Lectura en voz alta",
        "summary": "Diez minutos diarios.",
        "steps": "1. Leer.",
        "grades": ["3°"],
        "visibility": "todos",
        "categories": ["lectura-escritura"],
        "resources": [{"description": "Libros del rincón", "criterion": "materiales"}],
        "links": [{"url": "https://www.gob.mx/sep", "label": "SEP"}],
        "problem_id": world.problem.id,
    }
    response = client.post(f"/api/v1/schools/{world.school.cct}/practices", json=data)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert response.headers["Location"] == body["url"]
    assert body["visibility"] == "todos" and body["problem_id"] == world.problem.id
    assert body["resources"][0]["criterion"] == "materiales"
    assert body["links"][0]["url"] == "https://www.gob.mx/sep"
    assert body["author"]["id"] == world.users["director"].id
    db.session.expire_all()
    assert db.session.get(Practice, body["id"]).title == "Lectura en voz alta"


def test_patch_practice(client, login_as, world):
    login_as(world.users["docente"])
    response = client.patch(
        f"/api/v1/practices/{world.practice.id}",
        json={"visibility": "escuela", "results": "Más participación."},
    )
    assert response.status_code == 200, response.get_json()
    db.session.expire_all()
    practice = db.session.get(Practice, world.practice.id)
    assert (practice.visibility, practice.results) == ("escuela", "Más participación.")
    assert practice.title == "Rincón de matemáticas con material concreto"


def test_adopt_practice(client, world, make_token):
    raw = make_token(world.users["director_sibling"])
    response = client.post(
        f"/api/v1/practices/{world.practice.id}/adoptions",
        json={"outcome": "bueno", "notes": "Lo usamos en 2°."},
        headers=bearer(raw),
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["school"]["cct"] == world.sibling.cct and body["outcome"] == "bueno"
    db.session.expire_all()
    adoption = db.session.scalars(db.select(Adoption)).one()
    assert (adoption.practice_id, adoption.school_id) == (world.practice.id, world.sibling.id)
    detail = client.get(f"/api/v1/practices/{world.practice.id}", headers=bearer(raw)).get_json()
    assert [a["school"]["cct"] for a in detail["adoptions"]] == [world.sibling.cct]


def test_adopt_with_bad_outcome_is_422(client, login_as, world):
    login_as(world.users["director_sibling"])
    response = client.post(f"/api/v1/practices/{world.practice.id}/adoptions", json={"outcome": "excelente"})
    assert response.status_code == 422
    assert "outcome" in response.get_json()["error"]["fields"]
    assert db.session.scalar(db.select(db.func.count(Adoption.id))) == 0
