"""A hung or stopped Redis never holds back a live write's acknowledgement, and what was published
while it was away is recovered by the version gap (issue 16, finding 9).

Real servers (``python -m app``) with their Socket.IO message queue behind a fault on loopback
(tests/realtime/outage.py): a listener that never answers, or a proxy in front of the machine's
Redis that is taken down and brought back. The machine's Redis itself is never touched.
"""

from __future__ import annotations

import time
import urllib.request
import uuid
from urllib.parse import urlsplit

import pytest
import redis

from app.extensions import db
from app.live.models import Contribution
from tests.realtime.outage import HungRedis, RedisProxy
from tests.realtime.servers import session_cookie, start_server, stop_server
from tests.realtime.sioclient import MiniSocketIO
from tests.realtime.world import build_room

ACK_BOUND = 0.5  # seconds: SOCKETIO_PUBLISH_TIMEOUT's default, and more than any ack may wait
DOWN_LOG = "Redis no responde"
BACK_LOG = "Redis responde de nuevo"


def _add(client: MiniSocketIO, gid: int, client_id: str, text: str) -> tuple[dict, float]:
    start = time.perf_counter()
    ack = client.emit(
        "contribution_add",
        {"group_id": gid, "client_id": client_id, "kind": "propuesta", "text": text},
        timeout=5,  # far beyond the bound, so a stall shows as a slow ack or a missing one
    )
    return ack, time.perf_counter() - start


def _stored_client_ids() -> list[str]:
    db.session.expire_all()
    return sorted(c.client_id for c in db.session.query(Contribution).all())


@pytest.fixture
def channel() -> str:
    return f"h5-test-{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize("gevent", [False, True], ids=["threading", "gevent"])
def test_a_hung_redis_does_not_hold_back_acknowledgements(app, db, database_url, tmp_path, channel, gevent):
    hung = HungRedis()
    room = build_room()
    gid = room.group.id
    log_path = tmp_path / "server.log"
    proc, url = start_server(
        database_url, queue_url=hung.url, channel=channel, log_path=log_path, gevent=gevent
    )
    ana = bruno = None
    try:
        ana = MiniSocketIO(url, cookie=session_cookie(app, room.people["docente_a"]))
        bruno = MiniSocketIO(url, cookie=session_cookie(app, room.people["docente_b"]))
        assert ana.emit("join", {"group_id": gid}, timeout=5)["ok"]
        assert bruno.emit("join", {"group_id": gid}, timeout=5)["ok"]
        took = []
        for n in range(10):
            ack, seconds = _add(ana, gid, f"hung-{n}", f"Idea {n} con Redis colgado")
            assert ack["ok"] and not ack["duplicate"]
            took.append(seconds)
        # Every acknowledgement came back within the bound although Redis never answered ...
        assert max(took) < ACK_BOUND, took
        # ... and people on the same process still see each other live.
        for n in range(10):
            bruno.wait_for("contribution", lambda e, n=n: e["contribution"]["client_id"] == f"hung-{n}")
        assert hung.accepted >= 1  # the queue really was the hung listener
        # The publisher gives up on the first message after SOCKETIO_PUBLISH_TIMEOUT and says so;
        # a storm of events afterwards adds no line.
        deadline = time.monotonic() + 5
        while DOWN_LOG not in log_path.read_text(errors="replace") and time.monotonic() < deadline:
            time.sleep(0.1)
        for n in range(10, 20):
            time.sleep(0.15)  # within the live room's rate limit
            assert _add(ana, gid, f"hung-{n}", f"Idea {n} con Redis colgado")[0]["ok"]
    finally:
        for client in (ana, bruno):
            if client is not None:
                client.close()
        stop_server(proc)
        hung.close()
    assert _stored_client_ids() == sorted(f"hung-{n}" for n in range(20))
    # One line for the outage, not one per event.
    assert log_path.read_text(errors="replace").count(DOWN_LOG) == 1


def _numsub(real: redis.Redis, channel: str) -> int:
    return dict(real.pubsub_numsub(channel)).get(channel.encode(), 0)


def _wait_subscribed(real: redis.Redis, channel: str, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while _numsub(real, channel) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{channel}: {_numsub(real, channel)} suscriptores de {count}")
        time.sleep(0.1)


def _snapshot_over_http(url: str, path: str, cookie: str) -> dict:
    """What room.js's resync() fetches."""
    import json

    request = urllib.request.Request(url + path + "/estado.json", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


@pytest.mark.parametrize(
    ("outage", "gevent"),
    [("refuse", False), ("blackhole", True)],
    ids=["stopped-threading", "blackhole-gevent"],
)
def test_events_published_while_redis_is_down_are_recovered_by_the_version_gap(
    app, db, database_url, redis_url, tmp_path, channel, outage, gevent
):
    """``refuse``: Redis stopped; ``blackhole``: the network to it swallows everything."""
    target = urlsplit(redis_url)
    proxy = RedisProxy((target.hostname, target.port or 6379))
    real = redis.Redis.from_url(redis_url)
    room = build_room()
    gid = room.group.id
    servers = []
    clients = []
    try:
        for name in ("a", "b"):
            log_path = tmp_path / name
            servers.append(
                start_server(
                    database_url, queue_url=proxy.url, channel=channel, log_path=log_path, gevent=gevent
                )
            )
        (_, url_a), (_, url_b) = servers
        _wait_subscribed(real, channel, 2, timeout=30)
        ana = MiniSocketIO(url_a, cookie=session_cookie(app, room.people["docente_a"]))
        bruno_cookie = session_cookie(app, room.people["docente_b"])
        bruno = MiniSocketIO(url_b, cookie=bruno_cookie)
        clients += [ana, bruno]
        assert ana.emit("join", {"group_id": gid})["ok"]
        seen = bruno.emit("join", {"group_id": gid})["snapshot"]["version"]

        ack, _ = _add(ana, gid, "antes", "Antes de la caída")
        assert ack["ok"]
        seen = bruno.wait_for("contribution", lambda e: e["contribution"]["client_id"] == "antes")["version"]

        proxy.down(outage)
        ack, seconds = _add(ana, gid, "durante", "Escrito con Redis caído")
        assert ack["ok"] and seconds < ACK_BOUND, seconds  # a dead Redis does not delay the ack
        assert "durante" in _stored_client_ids()
        with pytest.raises(TimeoutError):  # not received live on the other process
            bruno.wait_for("contribution", timeout=2)

        # A client that reconnects meanwhile gets it from its join snapshot (the database).
        again = MiniSocketIO(url_b, cookie=bruno_cookie)
        clients.append(again)
        joined = again.emit("join", {"group_id": gid})["snapshot"]
        assert "durante" in {c["client_id"] for c in joined["contributions"]}

        proxy.up()
        _wait_subscribed(real, channel, 2, timeout=90)  # both processes listen again
        # The next event that reaches Bruno live shows the gap: his client resyncs (room.js).
        for n in range(20):
            _add(ana, gid, f"despues-{n}", f"Después de la caída {n}")
            try:
                event = bruno.wait_for("contribution", timeout=1)
                break
            except TimeoutError:
                continue
        else:
            pytest.fail("ningún evento llegó a Bruno después de que Redis volvió")
        assert event["version"] > seen + 1  # the gap: 'durante' never arrived
        resynced = _snapshot_over_http(url_b, room.url, bruno_cookie)
        assert resynced["version"] >= event["version"]
        assert {"antes", "durante", event["contribution"]["client_id"]} <= {
            c["client_id"] for c in resynced["contributions"]
        }
        # The writer's process said so once when Redis went away and once when it came back.
        log = (tmp_path / "a").read_text(errors="replace")
        assert log.count(DOWN_LOG) == 1 and log.count(BACK_LOG) == 1, log[-3000:]
    finally:
        for client in clients:
            client.close()
        for proc, _ in servers:
            stop_server(proc)
        proxy.close()
        real.close()
