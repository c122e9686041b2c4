"""Permission table of the logbook pages and actions: each (role, page or action) cell is a test.

School A takes part in group 1 of the encounter (facilitated by `facilitator`); D is a school of the
same zone that does not take part.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from app.commitments import services as commitments
from app.commitments.models import Commitment, CommitmentNote
from app.dates import local_today
from app.extensions import db as _db
from tests.app.logbook.world import ROLE_USERS, ROLES, png_bytes

RUNNERS = {"admin", "supervisor_of_zone", "facilitator"}
PARTICIPANTS = {"director_of_school", "docente_of_school"}
LOGBOOK_VIEWERS = {
    "admin",
    "supervisor_of_zone",
    "director_of_school",
    "docente_of_school",
    "asesor_assigned",
}
EXPECTED = {
    "minutes": RUNNERS | PARTICIPANTS | {"asesor_assigned"},
    "minutes_pdf": RUNNERS | PARTICIPANTS | {"asesor_assigned"},
    "close": RUNNERS,
    "record_page": RUNNERS | PARTICIPANTS,
    "add_commitment": RUNNERS | PARTICIPANTS,
    "add_agreement": RUNNERS | PARTICIPANTS,
    "logbook": LOGBOOK_VIEWERS,
    "logbook_csv": LOGBOOK_VIEWERS,
    "logbook_pdf": LOGBOOK_VIEWERS,
    "add_note": {"admin", "director_of_school"},
    "commitments": LOGBOOK_VIEWERS,
    "commitment": LOGBOOK_VIEWERS,
    "commitment_note": {"admin", "supervisor_of_zone", "director_of_school", "docente_of_school"},
    "evidence": LOGBOOK_VIEWERS,
}
ALLOWED_STATUS = {
    "close": 302,
    "add_commitment": 302,
    "add_agreement": 302,
    "add_note": 302,
    "commitment_note": 302,
}


def _request(client, action, w, commitment, note):
    e, cct = w.encounter.id, w.a.cct
    due = (local_today() + timedelta(days=5)).isoformat()
    if action == "minutes":
        return client.get(f"/encuentros/{e}/acta")
    if action == "minutes_pdf":
        return client.get(f"/encuentros/{e}/acta.pdf")
    if action == "close":
        return client.post(f"/encuentros/{e}/cerrar")
    if action == "record_page":
        return client.get(f"/encuentros/{e}/registro")
    if action == "add_commitment":
        return client.post(
            f"/encuentros/{e}/compromisos",
            data={"school_id": str(w.a.id), "action": "Acción", "responsible": "Alguien", "due_date": due},
        )
    if action == "add_agreement":
        return client.post(
            f"/encuentros/{e}/acuerdos", data={"group_id": str(w.g1.id), "kind": "acuerdo", "text": "Acuerdo"}
        )
    if action == "logbook":
        return client.get(f"/escuelas/{cct}/bitacora")
    if action == "logbook_csv":
        return client.get(f"/escuelas/{cct}/bitacora?formato=csv")
    if action == "logbook_pdf":
        return client.get(f"/escuelas/{cct}/bitacora.pdf")
    if action == "add_note":
        return client.post(f"/escuelas/{cct}/bitacora/notas", data={"title": "Nota"})
    if action == "commitments":
        return client.get(f"/escuelas/{cct}/compromisos")
    if action == "commitment":
        return client.get(f"/compromisos/{commitment.id}")
    if action == "commitment_note":
        return client.post(
            f"/compromisos/{commitment.id}/notas", data={"body": "Avance", "status": "en_curso"}
        )
    return client.get(f"/compromisos/avances/{note.id}/evidencia")


@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_permission_table(client, login_as, world, commitment_data, role, action):
    w = world
    commitment = commitments.record_commitment(w.encounter, w.a, commitment_data(), actor=w.admin)
    _db.session.flush()
    from werkzeug.datastructures import FileStorage

    note = commitments.add_commitment_note(
        commitment, {"body": "Foto"}, FileStorage(io.BytesIO(png_bytes()), filename="f.png"), actor=w.admin
    )
    _db.session.commit()
    if role != "anonymous":
        login_as(getattr(w, ROLE_USERS[role]))
    response = _request(client, action, w, commitment, note)
    if role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role in EXPECTED[action]:
        assert response.status_code == ALLOWED_STATUS.get(action, 200), response.get_data(as_text=True)[:500]
    else:
        assert response.status_code == 403
    if action == "close":
        _db.session.refresh(w.encounter)
        assert (w.encounter.status == "concluido") == (role in EXPECTED[action])
    if action == "add_commitment":
        count = _db.session.query(Commitment).count()
        assert count == (2 if role in EXPECTED[action] else 1)
    if action == "commitment_note":
        assert _db.session.query(CommitmentNote).count() == (2 if role in EXPECTED[action] else 1)
