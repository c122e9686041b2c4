"""The OpenAPI document describes exactly the API's routes, and is a well-formed OpenAPI 3.1 document."""

from __future__ import annotations

import importlib.util
import re

import pytest

from app.api.openapi import build_openapi
from tests.conftest import require

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def document(client, db) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _api_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        assert rule.rule.startswith("/api/v1/")
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule[len("/api/v1") :])
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add((path, method.lower()))
    return routes


def _documented(document: dict) -> set[tuple[str, str]]:
    return {
        (path, method)
        for path, item in document["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }


def test_every_route_is_documented_and_nothing_else(app, document):
    routes = _api_routes(app)
    assert len(routes) == 33  # 24, the four of contact requests (issue 12), five of communities (issue 14)
    assert _documented(document) == routes


def _resolve(document: dict, ref: str):
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        assert part in node, f"unresolved $ref {ref}"
        node = node[part]
    return node


def _walk(node, found: list):
    if isinstance(node, dict):
        if "$ref" in node:
            found.append(node["$ref"])
        for value in node.values():
            _walk(value, found)
    elif isinstance(node, list):
        for value in node:
            _walk(value, found)


def test_every_ref_resolves(document):
    refs: list[str] = []
    _walk(document, refs)
    assert refs
    for ref in refs:
        _resolve(document, ref)


def test_structure(document):
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] and document["info"]["version"]
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert schemes["cookieAuth"]["type"] == "apiKey" and schemes["cookieAuth"]["in"] == "cookie"
    operation_ids = []
    for path, item in document["paths"].items():
        assert path.startswith("/")
        template_params = set(re.findall(r"{([a-z_]+)}", path))
        for method, operation in item.items():
            assert method in HTTP_METHODS
            operation_ids.append(operation["operationId"])
            assert operation["responses"], (path, method)
            for status, response in operation["responses"].items():
                assert re.fullmatch(r"[1-5]\d\d", status)
                response = _resolve(document, response["$ref"]) if "$ref" in response else response
                assert response["description"]
            params = [
                _resolve(document, p["$ref"]) if "$ref" in p else p for p in operation.get("parameters", [])
            ]
            for param in params:
                assert param["in"] in ("path", "query", "header", "cookie")
                assert "schema" in param
            path_params = {p["name"] for p in params if p["in"] == "path"}
            assert path_params == template_params, (path, method)
            assert all(p["required"] for p in params if p["in"] == "path")
            if method in ("post", "patch"):
                assert operation["requestBody"]["content"]["application/json"]["schema"]
    assert len(operation_ids) == len(set(operation_ids))


def test_collection_operations_document_pagination(document):
    for path, item in document["paths"].items():
        get = item.get("get")
        if get and "Page" in str(get["responses"]["200"]):
            names = {p.get("$ref", "").rsplit("/", 1)[-1] for p in get["parameters"]}
            assert {"page", "per_page"} <= names, path


def test_build_openapi_returns_a_copy():
    first = build_openapi()
    first["paths"].clear()
    assert build_openapi()["paths"]


def test_openapi_spec_validator_accepts_it(document):
    require(
        importlib.util.find_spec("openapi_spec_validator") is not None,
        "openapi-spec-validator is not installed (a dev dependency)",
    )
    from openapi_spec_validator import validate

    validate(document)


def _properties(document: dict, name: str) -> set[str]:
    schema = document["components"]["schemas"][name]
    parts = schema.get("allOf", [schema])
    keys: set[str] = set()
    for part in parts:
        part = _resolve(document, part["$ref"]) if "$ref" in part else part
        keys |= set(part.get("properties", {}))
    return keys


def test_responses_match_their_documented_schemas(client, login_as, world, document, db):
    """Every key a serialiser emits is documented, and every documented key is emitted."""
    login_as(world.users["director_sibling"])
    adoption = client.post(f"/api/v1/practices/{world.practice.id}/adoptions", json={}).get_json()
    from app.goodpractices import services as goodpractices
    from app.goodpractices.models import Recognition

    commitment_id = adoption["commitment_id"]
    narrative = goodpractices.create_narrative(
        world.school,
        {"title": "Relato", "faced": "a", "tried": "b", "happened": "c", "learned": "d"},
        actor=world.users["director"],
    )
    db.session.add(
        Recognition(
            practice_id=world.practice.id, zone_id=world.zone.id, rationale="Buena.", recognised_as="admin"
        )
    )
    db.session.commit()
    login_as(world.users["admin"])
    client.patch(f"/api/v1/commitments/{commitment_id}", json={"note": "Avance.", "status": "en_curso"})
    recognitions = client.get(f"/api/v1/practices/{world.practice.id}/recognitions").get_json()
    commitment = client.get(f"/api/v1/commitments/{commitment_id}").get_json()
    samples = {
        "Recognitions": recognitions,
        "Recognition": recognitions["items"][0],
        "Relato": client.get(f"/api/v1/relatos/{narrative.id}").get_json(),
        "Commitment": commitment,
        "CommitmentSummary": client.get(f"/api/v1/schools/{world.sibling.cct}/commitments").get_json()[
            "items"
        ][0],
        "CommitmentNote": commitment["notes"][0],
        "Me": client.get("/api/v1/me").get_json(),
        "Zone": client.get(f"/api/v1/zones/{world.zone.cct}").get_json(),
        "School": client.get(f"/api/v1/schools/{world.school.cct}").get_json(),
        "Problem": client.get(f"/api/v1/problems/{world.problem.id}").get_json(),
        "Practice": client.get(f"/api/v1/practices/{world.practice.id}").get_json(),
        "PracticeSummary": client.get("/api/v1/practices").get_json()["items"][0],
        "Category": client.get("/api/v1/categories").get_json()["items"][0],
        "Adoption": adoption,
    }
    for name, sample in samples.items():
        documented = _properties(document, name)
        assert set(sample) == documented, (name, set(sample) ^ documented)
