"""The encounter overview over the /sala namespace: who may watch, the summary a watcher receives
when a room changes, and the message to all groups reaching every room's clients."""

from __future__ import annotations

import pytest

from app.encounters.models import EncounterGroup
from app.extensions import db
from realtime.rooms import LIVE_NAMESPACE as NS

pytestmark = pytest.mark.usefixtures("db")


def emit(client, event, data):
    return client.emit(event, data, namespace=NS, callback=True)


def got(client, name):
    return [p["args"][0] for p in client.get_received(NS) if p["name"] == name]


@pytest.mark.parametrize("who", ["docente_a", "director_sede", "supervisor_otra_zona", "asesor_asignado"])
def test_who_does_not_run_the_encounter_cannot_watch_it(room, sio_for, who):
    client = sio_for(room.people[who])
    ack = emit(client, "watch", {"encounter_id": room.encounter.id})
    assert ack["ok"] is False and ack["error"] == "prohibido"
    # and hears nothing of the rooms afterwards
    teacher = sio_for(room.people["docente_a"])
    emit(teacher, "join", {"group_id": room.group.id})
    emit(
        teacher,
        "contribution_add",
        {"group_id": room.group.id, "client_id": "w-0", "kind": "pregunta", "text": "¿?"},
    )
    assert got(client, "overview_group") == []


def test_a_message_needs_the_same_right(room, sio_for):
    teacher = sio_for(room.people["docente_a"])
    ack = emit(teacher, "announce", {"encounter_id": room.encounter.id, "text": "Hola"})
    assert ack["ok"] is False and ack["error"] == "prohibido"


def test_unknown_or_malformed_encounter(room, sio_for):
    client = sio_for(room.people["supervisor"])
    assert emit(client, "watch", {"encounter_id": 999999})["error"] == "no_encontrado"
    assert emit(client, "watch", {"encounter_id": "x"})["error"] == "no_encontrado"
    assert emit(client, "watch", "nada")["error"] == "solicitud_invalida"


@pytest.mark.parametrize("who", ["supervisor", "admin", "facilitador"])
def test_the_watcher_gets_the_snapshot_then_a_summary_when_a_contribution_is_added(room, sio_for, who):
    watcher = sio_for(room.people[who])
    ack = emit(watcher, "watch", {"encounter_id": room.encounter.id})
    assert ack["ok"], ack
    card = next(g for g in ack["overview"]["groups"] if g["id"] == room.group.id)
    assert card["counts"]["contribution"] == 0
    watcher.get_received(NS)

    teacher = sio_for(room.people["docente_a"])
    emit(teacher, "join", {"group_id": room.group.id})
    added = emit(
        teacher,
        "contribution_add",
        {"group_id": room.group.id, "client_id": "w-1", "kind": "propuesta", "text": "Tutoría entre pares"},
    )
    assert added["ok"], added
    updates = got(watcher, "overview_group")
    presence, row = updates[0], updates[-1]
    assert presence["changes"]["present_school_ids"] == [room.school_a.id]
    assert row["group_id"] == room.group.id and row["encounter_id"] == room.encounter.id
    assert row["changes"] == {"row": {"type": "contribution", "id": added["contribution"]["id"]}}
    assert [u["version"] for u in updates] == list(
        range(card["version"] + 1, card["version"] + 1 + len(updates))
    )
    assert "Tutoría" not in repr(updates)  # the watcher gets counts, never the texts
    # the watcher is not in the group's room: it does not get the room's own events
    assert got(watcher, "contribution") == []


def test_a_message_to_all_groups_reaches_every_room(room, sio_for):
    other_group = db.session.execute(
        db.select(EncounterGroup).filter_by(encounter_id=room.encounter.id, position=2)
    ).scalar_one()
    in_group_1 = sio_for(room.people["docente_b"])
    in_group_2 = sio_for(room.people["director_otro_grupo"])
    outsider = sio_for(room.people["director_otra_zona"])
    assert emit(in_group_1, "join", {"group_id": room.group.id})["ok"]
    assert emit(in_group_2, "join", {"group_id": other_group.id})["ok"]
    for client in (in_group_1, in_group_2, outsider):
        client.get_received(NS)

    supervisor = sio_for(room.people["supervisor"])
    ack = emit(supervisor, "announce", {"encounter_id": room.encounter.id, "text": "Receso de 10 minutos"})
    assert ack["ok"] and ack["groups"] == 2
    for client, group_id in ((in_group_1, room.group.id), (in_group_2, other_group.id)):
        (message,) = got(client, "announcement")
        assert message["text"] == "Receso de 10 minutos" and message["group_id"] == group_id
        assert message["author_name"] == "Supervisora Ruiz"
    assert got(outsider, "announcement") == []


def test_an_empty_message_is_refused_in_spanish(room, sio_for):
    supervisor = sio_for(room.people["supervisor"])
    ack = emit(supervisor, "announce", {"encounter_id": room.encounter.id, "text": "  "})
    assert ack == {
        "ok": False,
        "error": "invalido",
        "errors": {"text": "Escribe el mensaje para los grupos."},
    }


def test_an_agreement_or_a_commitment_written_outside_the_room_reaches_the_watcher(room, sio_for):
    from app.commitments import services as commitment_services
    from app.logbook import services as logbook_services

    watcher = sio_for(room.people["supervisor"])
    assert emit(watcher, "watch", {"encounter_id": room.encounter.id})["ok"]
    watcher.get_received(NS)
    agreement = logbook_services.record_agreement(
        room.encounter, room.group, {"text": "Compartir materiales"}, actor=room.people["facilitador"]
    )
    commitment = commitment_services.record_commitment(
        room.encounter,
        room.school_b,
        {"action": "Club de lectura", "responsible": "Beto", "due_date": "2099-01-01"},
        actor=room.people["director_b"],
    )
    assert got(watcher, "overview_group") == []  # nothing before the commit
    db.session.commit()
    rows = [(u["version"], u["group_id"], u["changes"]["row"]) for u in got(watcher, "overview_group")]
    assert rows == [
        (None, room.group.id, {"type": "agreement", "id": agreement.id}),
        (None, room.group.id, {"type": "commitment", "id": commitment.id}),
    ]
