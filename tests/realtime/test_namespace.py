"""The /sala namespace through Flask-SocketIO's test client: connection auth, acknowledgements,
duplicate ids, limits, removal and disabled accounts, event shapes and resynchronisation."""

from __future__ import annotations

import time
import uuid
from datetime import date, timedelta

import pytest

from app.encounters.models import EncounterSchool
from app.extensions import db, socketio
from app.live import events
from app.live.models import Contribution
from app.logbook.models import Commitment
from realtime import namespaces, ratelimit
from realtime.auth import disconnect_user
from realtime.rooms import LIVE_NAMESPACE as NS

pytestmark = pytest.mark.usefixtures("db")


def emit(client, event, data):
    return client.emit(event, data, namespace=NS, callback=True)


def joined(sio_for, room, who):
    client = sio_for(room.people[who])
    ack = emit(client, "join", {"group_id": room.group.id})
    assert ack["ok"], ack
    return client, ack["snapshot"]


def dropped(client, timeout: float = 2.0) -> bool:
    """Whether the server ends ``client``'s connection soon: a refusal answers first, then
    disconnects (namespaces.DROP_DELAY later), so that the client reads the answer."""
    deadline = time.monotonic() + timeout
    while client.is_connected(NS):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def received(client):
    """The events a client got, checked against realtime/events.py's shapes."""
    got = [p["args"][0] for p in client.get_received(NS)]
    for event in got:
        events.check_shape(event)
    return got


def test_anonymous_connection_is_refused(sio_for):
    assert not sio_for(None).is_connected(NS)


def test_logged_in_connection_is_accepted_but_joining_needs_the_right(room, sio_for):
    outsider = sio_for(room.people["director_otra_zona"])
    assert outsider.is_connected(NS)
    ack = emit(outsider, "join", {"group_id": room.group.id})
    assert ack == {"ok": False, "error": "prohibido", "errors": {}}
    assert dropped(outsider)  # refused join: disconnected (after the answer)


def test_foreign_origin_handshake_is_refused(app, client):
    foreign = client.get("/socket.io/?EIO=4&transport=polling", headers={"Origin": "http://evil.example"})
    assert foreign.status_code == 400
    same = client.get("/socket.io/?EIO=4&transport=polling", headers={"Origin": "http://localhost"})
    assert same.status_code == 200 and same.data.startswith(b"0{")


def test_cors_is_never_wildcard(app):
    assert socketio.server.eio.cors_allowed_origins in (None, [])


def test_events_need_a_join_first(room, sio_for):
    client = sio_for(room.people["docente_a"])
    ack = emit(
        client,
        "contribution_add",
        {"group_id": room.group.id, "client_id": "c-1", "kind": "pregunta", "text": "¿Cómo?"},
    )
    assert ack["error"] == "sin_unirse"
    assert db.session.query(Contribution).count() == 0


def test_bad_payloads_are_answered_not_raised(room, sio_for):
    client, _ = joined(sio_for, room, "docente_a")
    assert emit(client, "slide", "nada")["error"] == "solicitud_invalida"
    assert emit(client, "slide", {"group_id": "x"})["error"] == "no_encontrado"
    assert emit(client, "slide", {"group_id": 999999})["error"] == "no_encontrado"
    # An id no table can hold (an INTEGER overflow on PostgreSQL) is answered like any unknown one.
    assert emit(client, "slide", {"group_id": 2**31})["error"] == "no_encontrado"
    assert emit(client, "slide", {"group_id": 2**70})["error"] == "no_encontrado"


def test_join_returns_a_snapshot_and_everyone_sees_presence(room, sio_for):
    a, snap_a = joined(sio_for, room, "docente_a")
    assert snap_a["me"]["can_participate"] and not snap_a["me"]["can_facilitate"]
    assert [s["cct"] for s in snap_a["schools"]] == [room.school_a.cct, room.school_b.cct]
    b, snap_b = joined(sio_for, room, "docente_b")
    assert snap_b["version"] == snap_a["version"] + 1
    presence = [e for e in received(a) if e["type"] == "presence"]
    assert presence[-1]["version"] == snap_b["version"]
    # who joined, not the whole list (issue 15); applied to Ana's snapshot, both are online
    bruno = room.people["docente_b"]
    assert presence[-1]["joined"] == {
        "user_id": bruno.id,
        "name": "Maestro Bruno",
        "school_id": room.school_b.id,
    }
    assert presence[-1]["left"] is None and "online" not in presence[-1]
    assert presence[-1]["present_school_ids"] == sorted([room.school_a.id, room.school_b.id])
    after = events.apply_event(snap_a, presence[-1])
    assert {p["name"] for p in after["state"]["online"]} == {"Maestra Ana", "Maestro Bruno"}
    assert after["state"] == snap_b["state"]


def test_contribution_ack_and_duplicate_client_id(room, sio_for):
    a, _ = joined(sio_for, room, "docente_a")
    b, _ = joined(sio_for, room, "docente_b")
    received(a), received(b)
    data = {
        "group_id": room.group.id,
        "client_id": "5b0e-uuid",
        "kind": "similitud",
        "text": "En nuestra escuela pasa lo mismo en 4°.",
    }
    first = emit(b, "contribution_add", data)
    again = emit(b, "contribution_add", data)
    assert first["ok"] and again["ok"]
    assert first["duplicate"] is False and again["duplicate"] is True
    assert again["contribution"] == first["contribution"]
    assert db.session.query(Contribution).filter_by(client_id="5b0e-uuid").count() == 1
    seen = [e for e in received(a) if e["type"] == "contribution"]
    assert len(seen) == 1 and seen[0]["contribution"]["text"] == data["text"]


def test_commitment_ack_duplicate_and_lands_in_the_logbook_table(room, sio_for):
    a, _ = joined(sio_for, room, "director_b")
    due = (date.today() + timedelta(days=30)).isoformat()
    data = {
        "group_id": room.group.id,
        "client_id": "comp-1",
        "action": "Círculos de lectura diarios",
        "responsible": "Maestro Bruno",
        "due_date": due,
        "follow_up": "Registro semanal",
        "needs_external_advice": True,
    }
    first = emit(a, "commitment_add", data)
    again = emit(a, "commitment_add", data)
    assert first["ok"] and again["duplicate"] and again["commitment"]["id"] == first["commitment"]["id"]
    stored = db.session.query(Commitment).filter_by(client_id="comp-1").one()
    assert stored.school_id == room.school_b.id and stored.needs_external_advice
    assert stored.group_id == room.group.id and stored.encounter_id == room.encounter.id


def test_invalid_commitment_is_an_error_ack_and_stores_nothing(room, sio_for):
    a, _ = joined(sio_for, room, "director_b")
    ack = emit(
        a,
        "commitment_add",
        {
            "group_id": room.group.id,
            "client_id": "comp-x",
            "action": "",
            "responsible": "",
            "due_date": "mañana",
        },
    )
    assert ack["error"] == "invalido" and {"action", "responsible", "due_date"} <= set(ack["errors"])
    assert db.session.query(Commitment).count() == 0
    assert [e for e in received(a) if e["type"] == "commitment"] == []


def test_text_length_limit(room, sio_for):
    a, _ = joined(sio_for, room, "docente_a")
    ack = emit(
        a,
        "contribution_add",
        {"group_id": room.group.id, "client_id": "long", "kind": "pregunta", "text": "x" * 2001},
    )
    assert ack["error"] == "invalido" and "text" in ack["errors"]


def test_message_size_limit_is_configured(app):
    assert socketio.server.eio.max_http_buffer_size == app.config.get(
        "SOCKETIO_MAX_MESSAGE_BYTES", namespaces.DEFAULT_MAX_MESSAGE_BYTES
    )


def test_rate_limit_answers_with_an_error_and_keeps_the_connection(app, room, sio_for, monkeypatch):
    monkeypatch.setitem(app.config, "LIVE_EVENTS_PER_SECOND", 0.001)
    monkeypatch.setitem(app.config, "LIVE_EVENTS_BURST", 4)  # connect, join, 2 hands
    monkeypatch.setitem(app.extensions, "aee_live_limits", ratelimit.LiveLimits(app.config))
    a, _ = joined(sio_for, room, "docente_a")
    answers = [emit(a, "hand", {"group_id": room.group.id, "action": "raise"}) for _ in range(4)]
    assert [x["ok"] for x in answers[:2]] == [True, True]
    assert answers[-1]["error"] == "demasiados_eventos"
    assert a.is_connected(NS)


def test_disabled_account_is_disconnected_on_its_next_event(room, sio_for):
    a, _ = joined(sio_for, room, "docente_a")
    user = room.people["docente_a"]
    user.is_active = False
    db.session.commit()
    ack = emit(a, "hand", {"group_id": room.group.id, "action": "raise"})
    assert ack["error"] == "no_autenticado"
    assert not a.is_connected(NS)


def test_removed_school_is_disconnected_on_its_next_event(room, sio_for):
    a, _ = joined(sio_for, room, "docente_a")
    b, _ = joined(sio_for, room, "docente_b")
    received(a)
    db.session.query(EncounterSchool).filter_by(group_id=room.group.id, school_id=room.school_b.id).delete()
    db.session.commit()
    db.session.expire_all()
    ack = emit(
        b,
        "contribution_add",
        {"group_id": room.group.id, "client_id": "after-removal", "kind": "pregunta", "text": "¿Sigo aquí?"},
    )
    assert ack["error"] == "prohibido"
    assert dropped(b)
    assert db.session.query(Contribution).count() == 0
    # the room sees them go: they are no longer listed as online
    presence = [e for e in received(a) if e["type"] == "presence"]
    assert presence and presence[-1]["left"] == room.people["docente_b"].id


def test_disconnect_user_ends_the_connections_of_a_disabled_account(room, sio_for):
    a, _ = joined(sio_for, room, "docente_a")
    other, _ = joined(sio_for, room, "docente_b")
    assert disconnect_user(room.people["docente_a"].id) == 1
    assert not a.is_connected(NS)
    assert other.is_connected(NS)


def test_leaving_updates_presence(room, sio_for):
    a, _ = joined(sio_for, room, "docente_a")
    b, _ = joined(sio_for, room, "docente_b")
    received(a)
    b.disconnect(NS)
    presence = [e for e in received(a) if e["type"] == "presence"]
    assert presence[-1]["left"] == room.people["docente_b"].id and presence[-1]["joined"] is None
    online = events.apply_presence(
        [{"user_id": room.people[k].id} for k in ("docente_a", "docente_b")], presence[-1]
    )
    assert [p["user_id"] for p in online] == [room.people["docente_a"].id]


@pytest.mark.parametrize(
    "who,allowed",
    [
        ("facilitador", True),
        ("director_sede", True),
        ("supervisor", True),
        ("admin", True),
        ("docente_a", False),
        ("director_b", False),
        ("asesor_asignado", False),
    ],
)
def test_who_controls_the_timer(room, sio_for, who, allowed):
    client, _ = joined(sio_for, room, who)
    ack = emit(client, "timer", {"group_id": room.group.id, "action": "start"})
    assert ack["ok"] is allowed
    assert ack.get("error") in (None, "prohibido")


def test_presenter_moves_slides_and_others_cannot(room, sio_for):
    f, _ = joined(sio_for, room, "facilitador")
    a, _ = joined(sio_for, room, "docente_a")
    b, _ = joined(sio_for, room, "docente_b")
    assert emit(f, "turn", {"group_id": room.group.id, "school_id": room.school_a.id})["ok"]
    assert emit(a, "slide", {"group_id": room.group.id, "slide": 1})["ok"]
    assert emit(b, "slide", {"group_id": room.group.id, "slide": 0})["error"] == "prohibido"
    assert emit(a, "slide", {"group_id": room.group.id, "slide": 99})["error"] == "invalido"
    slides = [e for e in received(b) if e["type"] == "slide"]
    assert [e["slide"] for e in slides] == [1]


@pytest.fixture(params=["process", "redis"])
def room_store(request, app):
    """The rooms' ephemeral state in this process, or in Redis as with a message queue."""
    from app.live import state_store

    if request.param == "process":
        yield state_store.store_of(app)
        return
    url = request.getfixturevalue("redis_url")
    saved = app.extensions[state_store.EXTENSION]
    store = state_store.RedisStore(url, f"t15-{uuid.uuid4().hex[:10]}")
    app.extensions[state_store.EXTENSION] = (store, saved[1])
    try:
        yield store
    finally:
        app.extensions[state_store.EXTENSION] = saved
        for key in store.client.scan_iter(f"{store.prefix}:*"):
            store.client.delete(key)
        store.client.close()


def test_snapshot_before_plus_events_equals_snapshot_after(room_store, room, sio_for):
    """Resynchronisation: a client that applies the events to its snapshot has the next snapshot
    (the room's state kept in the process or in Redis)."""
    observer, before = joined(sio_for, room, "asesor_asignado")
    f, _ = joined(sio_for, room, "facilitador")
    a, _ = joined(sio_for, room, "docente_a")
    b, _ = joined(sio_for, room, "director_b")
    gid = room.group.id
    due = (date.today() + timedelta(days=20)).isoformat()
    steps = [
        (f, "timer", {"action": "start"}),
        (f, "timer", {"action": "extend", "minutes": 3}),
        (f, "timer", {"action": "next"}),
        (a, "slide", {"slide": 1}),
        (b, "hand", {"action": "raise"}),
        (a, "hand", {"action": "raise"}),
        (f, "hand", {"action": "floor", "user_id": room.people["director_b"].id}),
        (b, "contribution_add", {"client_id": "r1", "kind": "propuesta", "text": "Lectura en voz alta"}),
        (a, "contribution_add", {"client_id": "r2", "kind": "pregunta", "text": "¿Con qué grados?"}),
        (a, "contribution_will_try", {"contribution_id": None, "value": True}),
        (f, "contribution_hide", {"contribution_id": None, "reason": "Fuera de tema"}),
        (
            b,
            "commitment_add",
            {
                "client_id": "k1",
                "action": "Probar la lectura en voz alta",
                "responsible": "Director Beto",
                "due_date": due,
            },
        ),
        (f, "timer", {"action": "pause"}),
        (f, "turn", {"school_id": room.school_b.id}),
        (a, "agreement_add", {"client_id": "g1", "kind": "norma", "text": "Escuchar sin interrumpir"}),
        (f, "reminder", {}),
        (
            b,
            "agreement_add",
            {
                "client_id": "g2",
                "kind": "asesoria",
                "text": "Estrategias de lectura",
                "topic": "Comprensión lectora",
                "school_ids": [room.school_a.id, room.school_b.id],
                "problem_id": room.problem.id,
            },
        ),
    ]
    ids = {}
    for client, event, data in steps:
        if event == "contribution_will_try":
            data = {**data, "contribution_id": ids["r1"]}
        if event == "contribution_hide":
            data = {**data, "contribution_id": ids["r2"]}
        ack = emit(client, event, {"group_id": gid, **data})
        assert ack["ok"], (event, ack)
        if "contribution" in ack:
            ids[ack["contribution"]["client_id"]] = ack["contribution"]["id"]
    got = [e for e in received(observer) if e["version"] > before["version"]]  # not its own join
    versions = [e["version"] for e in got]
    assert versions == list(range(before["version"] + 1, before["version"] + 1 + len(got)))
    rebuilt = before
    for event in got:
        rebuilt = events.apply_event(rebuilt, event)
    after = emit(observer, "snapshot", {"group_id": gid})["snapshot"]
    for key in ("version", "state", "contributions", "commitments", "agreements"):
        assert rebuilt[key] == after[key], key
    assert [a["client_id"] for a in after["agreements"]] == ["g1", "g2"]
    assert after["state"]["reminder"]["by"] == "Facilitadora Fer"
    assert room_store.read(gid)[0] == after["version"]  # the version is the store's
    hidden = next(c for c in after["contributions"] if c["client_id"] == "r2")
    assert hidden["text"] is None and hidden["hidden_reason"] == "Fuera de tema"
    assert next(c for c in after["contributions"] if c["client_id"] == "r1")["will_try"] is True


def test_every_emitted_event_matches_its_shape(room, sio_for):
    """All the types the room emits, gathered in one session, are exactly the declared shapes."""
    f, _ = joined(sio_for, room, "facilitador")
    a, _ = joined(sio_for, room, "docente_a")
    gid = room.group.id
    for event, data in [
        ("timer", {"action": "next"}),
        ("turn", {"school_id": room.school_a.id}),
        ("slide", {"slide": 1}),
        ("hand", {"action": "clear"}),
        ("contribution_add", {"client_id": "s1", "kind": "pregunta", "text": "¿?"}),
    ]:
        assert emit(f, event, {"group_id": gid, **data})["ok"]
    due = (date.today() + timedelta(days=5)).isoformat()
    assert emit(
        f,
        "commitment_add",
        {
            "group_id": gid,
            "client_id": "s2",
            "school_id": room.school_a.id,
            "action": "Algo",
            "responsible": "Ana",
            "due_date": due,
        },
    )["ok"]
    a.disconnect(NS)
    types = {e["type"] for e in received(f)}
    assert types == {"presence", "timer", "turn", "slide", "hands", "contribution", "commitment"}


def test_unknown_hand_action_is_an_invalid_ack_not_a_server_error(room, sio_for):
    b, _ = joined(sio_for, room, "docente_b")
    ack = emit(b, "hand", {"group_id": room.group.id, "action": "bailar"})
    assert ack["error"] == "invalido" and "action" in ack["errors"]
