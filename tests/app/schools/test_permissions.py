"""Permission table of the schools area: every (role, page) cell is its own test."""

from __future__ import annotations

import pytest

from app.catalogue.models import ImportRun
from app.extensions import db as _db
from tests import factories

ROLES = [
    "anonymous",
    "admin",
    "supervisor_of_zone",
    "supervisor_other_zone",
    "director_of_school",
    "director_same_zone",
    "director_other_zone",
    "docente_of_school",
    "asesor_assigned",
    "asesor_not_assigned",
]

# Expected status per page; "zone" = redirect to the supervisor's own zone page.
LOGIN, OK, FORBIDDEN, ZONE = "login", 200, 403, "zone"
TABLE = {
    "zones": {
        "admin": OK,
        "supervisor_of_zone": ZONE,
        "supervisor_other_zone": ZONE,
        "asesor_assigned": OK,
        "asesor_not_assigned": OK,
    },
    "zone": {"admin": OK, "supervisor_of_zone": OK, "asesor_assigned": OK},
    # Everyone signed in opens a school's page: the others (another zone, an advisor not assigned)
    # get its public profile, without its records or people (tests/app/contacts/test_contacts.py).
    "school": {
        "admin": OK,
        "supervisor_of_zone": OK,
        "supervisor_other_zone": OK,
        "director_of_school": OK,
        "director_same_zone": OK,
        "director_other_zone": OK,
        "docente_of_school": OK,
        "asesor_assigned": OK,
        "asesor_not_assigned": OK,
    },
    "import_form": {"admin": OK},
    "import_post": {"admin": 422},  # allowed: the empty form is refused, not the person
    "import_runs": {"admin": OK},
    "import_run": {"admin": OK},
    "import_run_json": {"admin": OK},
}


def expected(page: str, role: str):
    if role == "anonymous":
        return LOGIN
    return TABLE[page].get(role, FORBIDDEN)


@pytest.fixture
def world(db):
    zone = factories.create_zone()
    other_zone = factories.create_zone()
    school = factories.create_school(zone)
    same_zone_school = factories.create_school(zone)
    other_school = factories.create_school(other_zone)
    run = ImportRun(filename="catalogo.csv", status="terminada")
    _db.session.add(run)
    _db.session.commit()
    return {
        "zone": zone,
        "other_zone": other_zone,
        "school": school,
        "same_zone_school": same_zone_school,
        "other_school": other_school,
        "run": run,
    }


def make_user(role: str, w: dict):
    create = factories.create_user
    if role == "admin":
        return create("admin")
    if role == "supervisor_of_zone":
        return create("supervisor", zone=w["zone"])
    if role == "supervisor_other_zone":
        return create("supervisor", zone=w["other_zone"])
    if role == "director_of_school":
        return create("director", school=w["school"])
    if role == "director_same_zone":
        return create("director", school=w["same_zone_school"])
    if role == "director_other_zone":
        return create("director", school=w["other_school"])
    if role == "docente_of_school":
        return create("docente", school=w["school"])
    user = create("asesor")
    if role == "asesor_assigned":
        user.advised_zones.append(w["zone"])
    else:
        user.advised_zones.append(w["other_zone"])
    _db.session.commit()
    return user


def request_page(client, page: str, w: dict):
    run_id = w["run"].id
    if page == "zones":
        return client.get("/zonas")
    if page == "zone":
        return client.get(f"/zonas/{w['zone'].cct}")
    if page == "school":
        return client.get(f"/escuelas/{w['school'].cct}")
    if page == "import_form":
        return client.get("/catalogo/importar")
    if page == "import_post":
        return client.post("/catalogo/importar", data={}, content_type="multipart/form-data")
    if page == "import_runs":
        return client.get("/catalogo/importaciones")
    if page == "import_run":
        return client.get(f"/catalogo/importaciones/{run_id}")
    return client.get(f"/catalogo/importaciones/{run_id}.json")


CASES = [pytest.param(page, role, id=f"{page}-{role}") for page in TABLE for role in ROLES]


@pytest.mark.parametrize("page,role", CASES)
def test_permission_table(client, login_as, world, page, role):
    user = None
    if role != "anonymous":
        user = login_as(make_user(role, world))
    response = request_page(client, page, world)
    want = expected(page, role)
    if want == LOGIN:
        assert response.status_code == 302
        assert "login" in response.headers["Location"]
    elif want == ZONE:
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/zonas/{user.zone.cct}")
    else:
        assert response.status_code == want, response.get_data(as_text=True)[:300]


def test_unknown_zone_school_and_run_are_404(client, login_as, db):
    login_as("admin")
    assert client.get("/zonas/22FIZ9999Z").status_code == 404
    assert client.get("/escuelas/22DPR9999Z").status_code == 404
    assert client.get("/catalogo/importaciones/999").status_code == 404
    assert client.get("/catalogo/importaciones/999.json").status_code == 404
