"""Who may open each page and do each action of the auth area: one test per (action, role)."""

from __future__ import annotations

import pytest

from app.auth.models import Invitation, PasswordReset

ROLES = [
    "anonymous",
    "admin",
    "supervisor",
    "supervisor_other",
    "director",
    "director_sibling",
    "director_far",
    "docente",
    "asesor_assigned",
    "asesor_unassigned",
]

# action -> (method, path(cast), form data(cast), status when allowed, roles allowed)
ACTIONS = {
    "ver_invitaciones": (
        "GET",
        lambda c: "/invitaciones",
        None,
        200,
        {"admin", "supervisor", "supervisor_other", "director", "director_sibling", "director_far"},
    ),
    "invitar_director_de_la_escuela": (
        "POST",
        lambda c: "/invitaciones",
        lambda c: {"email": "nuevo@escuelas.test", "role": "director", "school_cct": c.school.cct},
        200,
        {"admin", "supervisor"},
    ),
    "invitar_docente_de_la_escuela": (
        "POST",
        lambda c: "/invitaciones",
        lambda c: {"email": "nuevo@escuelas.test", "role": "docente", "school_cct": c.school.cct},
        200,
        {"admin", "director"},
    ),
    "ver_personas": ("GET", lambda c: "/personas", None, 200, {"admin", "supervisor", "supervisor_other"}),
    "restablecer_al_director": (
        "POST",
        lambda c: f"/personas/{c.director.id}/restablecer",
        None,
        200,
        {"admin", "supervisor"},
    ),
    "desactivar_al_docente": (
        "POST",
        lambda c: f"/personas/{c.docente.id}/activa",
        lambda c: {"active": "0"},
        302,
        {"admin"},
    ),
    "asignar_escuelas_a_asesoria": (
        "GET",
        lambda c: f"/personas/{c.asesor_assigned.id}/asesoria",
        None,
        200,
        {"admin"},
    ),
    "tokens_de_api": ("GET", lambda c: "/cuenta/tokens", None, 200, set(ROLES) - {"anonymous"}),
}

CELLS = [pytest.param(action, role, id=f"{action}-{role}") for action in ACTIONS for role in ROLES]


def _written(db) -> tuple[int, int]:
    return db.session.query(Invitation).count(), db.session.query(PasswordReset).count()


@pytest.mark.parametrize("action, role", CELLS)
def test_permission_table(client, act_as, cast, db, action, role):
    method, path, data, allowed_status, allowed = ACTIONS[action]
    url = path(cast)  # create the target before logging in
    docente = cast.docente
    act_as(role)
    before = _written(db)
    response = client.open(url, method=method, data=data(cast) if data else None)
    if role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role in allowed:
        assert response.status_code == allowed_status, response.get_data(as_text=True)[:500]
        if allowed_status == 302:
            assert "/login" not in response.headers["Location"]
    else:
        assert response.status_code == 403
    db.session.refresh(docente)
    if role not in allowed:
        assert _written(db) == before
        assert docente.is_active is True
    elif action == "desactivar_al_docente":
        assert docente.is_active is False
    elif method == "POST":
        assert _written(db) != before
