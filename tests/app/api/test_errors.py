"""Every failure under /api/v1 is a JSON error of one shape, with the right status; never a 500."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.app.api.conftest import bearer


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


@pytest.fixture
def director(client, login_as, world):
    return login_as(world.users["director"])


@pytest.mark.parametrize(
    "payload, content_type",
    [
        ('{"title": ', "application/json"),
        ("title=x", "application/x-www-form-urlencoded"),
        (b"\xff\xfe", "application/json"),
        ("", "application/json"),
    ],
    ids=["truncated", "form", "not-utf8", "empty"],
)
def test_400_body_is_not_json(client, director, world, payload, content_type):
    response = client.post(
        f"/api/v1/schools/{world.school.cct}/problems", data=payload, content_type=content_type
    )
    _error(response, 400)


@pytest.mark.parametrize(
    "payload, named",
    [("[1, 2, 3]", "una lista"), ('"texto"', "texto"), ("null", "null"), ("5", "un número entero")],
    ids=["array", "string", "null", "number"],
)
def test_422_json_that_is_not_an_object(client, director, world, payload, named):
    """Well-formed JSON of the wrong type is a 422 saying what came instead (it used to be a 400)."""
    response = client.post(
        f"/api/v1/schools/{world.school.cct}/problems", data=payload, content_type="application/json"
    )
    error = _error(response, 422)
    assert error["fields"]["_"].endswith(f"no {named}.")


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=0",
        "page=-1",
        "per_page=abc",
        "per_page=0",
        "page=1.5",
        "page=99999999999999999999999",
    ],
)
def test_400_bad_pagination(client, director, query):
    error = _error(client.get(f"/api/v1/schools?{query}"), 400)
    assert set(error["fields"]) & {"page", "per_page"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/schools?level=universidad",
        "/api/v1/zones?level=x",
        "/api/v1/practices?level=x",
        "/api/v1/practices?with_evidence=quizas",
        "/api/v1/categories?facet=otra",
        "/api/v1/schools/22DPR0001A/problems?status=perdida",
    ],
)
def test_400_bad_filters(client, director, url):
    _error(client.get(url), 400)


def test_401(client, world):
    _error(client.get("/api/v1/zones"), 401)


def test_403(client, login_as, world):
    login_as(world.users["director_other_zone"])
    _error(client.get(f"/api/v1/problems/{world.problem.id}"), 403)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/zones/22FIZ9999X",
        "/api/v1/zones/22FIZ9999X/schools",
        "/api/v1/schools/22DPR9999X",
        "/api/v1/schools/22DPR9999X/problems",
        "/api/v1/problems/999999",
        "/api/v1/practices/999999",
        "/api/v1/no-existe",
        "/api/v1/problems/abc",
        "/api/v1/",
    ],
)
def test_404(client, director, url):
    _error(client.get(url), 404)


def test_404_on_writes(client, director):
    _error(client.patch("/api/v1/problems/999999", json={"title": "x"}), 404)
    _error(client.post("/api/v1/practices/999999/adoptions", json={}), 404)
    _error(client.post("/api/v1/schools/22DPR9999X/practices", json={}), 404)


def test_404_for_unknown_route_even_anonymous(client, db):
    _error(client.get("/api/v1/no-existe"), 404)


@pytest.mark.parametrize(
    "method, url",
    [
        ("DELETE", "/api/v1/problems/1"),
        ("PUT", "/api/v1/problems/1"),
        ("POST", "/api/v1/zones"),
        ("PATCH", "/api/v1/schools/22DPR0001A"),
    ],
)
def test_405(client, director, method, url):
    response = client.open(url, method=method, json={})
    _error(response, 405)
    assert method not in response.headers["Allow"] and "GET" in response.headers["Allow"]


def test_409_school_adopts_twice(client, login_as, world):
    login_as(world.users["director_sibling"])
    url = f"/api/v1/practices/{world.practice.id}/adoptions"
    assert client.post(url, json={"outcome": "en_proceso"}).status_code == 201
    _error(client.post(url, json={"outcome": "bueno"}), 409)


def test_413(app, client, director, world, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    body = {"title": "x", "description": "y" * 5000}
    _error(client.post(f"/api/v1/schools/{world.school.cct}/problems", json=body), 413)


def test_unexpected_failure_is_a_json_500(client, director, world, monkeypatch):
    """The last line of defence: a bug answers JSON, with no HTML and no traceback."""
    import app.api.schemas as schemas

    def broken(problem):
        raise RuntimeError("serialiser bug")

    monkeypatch.setattr(schemas, "problem_to_dict", broken)
    response = client.patch(f"/api/v1/problems/{world.problem.id}", json={"title": "Nuevo"})
    error = _error(response, 500)
    assert "serialiser bug" not in error["message"]


def test_422_fields(client, director, world):
    response = client.post(
        f"/api/v1/schools/{world.school.cct}/problems",
        json={"title": "", "categories": [{"code": "nope", "priority": "alta"}]},
    )
    error = _error(response, 422)
    assert {"title", "description", "categories"} <= set(error["fields"])


def test_422_practice(client, director, world):
    response = client.patch(
        f"/api/v1/practices/{world.practice.id}",
        json={"visibility": "secreta", "links": [{"url": "javascript:x"}]},
    )
    error = _error(response, 422)
    assert {"visibility", "links"} <= set(error["fields"])


def test_422_leaves_nothing_behind(client, director, world):
    from app.extensions import db
    from app.problems.models import Problem

    client.post(f"/api/v1/schools/{world.school.cct}/problems", json={"title": "solo título"})
    assert db.session.scalar(db.select(db.func.count(Problem.id))) == 1


TEXT = st.one_of(
    st.text(max_size=30),
    st.integers(),
    st.none(),
    st.booleans(),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)
PROBLEM_BODY = st.dictionaries(
    st.sampled_from(
        ["title", "description", "grades", "causes", "status", "school_year", "categories", "otro"]
    ),
    TEXT,
    max_size=6,
)
PRACTICE_BODY = st.dictionaries(
    st.sampled_from(
        [
            "title",
            "summary",
            "level",
            "grades",
            "visibility",
            "categories",
            "resources",
            "links",
            "problem_id",
        ]
    ),
    TEXT,
    max_size=6,
)
QUERY = st.dictionaries(
    st.sampled_from(
        ["page", "per_page", "q", "level", "zone", "category", "with_evidence", "status", "facet"]
    ),
    st.text(max_size=12),
    max_size=4,
)

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(body=PROBLEM_BODY)
def test_never_500_on_problem_writes(client, world, make_token_once, body):
    for method, url in (
        ("POST", f"/api/v1/schools/{world.school.cct}/problems"),
        ("PATCH", f"/api/v1/problems/{world.problem.id}"),
    ):
        response = client.open(url, method=method, json=body, headers=make_token_once)
        assert response.status_code in (200, 201, 400, 409, 422), response.get_json()
        assert response.is_json


@FUZZ
@given(body=PRACTICE_BODY)
def test_never_500_on_practice_writes(client, world, make_token_once, body):
    for method, url in (
        ("POST", f"/api/v1/schools/{world.school.cct}/practices"),
        ("PATCH", f"/api/v1/practices/{world.practice.id}"),
    ):
        response = client.open(url, method=method, json=body, headers=make_token_once)
        assert response.status_code in (200, 201, 400, 409, 422), response.get_json()
        assert response.is_json


@FUZZ
@given(query=QUERY)
def test_never_500_on_listings(client, world, make_token_once, query):
    for url in (
        "/api/v1/schools",
        "/api/v1/practices",
        "/api/v1/zones",
        "/api/v1/categories",
        f"/api/v1/schools/{world.school.cct}/problems",
    ):
        response = client.get(url, query_string=query, headers=make_token_once)
        assert response.status_code in (200, 400), response.get_json()
        assert response.is_json


@pytest.fixture
def make_token_once(world, make_token):
    """The director's bearer header (one token for all the examples of a hypothesis test)."""
    return bearer(make_token(world.users["director"]))


@pytest.mark.parametrize("value", ["²", "١٢", "٣"])
def test_unicode_digits_in_a_page_number_are_a_400_not_a_500(client, login_as, value):
    login_as("admin")
    response = client.get(f"/api/v1/zones?page={value}")
    assert response.status_code == 400 and response.is_json
