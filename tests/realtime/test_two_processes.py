"""Two real server processes sharing the database and a Redis message queue: a participant on one
sees what a participant on the other does; when one process dies (SIGKILL) its clients reconnect to
the other and their retried writes are stored once."""

from __future__ import annotations

import os
import signal
import time
import urllib.error
import urllib.request

import pytest

from app.extensions import db
from app.live.models import Contribution
from tests.conftest import require
from tests.realtime.servers import session_cookie, start_server, stop_server
from tests.realtime.sioclient import MiniSocketIO, SocketIOError
from tests.realtime.world import build_room

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture
def two_servers(app, db, database_url, tmp_path):
    require(_redis_up(), f"Redis no responde en {REDIS_URL}")
    procs = []
    try:
        for n in range(2):
            procs.append(
                start_server(database_url, queue_url=REDIS_URL, log_path=tmp_path / f"server{n}.log")
            )
        yield procs
    finally:
        for proc, _ in procs:
            stop_server(proc)
        # the other process's connections keep no rows; nothing to clean beyond the db fixture


def test_events_cross_between_processes_and_survive_a_killed_process(app, two_servers):
    room = build_room()
    (proc_a, url_a), (_, url_b) = two_servers
    gid = room.group.id
    ana = MiniSocketIO(url_a, cookie=session_cookie(app, room.people["docente_a"]))
    bruno = MiniSocketIO(url_b, cookie=session_cookie(app, room.people["docente_b"]))
    try:
        assert ana.emit("join", {"group_id": gid})["ok"]
        assert bruno.emit("join", {"group_id": gid})["ok"]
        # Ana, on process A, writes; Bruno, on process B, sees it.
        ack = ana.emit(
            "contribution_add",
            {
                "group_id": gid,
                "client_id": "cross-1",
                "kind": "pregunta",
                "text": "¿Cómo organizan los círculos de lectura?",
            },
        )
        assert ack["ok"] and not ack["duplicate"]
        seen = bruno.wait_for("contribution", lambda e: e["contribution"]["client_id"] == "cross-1")
        assert seen["version"] > 0
        # And the other way round, with versions handed out once across both processes.
        ack_b = bruno.emit(
            "contribution_add",
            {"group_id": gid, "client_id": "cross-2", "kind": "similitud", "text": "Nosotros también."},
        )
        seen_a = ana.wait_for("contribution", lambda e: e["contribution"]["client_id"] == "cross-2")
        assert ack_b["ok"] and seen_a["version"] > seen["version"]

    finally:
        # Process A dies mid-session (no goodbye); Ana reconnects to B and her outbox retries.
        os.kill(proc_a.pid, signal.SIGKILL)
        proc_a.wait(timeout=5)
        ana.closed.wait(5)
    ana_again = MiniSocketIO(url_b, cookie=session_cookie(app, room.people["docente_a"]))
    try:
        assert ana_again.emit("join", {"group_id": gid})["ok"]
        retry = ana_again.emit(
            "contribution_add",
            {
                "group_id": gid,
                "client_id": "cross-1",
                "kind": "pregunta",
                "text": "¿Cómo organizan los círculos de lectura?",
            },
        )
        assert retry["ok"] and retry["duplicate"] is True
        fresh = ana_again.emit(
            "contribution_add",
            {"group_id": gid, "client_id": "cross-3", "kind": "propuesta", "text": "Leer con las familias."},
        )
        assert fresh["ok"]
        bruno.wait_for("contribution", lambda e: e["contribution"]["client_id"] == "cross-3")
    finally:
        ana_again.close()
        bruno.close()
    db.session.expire_all()
    stored = sorted(c.client_id for c in db.session.query(Contribution).all())
    assert stored == ["cross-1", "cross-2", "cross-3"]


def test_a_foreign_origin_or_anonymous_cannot_connect_to_a_real_server(app, two_servers):
    url = two_servers[0][1]
    request = urllib.request.Request(
        url + "/socket.io/?EIO=4&transport=polling", headers={"Origin": "http://evil.example"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 400
    refused.value.close()
    with pytest.raises(SocketIOError):
        MiniSocketIO(url)  # no login cookie: the namespace refuses the connection


def _form_post(base_url: str, path: str, cookie: str, data: dict[str, str | list[str]], *, page: str) -> int:
    """Post a form as a browser does: read its CSRF token from ``page`` first (the development
    configuration checks it), with the session cookie that page handed back."""
    import re
    from urllib.parse import urlencode

    with urllib.request.urlopen(urllib.request.Request(base_url + page, headers={"Cookie": cookie})) as r:
        html = r.read().decode()
        fresh = r.headers.get("Set-Cookie")
    if fresh:
        cookie = fresh.split(";", 1)[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    request = urllib.request.Request(
        base_url + path,
        data=urlencode({**data, "csrf_token": token}, doseq=True).encode(),
        headers={"Cookie": cookie, "Referer": base_url + page},
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as answer:
        answer.close()
        return answer.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_a_disabled_account_is_dropped_by_the_other_process_too(app, two_servers):
    """Issue 16, finding 5: Bruno is connected to process B; an administrator disables his account
    with a request to process A. B closes his connection (it used to send him ``session_ended``
    and keep delivering the room's events) and he receives nothing more of the room."""
    room = build_room()
    (_, url_a), (_, url_b) = two_servers
    gid = room.group.id
    bruno = MiniSocketIO(url_b, cookie=session_cookie(app, room.people["docente_b"]))
    ana = MiniSocketIO(url_a, cookie=session_cookie(app, room.people["docente_a"]))
    try:
        assert bruno.emit("join", {"group_id": gid})["ok"] and ana.emit("join", {"group_id": gid})["ok"]
        bruno_id = room.people["docente_b"].id
        status = _form_post(
            url_a,
            f"/personas/{bruno_id}/activa",
            session_cookie(app, room.people["admin"]),
            {"active": "0"},
            page="/personas",
        )
        assert status == 302
        assert bruno.wait_for("session_ended")["reason"] == "cuenta_desactivada"
        assert bruno.closed.wait(5), "process B kept the disabled account's connection open"
        ack = ana.emit(
            "contribution_add",
            {"group_id": gid, "client_id": "after-disable", "kind": "pregunta", "text": "¿Sigue ahí?"},
        )
        assert ack["ok"]
        time.sleep(0.5)  # what process B would still deliver arrives within this
        later = [name for name, _payload, _at in list(bruno.events.queue)]
        assert "contribution" not in later
    finally:
        ana.close()
        bruno.close()


def test_a_school_taken_out_of_the_group_on_one_process_is_refused_by_the_other(app, db, two_servers):
    """Issue 15: each process keeps the group a connection names (realtime.access). Bruno's school
    is taken out of the group by a request to process A while he is in the room on process B: B
    drops its kept group when A commits (``access_changed`` through the queue), so his next event
    is refused and he is dropped — well within the copies' lifetime (60 s), which alone would have
    let him stay."""
    room = build_room(status="programado")  # a group's schools change before the session starts
    (_, url_a), (_, url_b) = two_servers
    gid, eid = room.group.id, room.group.encounter_id
    bruno = MiniSocketIO(url_b, cookie=session_cookie(app, room.people["docente_b"]))
    try:
        assert bruno.emit("join", {"group_id": gid})["ok"]
        assert bruno.emit("hand", {"group_id": gid, "action": "raise"})["ok"]  # B keeps the group now
        status = _form_post(
            url_a,
            f"/encuentros/{eid}/grupos/{gid}",
            session_cookie(app, room.people["admin"]),
            {"school_ids": [str(room.school_a.id)], "host_school_id": str(room.school_a.id)},
            page=f"/encuentros/{eid}/grupos/{gid}",
        )
        assert status == 302
        db.session.expire_all()
        assert [m.school_id for m in room.group.schools] == [room.school_a.id]
        answer, deadline = None, time.monotonic() + 3
        while time.monotonic() < deadline:
            answer = bruno.emit("hand", {"group_id": gid, "action": "lower"})
            if not answer["ok"]:
                break
            time.sleep(0.1)
        assert answer["error"] == "prohibido", answer
        assert bruno.closed.wait(5), "process B kept a connection whose school left the group"
    finally:
        bruno.close()
