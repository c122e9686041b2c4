"""The room's ephemeral state outside the database (app.live.state_store, issue 15), with real
server processes sharing PostgreSQL or SQLite and Redis: one version sequence across processes; a
Redis restart loses no contribution or commitment and the room comes back from its last copy in the
database; a process killed with SIGKILL loses nothing and the room's state is the same after it."""

from __future__ import annotations

import os
import signal
import time
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
import redis

from app.commitments.models import Commitment
from app.extensions import db
from app.live.models import Contribution, LiveSession
from app.live.state_store import PERSIST_SECONDS
from tests.realtime.outage import RedisProxy
from tests.realtime.servers import session_cookie, start_server, stop_server
from tests.realtime.sioclient import MiniSocketIO
from tests.realtime.world import build_room

ROOM_STATE = ("slide", "turn_school_id", "problem_id", "hands", "floor_user_id", "agenda_index")


@pytest.fixture
def servers(app, db, database_url, redis_url, tmp_path):
    """start(n, queue_url=...) -> [(proc, url), ...]: real servers on one channel (their rooms' state
    in Redis under it); stopped afterwards, and the channel's keys removed."""
    channel = os.environ["SOCKETIO_CHANNEL"]  # a fresh one per test (tests/realtime/conftest.py)
    started = []

    def start(n: int = 2, queue_url: str | None = None):
        for _ in range(n):
            started.append(
                start_server(
                    database_url,
                    queue_url=queue_url or redis_url,
                    channel=channel,
                    log_path=tmp_path / f"server{len(started)}.log",
                )
            )
        return started[-n:]

    yield start
    for proc, _url in started:
        stop_server(proc)
    real = redis.Redis.from_url(redis_url)
    for key in real.scan_iter(f"{channel}:*"):
        real.delete(key)
    real.close()


def _client(app, url, person):
    return MiniSocketIO(url, cookie=session_cookie(app, person))


def _ok(client, event, data):
    ack = client.emit(event, data, timeout=10)
    assert ack["ok"], (event, ack)
    return ack


def _versions(client, after: int) -> list[tuple[int, str]]:
    """(version, type) of every room event this client received with a version above ``after``."""
    got = []
    while not client.events.empty():
        name, payload, _at = client.events.get_nowait()
        if (
            isinstance(payload, dict)
            and isinstance(payload.get("version"), int)
            and payload["version"] > after
        ):
            got.append((payload["version"], name))
    return got


def _drain_until(client, version: int, timeout: float = 5.0) -> list[tuple[int, str]]:
    """Every (version, type) received until ``version`` arrives."""
    got, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        got += _versions(client, 0)
        if any(v >= version for v, _ in got):
            return got
        time.sleep(0.05)
    raise TimeoutError(f"version {version} never arrived: {got}")


def _room_state(snapshot: dict) -> dict:
    return {key: snapshot["state"][key] for key in ROOM_STATE}


def test_two_processes_hand_out_one_version_sequence(app, servers):
    """Slides moved on process A, hands raised and contributions written on process B: every client
    sees the same versions, each once, and both processes' snapshots agree."""
    room = build_room()
    gid = room.group.id
    (_, url_a), (_, url_b) = servers(2)
    ana = _client(app, url_a, room.people["docente_a"])  # presents, on A
    fer = _client(app, url_b, room.people["facilitador"])  # on B
    bruno = _client(app, url_b, room.people["docente_b"])  # on B
    clients = [ana, fer, bruno]
    try:
        for client in clients:
            _ok(client, "join", {"group_id": gid})
        start = _ok(fer, "snapshot", {"group_id": gid})["snapshot"]["version"]
        for client in clients:
            _versions(client, 0)  # what came before: the joins
        _ok(fer, "turn", {"group_id": gid, "school_id": room.school_a.id})
        for n in range(6):
            _ok(ana, "slide", {"group_id": gid, "slide": n % 2 + 1})
            _ok(
                bruno,
                "contribution_add",
                {"group_id": gid, "client_id": f"seq-{n}", "kind": "pregunta", "text": f"¿{n}?"},
            )
            if n == 2:
                _ok(bruno, "hand", {"group_id": gid, "action": "raise"})
        last_a = _ok(ana, "snapshot", {"group_id": gid})["snapshot"]
        last_b = _ok(bruno, "snapshot", {"group_id": gid})["snapshot"]
        assert last_a["version"] == last_b["version"] == start + 1 + 12 + 1  # turn, 6 slides + 6 rows, hand
        assert last_a["state"] == last_b["state"]
        # (a join's presence event may still be on its way: a room's close events leave together)
        seen = [
            sorted(g for g in _drain_until(client, last_a["version"]) if g[0] > start) for client in clients
        ]
        expected = list(range(start + 1, last_a["version"] + 1))
        for got in seen:
            assert [v for v, _ in got] == expected  # each version once, none missing, on either process
        assert seen[0] == seen[1] == seen[2]
        assert [t for _, t in seen[0]].count("contribution") == 6
    finally:
        for client in clients:
            client.close()


def _settle() -> None:
    time.sleep(PERSIST_SECONDS * 2.5)  # the database's copy is written within a second


def test_a_redis_restart_loses_no_write_and_the_room_resumes_from_its_last_copy(app, servers, redis_url):
    """Redis goes away and comes back empty (a restart without persistence): the contributions and
    commitments written meanwhile are stored once; the room's state is its last copy in the
    database, and its versions keep growing past every one handed out."""
    target = urlsplit(redis_url)
    proxy = RedisProxy((target.hostname, target.port or 6379))
    real = redis.Redis.from_url(redis_url)
    room = build_room()
    gid = room.group.id
    channel = os.environ["SOCKETIO_CHANNEL"]
    clients = []
    try:
        (_, url_a), (_, url_b) = servers(2, queue_url=proxy.url)
        fer = _client(app, url_a, room.people["facilitador"])
        ana = _client(app, url_a, room.people["docente_a"])
        bruno = _client(app, url_b, room.people["docente_b"])
        clients += [fer, ana, bruno]
        for client in clients:
            _ok(client, "join", {"group_id": gid})
        _ok(fer, "turn", {"group_id": gid, "school_id": room.school_a.id})
        _ok(ana, "slide", {"group_id": gid, "slide": 2})
        _ok(bruno, "hand", {"group_id": gid, "action": "raise"})
        _ok(
            bruno,
            "contribution_add",
            {"group_id": gid, "client_id": "antes", "kind": "pregunta", "text": "¿Antes?"},
        )
        before = _ok(bruno, "snapshot", {"group_id": gid})["snapshot"]
        _settle()
        db.session.expire_all()
        copy = db.session.query(LiveSession).filter_by(group_id=gid).one()
        assert copy.version == before["version"] and copy.state["slide"] == 2  # the copy followed

        proxy.down("refuse")
        assert [k for k in real.scan_iter(f"{channel}:sala:*")]  # the room was in Redis ...
        for key in real.scan_iter(f"{channel}:sala:*"):
            real.delete(key)  # ... and a restarted Redis has lost it
        due = (date.today() + timedelta(days=20)).isoformat()
        during = [
            _ok(
                bruno,
                "contribution_add",
                {"group_id": gid, "client_id": "durante", "kind": "propuesta", "text": "Sin Redis"},
            ),
            _ok(
                ana,
                "commitment_add",
                {
                    "group_id": gid,
                    "client_id": "k-durante",
                    "action": "Leer en familia",
                    "responsible": "Ana",
                    "due_date": due,
                },
            ),
        ]
        assert all(ack["duplicate"] is False for ack in during)
        proxy.up()
        time.sleep(1.5)  # the processes try Redis again once a second
        _ok(
            bruno,
            "contribution_add",
            {"group_id": gid, "client_id": "despues", "kind": "pregunta", "text": "¿Después?"},
        )
        # the room as it was (its last copy), on both processes, at a version past all before
        after_a = _ok(fer, "snapshot", {"group_id": gid})["snapshot"]
        after_b = _ok(bruno, "snapshot", {"group_id": gid})["snapshot"]
        for after in (after_a, after_b):
            assert _room_state(after) == _room_state(before)
            assert after["version"] > before["version"] + 2
            assert {"antes", "durante", "despues"} <= {c["client_id"] for c in after["contributions"]}
            assert "k-durante" in {c["client_id"] for c in after["commitments"]}
        # and it moves on from there for everyone
        _ok(ana, "slide", {"group_id": gid, "slide": 1})
        assert bruno.wait_for("slide", lambda e: e["slide"] == 1)["version"] > after_b["version"]
    finally:
        for client in clients:
            client.close()
        proxy.close()
        real.close()
    db.session.expire_all()
    assert sorted(c.client_id for c in db.session.query(Contribution).all()) == [
        "antes",
        "despues",
        "durante",
    ]
    assert [c.client_id for c in db.session.query(Commitment).all()] == ["k-durante"]


def test_a_killed_process_loses_nothing_and_the_room_state_is_unchanged(app, servers):
    """SIGKILL of one of two processes: its people reconnect to the other, their retried writes are
    stored once, and the room's slide, turn and hands are those before the kill."""
    room = build_room()
    gid = room.group.id
    (proc_a, url_a), (_, url_b) = servers(2)
    fer = _client(app, url_b, room.people["facilitador"])
    ana = _client(app, url_a, room.people["docente_a"])
    bruno = _client(app, url_a, room.people["docente_b"])
    survivors = [fer]
    try:
        for client in (fer, ana, bruno):
            _ok(client, "join", {"group_id": gid})
        _ok(fer, "turn", {"group_id": gid, "school_id": room.school_a.id})
        _ok(ana, "slide", {"group_id": gid, "slide": 1})
        _ok(bruno, "hand", {"group_id": gid, "action": "raise"})
        _ok(ana, "hand", {"group_id": gid, "action": "raise"})
        _ok(fer, "hand", {"group_id": gid, "action": "floor", "user_id": room.people["docente_a"].id})
        _ok(
            bruno,
            "contribution_add",
            {"group_id": gid, "client_id": "k-1", "kind": "pregunta", "text": "¿Uno?"},
        )
        before = _ok(fer, "snapshot", {"group_id": gid})["snapshot"]
        os.kill(proc_a.pid, signal.SIGKILL)  # no goodbye, no copy to the database
        proc_a.wait(timeout=5)
        ana.closed.wait(5)
        bruno.closed.wait(5)
        ana = _client(app, url_b, room.people["docente_a"])
        bruno = _client(app, url_b, room.people["docente_b"])
        survivors += [ana, bruno]
        for client in (ana, bruno):
            _ok(client, "join", {"group_id": gid})
        after = _ok(bruno, "snapshot", {"group_id": gid})["snapshot"]
        assert _room_state(after) == _room_state(before)
        assert after["version"] >= before["version"]
        retry = _ok(
            bruno,
            "contribution_add",
            {"group_id": gid, "client_id": "k-1", "kind": "pregunta", "text": "¿Uno?"},
        )
        assert retry["duplicate"] is True
        _ok(ana, "slide", {"group_id": gid, "slide": 2})  # the presenter carries on where she was
        assert fer.wait_for("slide", lambda e: e["slide"] == 2)["version"] > after["version"]
    finally:
        for client in (*survivors, ana, bruno):
            client.close()
    db.session.expire_all()
    assert [c.client_id for c in db.session.query(Contribution).all()] == ["k-1"]
