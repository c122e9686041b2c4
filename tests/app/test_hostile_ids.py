"""Ids out of the range a table can hold name nothing: 404, never a database error (PostgreSQL's
INTEGER overflows at 2**31, SQLite's at 2**63)."""

from __future__ import annotations

import pytest

from app.validation import MAX_ID, parse_id

HUGE = [2**31, 2**63, 10**30]


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize(
    "path",
    [
        "/encuentros/{n}",
        "/encuentros/{n}/acta",
        "/compromisos/{n}",
        "/practicas/{n}",
        "/problematicas/{n}",
        "/catalogo/importaciones/{n}",
    ],
)
def test_pages_answer_404(client, login_as, path, number):
    login_as("admin")
    assert client.get(path.format(n=number)).status_code == 404


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize("path", ["/api/v1/problems/{n}", "/api/v1/practices/{n}"])
def test_the_api_answers_a_json_404(client, login_as, path, number):
    login_as("admin")
    response = client.get(path.format(n=number))
    assert response.status_code == 404 and response.is_json


def test_the_largest_id_is_still_an_id(client, login_as):
    login_as("admin")
    assert client.get(f"/encuentros/{MAX_ID}").status_code == 404  # looked up, not found
    assert parse_id(MAX_ID) == MAX_ID and parse_id(MAX_ID + 1) is None and parse_id(0) is None
