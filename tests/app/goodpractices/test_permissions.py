"""The permission table of good practices: each role × page or action, allowed or refused."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.goodpractices import services
from app.goodpractices.models import Recognition
from tests.app.goodpractices.helpers import published

ROLES = [
    "anonymous",
    "admin",
    "supervisor",
    "supervisor_other",
    "director",
    "director_same_zone",
    "director_other_zone",
    "docente",
    "asesor",
    "asesor_other",
]

# role -> allowed? for each page or action (the practice is of school A, zone A, visible to its zone).
TABLE = {
    "publish_commitment": {"admin", "director", "docente"},
    "recognise_practice": {"admin", "supervisor", "asesor"},
    "zone_good_practices": {"admin", "supervisor", "asesor", "director", "director_same_zone", "docente"},
    "zone_booklet_pdf": {"admin", "supervisor", "asesor", "director", "director_same_zone", "docente"},
    "zone_booklet_csv": {"admin", "supervisor", "asesor", "director", "director_same_zone", "docente"},
    "adopt_with_commitment": {"director_same_zone"},
    "new_narrative": {"admin", "director", "docente"},
    "read_narrative": {"admin", "supervisor", "asesor", "director", "director_same_zone", "docente"},
    "edit_narrative": {"admin", "director", "docente"},
    "evidence_thumbnail": {"admin", "supervisor", "asesor", "director", "director_same_zone", "docente"},
}
CASES = [(action, role) for action in TABLE for role in ROLES]


def _request(client, world, action, practice, narrative):
    zone = world.zone_a.cct
    if action == "publish_commitment":
        return client.get(f"/compromisos/{world.commitment.id}/publicar-practica")
    if action == "recognise_practice":
        return client.post(
            f"/practicas/{practice.id}/reconocer",
            data={"zone_id": world.zone_a.id, "rationale": "Buena evidencia."},
        )
    if action == "zone_good_practices":
        return client.get(f"/zonas/{zone}/buenas-practicas")
    if action == "zone_booklet_pdf":
        return client.get(f"/zonas/{zone}/buenas-practicas.pdf")
    if action == "zone_booklet_csv":
        return client.get(f"/zonas/{zone}/buenas-practicas.csv")
    if action == "adopt_with_commitment":
        return client.get(f"/practicas/{practice.id}/la-adoptamos")
    if action == "new_narrative":
        return client.get(f"/escuelas/{world.school_a.cct}/relatos/nuevo")
    if action == "read_narrative":
        return client.get(f"/relatos/{narrative.id}")
    if action == "edit_narrative":
        return client.get(f"/relatos/{narrative.id}/editar")
    if action == "evidence_thumbnail":
        return client.get(f"/evidencias/{practice.evidence[0].id}/miniatura")
    raise AssertionError(action)


@pytest.mark.parametrize(("action", "role"), CASES, ids=[f"{a}-{r}" for a, r in CASES])
def test_permission_table(client, login_as, world, action, role):
    if action == "publish_commitment":
        practice = None
    else:
        # Published first; publishing the same commitment is tested on a fresh one.
        practice = published(world)
    narrative = services.create_narrative(
        world.school_a,
        {
            "title": "Relato",
            "faced": "a",
            "tried": "b",
            "happened": "c",
            "learned": "d",
            "practice_id": practice.id if practice else None,
        },
        actor=world.people["docente"],
    )
    db.session.commit()
    if role != "anonymous":
        login_as(world.people[role])
    response = _request(client, world, action, practice, narrative)
    if role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role in TABLE[action]:
        assert response.status_code == (302 if action == "recognise_practice" else 200)
        if action == "recognise_practice":
            assert db.session.query(Recognition).filter_by(practice_id=practice.id).count() == 1
    else:
        assert response.status_code == 403
        if action == "recognise_practice":
            assert db.session.query(Recognition).count() == 0
