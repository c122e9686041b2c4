"""A query parameter that is present must be valid, empty or not (found by Schemathesis):
``?level=`` listed every level instead of saying the value is wrong."""

from __future__ import annotations

import pytest

from tests.app.api.conftest import bearer


@pytest.mark.parametrize("query", ["level=", "page=", "per_page=", "level=universidad", "page=0"])
def test_an_empty_or_wrong_parameter_is_a_400_naming_it(client, world, make_token, query):
    response = client.get(f"/api/v1/practices?{query}", headers=bearer(make_token(world.users["director"])))
    assert response.status_code == 400
    name = query.split("=")[0]
    assert name in response.get_json()["error"]["fields"]


def test_absent_parameters_keep_their_defaults(client, world, make_token):
    response = client.get("/api/v1/practices", headers=bearer(make_token(world.users["director"])))
    assert response.status_code == 200 and response.get_json()["page"] == 1
