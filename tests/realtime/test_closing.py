"""The room after *Concluir* (issue 11): every client hears ``closed``; new writes are refused with a
Spanish message (``cerrado``); an offline write typed before the close is kept, marked, as the
acta's annex; a retry of what was stored before is still answered; observers stay refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.encounters.closing import close_encounter
from app.extensions import db
from app.live.models import Contribution
from app.logbook.models import Commitment, Minutes
from app.logbook.services import minutes_annexes
from app.utils import as_utc
from tests.realtime.test_namespace import emit, joined, received

pytestmark = pytest.mark.usefixtures("db")


def _contribution(room, client_id, **extra):
    return {
        "group_id": room.group.id,
        "client_id": client_id,
        "kind": "propuesta",
        "text": "Lectura compartida con las familias",
        **extra,
    }


def _close(room):
    close_encounter(room.encounter, actor=room.people["supervisor"])
    db.session.commit()
    return as_utc(room.encounter.closed_at)


def test_every_client_hears_closed_and_the_snapshot_says_so(room, sio_for):
    a, _ = joined(sio_for, room, "docente_a")
    b, _ = joined(sio_for, room, "docente_b")
    received(a), received(b)
    closed_at = _close(room)
    for client in (a, b):
        closed = [e for e in received(client) if e["type"] == "closed"]
        assert len(closed) == 1 and closed[0]["closed_at"] == closed_at.isoformat()
    snap = emit(a, "snapshot", {"group_id": room.group.id})["snapshot"]
    assert snap["state"]["closed_at"] == closed_at.isoformat()
    assert snap["encounter"]["status"] == "concluido"
    close_encounter(room.encounter, actor=room.people["supervisor"])  # again: no second event
    db.session.commit()
    assert not [e for e in received(a) if e["type"] == "closed"]


def test_writes_after_the_close_are_refused_in_spanish(room, sio_for):
    a, _ = joined(sio_for, room, "docente_a")
    f, _ = joined(sio_for, room, "facilitador")
    stored = emit(a, "contribution_add", _contribution(room, "antes-1"))
    assert stored["ok"]
    _close(room)
    refused = emit(a, "contribution_add", _contribution(room, "despues-1"))
    assert refused["ok"] is False and refused["error"] == "cerrado"
    assert "se concluyó" in refused["errors"]["_"] and "ya no se reciben registros" in refused["errors"]["_"]
    typed_later = (as_utc(room.encounter.closed_at) + timedelta(minutes=10)).isoformat()
    assert (
        emit(a, "contribution_add", _contribution(room, "despues-2", typed_at=typed_later))["error"]
        == "cerrado"
    )
    assert emit(f, "timer", {"group_id": room.group.id, "action": "start"})["error"] == "cerrado"
    assert emit(f, "turn", {"group_id": room.group.id, "school_id": room.school_b.id})["error"] == "cerrado"
    row_id = stored["contribution"]["id"]
    hide = emit(f, "contribution_hide", {"group_id": room.group.id, "contribution_id": row_id, "reason": "x"})
    assert hide["error"] == "cerrado"
    assert db.session.query(Contribution).filter(Contribution.client_id.like("despues-%")).count() == 0
    # the acknowledgement of what was stored before the close was lost: the retry is answered
    again = emit(a, "contribution_add", _contribution(room, "antes-1"))
    assert again["ok"] and again["duplicate"] and again["contribution"]["id"] == row_id


def test_an_offline_write_typed_before_the_close_is_kept_as_annex(room, sio_for):
    a, _ = joined(sio_for, room, "docente_a")
    b, _ = joined(sio_for, room, "director_b")
    closed_at = _close(room)
    minutes = db.session.execute(db.select(Minutes).filter_by(group_id=room.group.id)).scalar_one()
    frozen = (dict(minutes.content), minutes.content_hash, minutes.generated_at)
    received(a)
    typed = (closed_at - timedelta(minutes=4)).isoformat()
    late = emit(b, "contribution_add", _contribution(room, "offline-1", typed_at=typed))
    assert late["ok"] and late["duplicate"] is False
    assert late["contribution"]["after_close"] is True and late["contribution"]["typed_at"] == typed
    again = emit(b, "contribution_add", _contribution(room, "offline-1", typed_at=typed))
    assert again["ok"] and again["duplicate"] is True
    assert db.session.query(Contribution).filter_by(client_id="offline-1").count() == 1
    seen = [e for e in received(a) if e["type"] == "contribution"]
    assert len(seen) == 1 and seen[0]["contribution"]["after_close"] is True
    due = (date.today() + timedelta(days=20)).isoformat()
    commitment = {
        "group_id": room.group.id,
        "client_id": "offline-c1",
        "action": "Registro de lectura en casa",
        "responsible": "Director Beto",
        "due_date": due,
        "typed_at": typed,
    }
    stored = emit(b, "commitment_add", commitment)
    assert stored["ok"] and stored["commitment"]["after_close"] is True
    assert emit(b, "commitment_add", commitment)["duplicate"] is True
    assert db.session.query(Commitment).filter_by(client_id="offline-c1").count() == 1
    db.session.refresh(minutes)
    assert (minutes.content, minutes.content_hash, minutes.generated_at) == frozen
    annex = minutes_annexes(room.encounter)[room.group.id]
    assert [i["text"] for i in annex] == [
        "Lectura compartida con las familias",
        "Registro de lectura en casa",
    ]


def test_permissions_come_before_the_close(room, sio_for):
    observer, _ = joined(sio_for, room, "asesor_asignado")
    closed_at = _close(room)
    typed = (closed_at - timedelta(minutes=1)).isoformat()
    answer = emit(observer, "contribution_add", _contribution(room, "obs-1", typed_at=typed))
    assert answer["error"] == "prohibido"
    outsider = sio_for(room.people["director_otro_grupo"])
    assert emit(outsider, "join", {"group_id": room.group.id})["error"] == "prohibido"
