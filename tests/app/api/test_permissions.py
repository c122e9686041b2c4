"""Permission table of the API: every role against every endpoint, each cell its own test.

Session-cookie authentication (CSRF is off in TestConfig; tests/app/api/test_auth.py turns it on).
"""

from __future__ import annotations

import pytest

from app import permissions
from app.api.routes import visible_schools_clause, visible_zones_clause
from app.catalogue.models import School, Zone
from app.extensions import db
from tests.app.api.conftest import ROLES

Y, N = "allowed", "refused"

VIEW_ZONE = {
    "admin": Y,
    "supervisor": Y,
    "supervisor_other": N,
    "director": Y,
    "director_sibling": Y,
    "director_other_zone": N,
    "docente": Y,
    "asesor": Y,
    "asesor_other": N,
}
VIEW_SCHOOL = dict(VIEW_ZONE)
RECORD = {
    "admin": Y,
    "supervisor": N,
    "supervisor_other": N,
    "director": Y,
    "director_sibling": N,
    "director_other_zone": N,
    "docente": Y,
    "asesor": N,
    "asesor_other": N,
}
ADOPT = {
    "admin": N,
    "supervisor": N,
    "supervisor_other": N,
    "director": N,
    "director_sibling": Y,
    "director_other_zone": N,
    "docente": N,
    "asesor": N,
    "asesor_other": N,
}
EVERYONE = {role: Y for role in ROLES if role != "anonymous"}


def _problem_body():
    return {
        "title": "Ausentismo en 1°",
        "description": "Faltan mucho los lunes.",
        "grades": ["1°"],
        "categories": [
            {"code": "amb-aprovechamiento", "priority": "alta"},
            {"code": "lectura-escritura", "priority": "media"},
        ],
    }


def _practice_body():
    return {
        "title": "Lectura en voz alta",
        "summary": "Diez minutos diarios de lectura.",
        "visibility": "zona",
        "categories": ["lectura-escritura"],
    }


# (name, method, url(world) -> str, json body or None, expected per role, success status)
ACTIONS = [
    ("me", "GET", lambda w: "/api/v1/me", None, EVERYONE, 200),
    ("categories", "GET", lambda w: "/api/v1/categories", None, EVERYONE, 200),
    ("zones", "GET", lambda w: "/api/v1/zones", None, EVERYONE, 200),
    ("schools", "GET", lambda w: "/api/v1/schools", None, EVERYONE, 200),
    ("practices", "GET", lambda w: "/api/v1/practices", None, EVERYONE, 200),
    ("zone", "GET", lambda w: f"/api/v1/zones/{w.zone.cct}", None, VIEW_ZONE, 200),
    ("zone_schools", "GET", lambda w: f"/api/v1/zones/{w.zone.cct}/schools", None, VIEW_ZONE, 200),
    ("school", "GET", lambda w: f"/api/v1/schools/{w.school.cct}", None, VIEW_SCHOOL, 200),
    ("school_problems", "GET", lambda w: f"/api/v1/schools/{w.school.cct}/problems", None, VIEW_SCHOOL, 200),
    (
        "create_problem",
        "POST",
        lambda w: f"/api/v1/schools/{w.school.cct}/problems",
        _problem_body,
        RECORD,
        201,
    ),
    ("problem", "GET", lambda w: f"/api/v1/problems/{w.problem.id}", None, VIEW_SCHOOL, 200),
    (
        "update_problem",
        "PATCH",
        lambda w: f"/api/v1/problems/{w.problem.id}",
        lambda: {"status": "en_atencion"},
        RECORD,
        200,
    ),
    (
        "create_practice",
        "POST",
        lambda w: f"/api/v1/schools/{w.school.cct}/practices",
        _practice_body,
        RECORD,
        201,
    ),
    ("practice", "GET", lambda w: f"/api/v1/practices/{w.practice.id}", None, VIEW_SCHOOL, 200),
    (
        "update_practice",
        "PATCH",
        lambda w: f"/api/v1/practices/{w.practice.id}",
        lambda: {"title": "Rincón renovado"},
        RECORD,
        200,
    ),
    (
        "adopt_practice",
        "POST",
        lambda w: f"/api/v1/practices/{w.practice.id}/adoptions",
        lambda: {"outcome": "bueno", "notes": "Funcionó en 3°."},
        ADOPT,
        201,
    ),
]

CASES = [pytest.param(role, action, id=f"{action[0]}-{role}") for action in ACTIONS for role in ROLES]


@pytest.mark.parametrize("role, action", CASES)
def test_permission_table(client, login_as, world, role, action):
    name, method, url, body, expected, ok_status = action
    if role != "anonymous":
        login_as(world.users[role])
    response = client.open(url(world), method=method, json=body() if body else None)
    assert response.is_json, response.get_data(as_text=True)[:200]
    if role == "anonymous":
        assert response.status_code == 401
        assert response.get_json()["error"]["status"] == 401
        return
    if expected[role] == Y:
        assert response.status_code == ok_status, response.get_json()
    else:
        assert response.status_code == 403, response.get_json()
        assert response.get_json()["error"]["status"] == 403


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_zone_and_school_queries_agree_with_permissions(world, role, create_school):
    """The SQL that lists zones and schools is the twin of app.permissions, for every pair."""
    create_school(with_zone=False, cct="22KPR0009Z")  # a school without a zone
    user = world.users[role]
    zones = db.session.scalars(db.select(Zone)).all()
    schools = db.session.scalars(db.select(School)).all()
    listed_zones = set(db.session.scalars(db.select(Zone.id).where(visible_zones_clause(user))))
    listed_schools = set(db.session.scalars(db.select(School.id).where(visible_schools_clause(user))))
    assert listed_zones == {z.id for z in zones if permissions.can_see_zone_summary(user, z)}
    assert listed_schools == {s.id for s in schools if permissions.can_view_school(user, s)}


@pytest.mark.parametrize(
    "role, expected",
    [
        ("admin", ["22FIZ0001A", "22FIZ0002B"]),
        ("supervisor", ["22FIZ0001A"]),
        ("supervisor_other", ["22FIZ0002B"]),
        ("director", ["22FIZ0001A"]),
        ("director_other_zone", ["22FIZ0002B"]),
        ("docente", ["22FIZ0001A"]),
        ("asesor", ["22FIZ0001A"]),
        ("asesor_other", ["22FIZ0002B"]),
    ],
)
def test_zones_listed_per_role(client, login_as, world, role, expected):
    login_as(world.users[role])
    body = client.get("/api/v1/zones").get_json()
    assert [z["cct"] for z in body["items"]] == expected
    assert body["total"] == len(expected)


@pytest.mark.parametrize(
    "role, expected",
    [
        ("admin", ["22DPR0001A", "22DPR0003C", "22DPR0002B"]),
        ("supervisor", ["22DPR0001A", "22DPR0002B"]),
        ("director_sibling", ["22DPR0001A", "22DPR0002B"]),
        ("director_other_zone", ["22DPR0003C"]),
        ("asesor", ["22DPR0001A"]),  # assigned to one school, not the zone
        ("asesor_other", ["22DPR0003C"]),
    ],
)
def test_schools_listed_per_role(client, login_as, world, role, expected):
    login_as(world.users[role])
    body = client.get("/api/v1/schools").get_json()
    assert [s["cct"] for s in body["items"]] == expected  # by name: BENITO, LEONA, MIGUEL


def test_asesor_of_one_school_sees_only_it_in_the_zone(client, login_as, world):
    login_as(world.users["asesor"])
    body = client.get(f"/api/v1/zones/{world.zone.cct}/schools").get_json()
    assert [s["cct"] for s in body["items"]] == [world.school.cct]
    assert client.get(f"/api/v1/schools/{world.sibling.cct}").status_code == 403


def test_school_visibility_practice_hidden_from_the_zone(client, login_as, world, create_practice):
    private = create_practice(world.school, visibility="escuela", title="Solo nuestra")
    login_as(world.users["director_sibling"])
    assert client.get(f"/api/v1/practices/{private.id}").status_code == 403
    titles = [p["title"] for p in client.get("/api/v1/practices").get_json()["items"]]
    assert "Solo nuestra" not in titles and world.practice.title in titles
