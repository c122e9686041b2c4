"""Permission table of the problems pages: each (role, page or action) cell is its own test."""

from __future__ import annotations

import pytest

from app.extensions import db as _db
from app.problems.models import Problem

ROLES = [
    "anonymous",
    "admin",
    "director_of_school",
    "docente_of_school",
    "director_same_zone",
    "director_other_zone",
    "supervisor_of_zone",
    "supervisor_other_zone",
    "asesor_assigned",
    "asesor_assigned_zone",
    "asesor_not_assigned",
]
ACTIONS = ["list", "detail", "new_get", "new_post", "edit_get", "edit_post", "set_status"]

VIEWERS = {
    "admin",
    "director_of_school",
    "docente_of_school",
    "director_same_zone",
    "supervisor_of_zone",
    "asesor_assigned",
    "asesor_assigned_zone",
}
EDITORS = {"admin", "director_of_school", "docente_of_school"}
EXPECTED = {action: (VIEWERS if action in ("list", "detail") else EDITORS) for action in ACTIONS}


def _actor(role, school, create_user, create_school):
    zone = school.zone
    if role == "anonymous":
        return None
    if role == "admin":
        return create_user("admin")
    if role == "director_of_school":
        return create_user("director", school=school)
    if role == "docente_of_school":
        return create_user("docente", school=school)
    if role == "director_same_zone":
        return create_user("director", school=create_school(zone))
    if role == "director_other_zone":
        return create_user("director")
    if role == "supervisor_of_zone":
        return create_user("supervisor", zone=zone)
    if role == "supervisor_other_zone":
        return create_user("supervisor")
    elsewhere = create_school() if role == "asesor_not_assigned" else None
    user = create_user("asesor")
    if role == "asesor_assigned":
        user.advised_schools.append(school)
    elif role == "asesor_assigned_zone":
        user.advised_zones.append(zone)
    else:
        user.advised_schools.append(elsewhere)
    _db.session.commit()
    return user


def _request(client, action, problem):
    cct = problem.school.cct
    data = {
        "title": "Título cambiado",
        "description": "Otra descripción",
        "grades": ["3°"],
        "status": "abierta",
        "school_year": "2025-2026",
        "ambito": "amb-practicas",
        "ambito_priority": "media",
        "area_convivencia": "alta",
    }
    if action == "list":
        return client.get(f"/escuelas/{cct}/problematicas")
    if action == "detail":
        return client.get(f"/problematicas/{problem.id}")
    if action == "new_get":
        return client.get(f"/escuelas/{cct}/problematicas/nueva")
    if action == "new_post":
        return client.post(f"/escuelas/{cct}/problematicas/nueva", data=data)
    if action == "edit_get":
        return client.get(f"/problematicas/{problem.id}/editar")
    if action == "edit_post":
        return client.post(f"/problematicas/{problem.id}/editar", data=data)
    return client.post(f"/problematicas/{problem.id}/estado", data={"status": "resuelta"})


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_permission_table(
    client, db, taxonomy, login_as, create_user, create_school, create_problem, role, action
):
    problem = create_problem(title="La problemática original")
    problem_id, school_id = problem.id, problem.school_id
    actor = _actor(role, problem.school, create_user, create_school)
    if actor is not None:
        login_as(actor)

    response = _request(client, action, problem)

    db.session.expire_all()
    stored = db.session.get(Problem, problem_id)
    count = db.session.execute(db.select(db.func.count(Problem.id))).scalar_one()
    if role == "anonymous":
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    elif role in EXPECTED[action]:
        assert response.status_code == (302 if action.endswith("post") or action == "set_status" else 200)
        if action == "new_post":
            assert count == 2
        elif action == "edit_post":
            assert stored.title == "Título cambiado"
        elif action == "set_status":
            assert stored.status == "resuelta"
        return
    else:
        assert response.status_code == 403
    # refused: nothing changed
    assert count == 1 and stored.title == "La problemática original" and stored.status == "abierta"
    assert stored.school_id == school_id
