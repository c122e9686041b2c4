"""Schemathesis fuzzes every operation of the OpenAPI document against the app, in process (WSGI).

Each operation gets Schemathesis's coverage phase (boundary values: ids of 0 and 2**31, strings one
over maxLength, missing required fields, wrong types) and a bounded, derandomized fuzzing phase, so
a run takes the same cases every time and well under a minute. The caller is a director with a
bearer token (a person who can write) in a small world whose real CCTs and ids are swapped into
about half of the generated paths, so that cases reach the handlers and services, not just the 404.

What must hold for every case: no 5xx, and the response is one the document describes (its status,
content type, headers and body schema). Invalid input (negative mode) must never be accepted.
"""

from __future__ import annotations

import zlib
from datetime import timedelta

import pytest
import schemathesis
from flask import g
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.api.openapi import build_openapi
from app.dates import local_today
from app.extensions import db
from app.goodpractices.services import create_narrative, record_school_commitment
from tests import factories
from tests.app.api.conftest import bearer

schema = schemathesis.openapi.from_dict(build_openapi())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
MAX_EXAMPLES = 25


@pytest.fixture
def fuzz_world(world, make_token):
    """The director's token and the real keys of the world: CCTs, problem, practice, relato and
    commitment ids."""
    sibling_practice = factories.create_practice(world.sibling, visibility="zona")
    narrative = create_narrative(
        world.school,
        {"title": "Relato", "faced": "a", "tried": "b", "happened": "c", "learned": "d"},
        actor=world.users["director"],
    )
    commitment = record_school_commitment(
        world.school,
        {
            "action": "Leer",
            "responsible": "Dirección",
            "due_date": (local_today() + timedelta(days=9)).isoformat(),
        },
        actor=world.users["director"],
    )
    db.session.commit()
    return {
        # identity: the in-process transport hands back the body as sent, and Flask-Compress would
        # otherwise gzip it for the Accept-Encoding the client sends by default.
        "headers": {**bearer(make_token(world.users["director"])), "Accept-Encoding": "identity"},
        "cct": [world.school.cct, world.sibling.cct, world.zone.cct, world.far_school.cct],
        "problem_id": [world.problem.id],
        "practice_id": [world.practice.id, sibling_practice.id],
        "narrative_id": [narrative.id],
        "commitment_id": [commitment.id],
    }


def _use_real_keys(case, real: dict) -> None:
    """Swap a real key into about half of the generated path parameters (decided by the value's
    checksum, so the same case always gets the same swap). Never into a path made invalid on
    purpose (negative mode): a real id there would be a valid request still expected to fail."""
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH):
        return
    for name, value in (case.path_parameters or {}).items():
        choices = real.get(name)
        if not choices:
            continue
        digest = zlib.crc32(repr(value).encode())
        if digest % 2 == 0:
            case.path_parameters[name] = choices[(digest // 2) % len(choices)]


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_document(case, app, fuzz_world):
    _use_real_keys(case, fuzz_world)
    g.pop("_login_user", None)
    case.call_and_validate(app=app, headers=fuzz_world["headers"], checks=CHECKS)
