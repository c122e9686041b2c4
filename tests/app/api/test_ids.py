"""An id in an API path that no table can hold is a JSON 404 for every method, never a 405 or a 500."""

from __future__ import annotations

import pytest

from app.validation import MAX_ID
from tests.app.api.conftest import bearer

BAD_IDS = ["0", str(MAX_ID + 1), str(2**63), "01", "١", "²"]


@pytest.mark.parametrize("raw", BAD_IDS)
@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/api/v1/problems/{}"),
        ("PATCH", "/api/v1/problems/{}"),
        ("GET", "/api/v1/practices/{}"),
        ("PATCH", "/api/v1/practices/{}"),
        ("POST", "/api/v1/practices/{}/adoptions"),
        ("GET", "/api/v1/practices/{}/recognitions"),
        ("POST", "/api/v1/practices/{}/recognitions"),
        ("GET", "/api/v1/relatos/{}"),
        ("GET", "/api/v1/commitments/{}"),
        ("PATCH", "/api/v1/commitments/{}"),
    ],
)
def test_an_id_out_of_range_is_a_json_404(client, world, make_token, method, path, raw):
    headers = bearer(make_token(world.users["director"]))
    response = client.open(path.format(raw), method=method, json={}, headers=headers)
    assert response.status_code == 404, (method, raw, response.status_code)
    assert response.is_json and response.get_json()["error"]["status"] == 404


def test_the_largest_id_reaches_the_handler(client, world, make_token):
    headers = bearer(make_token(world.users["director"]))
    response = client.patch(f"/api/v1/problems/{MAX_ID}", json={}, headers=headers)
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == "No existe esa problemática."


def test_every_path_id_is_documented_with_the_tables_range(client, db):
    """Schemathesis tries the bounds the document gives: 2**31 must be outside them."""
    document = client.get("/api/v1/openapi.json").get_json()
    ids = [
        param
        for item in document["paths"].values()
        for operation in item.values()
        for param in operation.get("parameters", [])
        if param.get("in") == "path" and param["name"].endswith("_id")
    ]
    assert len(ids) == 16  # 10, two contact-request operations (issue 12), four of a community (issue 14)
    assert all(p["schema"] == {"type": "integer", "minimum": 1, "maximum": MAX_ID} for p in ids)
