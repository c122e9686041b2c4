"""Issue 11 on /sala: a contribution's acknowledgement and event name its problem and activity; a
problem outside the group is refused in Spanish with nothing stored; a retry is stored once."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.live import events
from app.live.models import Contribution
from realtime.rooms import LIVE_NAMESPACE as NS

pytestmark = pytest.mark.usefixtures("db")


def emit(client, event, data):
    return client.emit(event, data, namespace=NS, callback=True)


def joined(sio_for, room, who):
    client = sio_for(room.people[who])
    ack = emit(client, "join", {"group_id": room.group.id})
    assert ack["ok"], ack
    return client, ack["snapshot"]


def received(client):
    got = [p["args"][0] for p in client.get_received(NS)]
    for event in got:
        events.check_shape(event)
    return got


def test_the_ack_and_the_event_name_the_chosen_problem_and_activity(room, sio_for, create_problem):
    other = create_problem(room.school_b, title="Asistencia irregular")
    f, _snap = joined(sio_for, room, "facilitador")
    a, snap = joined(sio_for, room, "docente_a")
    assert other.id in {p["id"] for p in snap["problems"]}  # offered to choose
    assert emit(f, "timer", {"group_id": room.group.id, "action": "next"})["ok"]  # A presents
    received(a)
    data = {
        "group_id": room.group.id,
        "client_id": "cp-1",
        "kind": "pregunta",
        "text": "¿Cómo registran las faltas?",
        "problem_id": other.id,
    }
    first = emit(a, "contribution_add", data)
    assert first["ok"], first
    assert first["contribution"]["problem_id"] == other.id
    assert first["contribution"]["activity"] == 2
    again = emit(a, "contribution_add", data)
    assert again["ok"] and again["duplicate"] is True
    assert again["contribution"]["id"] == first["contribution"]["id"]
    assert db.session.query(Contribution).filter_by(client_id="cp-1").count() == 1
    seen = [e for e in received(f) if e["type"] == "contribution"]
    assert len(seen) == 1
    assert (seen[0]["contribution"]["problem_id"], seen[0]["contribution"]["activity"]) == (other.id, 2)


def test_without_a_problem_while_a_school_presents_the_presented_one_is_used(room, sio_for):
    f, _snap = joined(sio_for, room, "facilitador")
    b, _snap = joined(sio_for, room, "docente_b")
    assert emit(f, "timer", {"group_id": room.group.id, "action": "next"})["ok"]
    ack = emit(
        b,
        "contribution_add",
        {"group_id": room.group.id, "client_id": "cp-2", "kind": "similitud", "text": "Nos pasa igual."},
    )
    assert ack["ok"] and ack["contribution"]["problem_id"] == room.problem.id


def test_a_problem_outside_the_group_is_refused_in_spanish(room, sio_for, create_problem):
    foreign = create_problem(room.school_c, title="Problema de otro grupo")
    b, _snap = joined(sio_for, room, "docente_b")
    received(b)
    ack = emit(
        b,
        "contribution_add",
        {
            "group_id": room.group.id,
            "client_id": "cp-3",
            "kind": "propuesta",
            "text": "Tutoría entre pares",
            "problem_id": foreign.id,
        },
    )
    assert ack["ok"] is False and ack["error"] == "invalido"
    assert ack["errors"] == {"problem_id": "La problemática no es de una escuela del grupo."}
    assert db.session.query(Contribution).count() == 0
    assert not [e for e in received(b) if e["type"] == "contribution"]
