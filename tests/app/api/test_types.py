"""Wrong JSON types are a 422 naming the field, on every write endpoint (issue 12, "API gaps").

The services clean form input with ``str(value)``, so ``"title": 5`` used to be stored as the title
"5" and ``"description": ["x"]`` as "['x']". Each row below sends one otherwise valid body with one
field of the wrong type and expects a 422 whose ``fields`` names that field in Spanish, and nothing
written.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.api.openapi import build_openapi
from app.commitments.models import Commitment
from app.dates import local_today
from app.extensions import db
from app.goodpractices.models import Recognition
from app.goodpractices.services import record_school_commitment
from app.practices.models import Adoption, Evidence, Practice
from app.problems.models import Problem
from tests.app.api.conftest import bearer
from tests.app.api.test_write import PROBLEM

PRACTICE = {
    "title": "Lectura en voz alta",
    "summary": "Diez minutos diarios.",
    "categories": ["lectura-escritura"],
}

#: endpoint -> (method, path template, who writes, a valid body, the input schema of the document)
ENDPOINTS = {
    "createProblem": ("POST", "/api/v1/schools/{school}/problems", "docente", PROBLEM, "ProblemInput"),
    "updateProblem": ("PATCH", "/api/v1/problems/{problem}", "director", {"title": "Otro"}, "ProblemInput"),
    "createPractice": ("POST", "/api/v1/schools/{school}/practices", "director", PRACTICE, "PracticeInput"),
    "updatePractice": (
        "PATCH",
        "/api/v1/practices/{practice}",
        "director",
        {"title": "Otro"},
        "PracticeInput",
    ),
    "adoptPractice": (
        "POST",
        "/api/v1/practices/{practice}/adoptions",
        "director_sibling",
        {},
        "AdoptionInput",
    ),
    "recognisePractice": (
        "POST",
        "/api/v1/practices/{practice}/recognitions",
        "supervisor",
        {"rationale": "Resultados con evidencia."},
        "RecognitionInput",
    ),
    "updateCommitment": (
        "PATCH",
        "/api/v1/commitments/{commitment}",
        "director",
        {"note": "Ya empezamos.", "status": "en_curso"},
        "CommitmentUpdate",
    ),
}

#: A wrong value of each JSON type, and the word the message uses for it.
WRONG = {
    "string": ("texto", "x"),
    "integer": ("un número entero", 5),
    "number": ("un número", 1.5),
    "boolean": ("true o false", True),
    "array": ("una lista", ["x"]),
    "object": ("un objeto", {"a": 1}),
    "null": ("null", None),
}


def _types(schema: dict) -> set[str]:
    declared = schema.get("type", [])
    types = {declared} if isinstance(declared, str) else set(declared)
    return types | ({"integer"} if "number" in types else set())


def _rows():
    """Every field of every write endpoint, with every JSON type its schema does not allow."""
    schemas = build_openapi()["components"]["schemas"]
    rows = []
    for endpoint, (*_, schema_name) in ENDPOINTS.items():
        for field, schema in schemas[schema_name]["properties"].items():
            for json_type in sorted(set(WRONG) - _types(schema)):
                rows.append(pytest.param(endpoint, field, json_type, id=f"{endpoint}-{field}-{json_type}"))
    return rows


@pytest.fixture
def targets(world):
    """The ids the paths need: a practice that can be recognised (evidence and results) and a
    commitment of the school."""
    world.practice.results = "Mejoró la lectura."
    db.session.add(
        Evidence(
            practice_id=world.practice.id,
            original_name="foto.jpg",
            stored_name="foto-tipos.jpg",
            mime_type="image/jpeg",
            size=10,
        )
    )
    commitment = record_school_commitment(
        world.school,
        {
            "action": "Leer diez minutos diarios",
            "responsible": "Dirección",
            "due_date": (local_today() + timedelta(days=20)).isoformat(),
        },
        actor=world.users["director"],
    )
    db.session.commit()
    return {
        "school": world.school.cct,
        "problem": world.problem.id,
        "practice": world.practice.id,
        "commitment": commitment.id,
    }


def _counts() -> tuple:
    return tuple(
        db.session.scalar(db.select(db.func.count()).select_from(model))
        for model in (Problem, Practice, Adoption, Recognition)
    ) + (db.session.scalar(db.select(Commitment.status)),)


def _send(client, world, make_token, targets, endpoint, body):
    method, path, who, *_ = ENDPOINTS[endpoint]
    headers = bearer(make_token(world.users[who]))
    return client.open(path.format(**targets), method=method, json=body, headers=headers)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_valid_body_of_each_row_is_accepted(client, world, make_token, targets, endpoint):
    """The table's bodies are valid: a 422 below is the wrong type's doing, nothing else."""
    response = _send(client, world, make_token, targets, endpoint, ENDPOINTS[endpoint][3])
    assert response.status_code in (200, 201), response.get_json()


@pytest.mark.parametrize("endpoint, field, json_type", _rows())
def test_a_wrong_type_is_a_422_naming_the_field(
    client, world, make_token, targets, endpoint, field, json_type
):
    before = _counts()
    word, value = WRONG[json_type]
    body = {**ENDPOINTS[endpoint][3], field: value}
    response = _send(client, world, make_token, targets, endpoint, body)
    assert response.status_code == 422, (field, value, response.get_json())
    error = response.get_json()["error"]
    assert error["status"] == 422 and error["message"]
    assert f"«{field}» debe ser" in error["fields"][field] and error["fields"][field].endswith(f"no {word}.")
    db.session.expire_all()
    assert _counts() == before


@pytest.mark.parametrize(
    "endpoint, body, field, says",
    [
        ("createProblem", {**PROBLEM, "title": 5}, "title", "«title» debe ser texto, no un número entero."),
        (
            "updateProblem",
            {"description": ["x"]},
            "description",
            "«description» debe ser texto, no una lista.",
        ),
        ("updateProblem", {"title": None}, "title", "«title» debe ser texto, no null."),
        ("updateProblem", {"grades": "4°"}, "grades", "«grades» debe ser una lista, no texto."),
        (
            "updateProblem",
            {"categories": [{"code": 5, "priority": "alta"}]},
            "categories",
            "«categories[0].code» debe ser texto, no un número entero.",
        ),
        ("updateProblem", {"categories": [{"code": "x"}]}, "categories", "Falta «categories[0].priority»."),
        ("createPractice", {**PRACTICE, "summary": 12}, "summary", "«summary» debe ser texto"),
        ("updatePractice", {"links": {"url": "https://sep.gob.mx"}}, "links", "«links» debe ser una lista"),
        ("updatePractice", {"resources": ["libros"]}, "resources", "«resources[0]» debe ser un objeto"),
        (
            "updatePractice",
            {"problem_id": "3"},
            "problem_id",
            "«problem_id» debe ser un número entero o null",
        ),
        ("updatePractice", {"problem_id": True}, "problem_id", "no true o false."),
        ("updatePractice", {"title": "x" * 201}, "title", "«title» admite máximo 200 caracteres."),
        ("adoptPractice", {"notes": 3}, "notes", "«notes» debe ser texto o null"),
        ("recognisePractice", {"rationale": ["Buena"]}, "rationale", "«rationale» debe ser texto"),
        ("recognisePractice", {"rationale": "x" * 2001}, "rationale", "admite máximo 2000 caracteres"),
        ("updateCommitment", {"note": {"texto": "hola"}}, "note", "«note» debe ser texto, no un objeto."),
    ],
)
def test_the_message_names_the_field_and_the_type(
    client, world, make_token, targets, endpoint, body, field, says
):
    response = _send(client, world, make_token, targets, endpoint, body)
    assert response.status_code == 422, response.get_json()
    assert says in response.get_json()["error"]["fields"][field]


def test_every_wrong_field_is_named_at_once(client, world, make_token, targets):
    response = _send(
        client, world, make_token, targets, "createProblem", {**PROBLEM, "title": 5, "description": ["x"]}
    )
    assert set(response.get_json()["error"]["fields"]) == {"title", "description"}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("payload", ["[1]", '"x"', "3", "null"])
def test_a_body_that_is_not_an_object_is_a_422(client, world, make_token, targets, endpoint, payload):
    method, path, who, *_ = ENDPOINTS[endpoint]
    response = client.open(
        path.format(**targets),
        method=method,
        data=payload,
        content_type="application/json",
        headers=bearer(make_token(world.users[who])),
    )
    assert response.status_code == 422
    assert "objeto JSON" in response.get_json()["error"]["fields"]["_"]


def test_an_integer_is_still_a_number_and_unknown_keys_are_ignored(client, world, make_token, targets):
    response = _send(
        client, world, make_token, targets, "updatePractice", {"problem_id": world.problem.id, "otro": [1]}
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["problem_id"] == world.problem.id


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_never_500_on_the_new_writes(client, world, make_token, targets, data):
    """Random JSON in the fields of the recognition and the commitment's follow-up: an answer the
    document lists, never a 500."""
    for endpoint in ("recognisePractice", "updateCommitment"):
        *_, schema_name = ENDPOINTS[endpoint]
        fields = sorted(build_openapi()["components"]["schemas"][schema_name]["properties"]) + ["otro"]
        body = data.draw(st.dictionaries(st.sampled_from(fields), JSON_VALUE, max_size=4), label=endpoint)
        response = _send(client, world, make_token, targets, endpoint, body)
        # 400: a NUL character anywhere in the request is refused before the API (app-wide).
        assert response.status_code in (200, 201, 400, 403, 422), (body, response.get_json())
        assert response.is_json
