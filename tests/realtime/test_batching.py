"""A room's events that come close together leave as one ``events`` message (realtime/publish.py):
in order, none lost or repeated, and a quiet room's event never waits."""

from __future__ import annotations

import threading
import time

import pytest

from realtime.publish import BATCH_EVENT, _Batcher
from tests.realtime.servers import session_cookie, start_server, stop_server
from tests.realtime.sioclient import MiniSocketIO
from tests.realtime.world import build_room


class _Recorder:
    """What a Socket.IO server would be asked to emit, and when (threads stand in for greenlets)."""

    def __init__(self) -> None:
        self.sent: list[tuple[float, str, object]] = []

    def emit(self, event, data, to=None, namespace=None):
        self.sent.append((time.monotonic(), event, data))

    def start_background_task(self, target, *args):
        threading.Thread(target=target, args=args, daemon=True).start()

    def sleep(self, seconds):
        time.sleep(seconds)


def _event(version: int) -> dict:
    return {"type": "contribution", "version": version}


def test_close_events_leave_together_in_order_and_a_quiet_room_does_not_wait():
    batcher, server = _Batcher(), _Recorder()
    start = time.monotonic()
    batcher.emit(server, "/sala", "grupo:1", _event(1), 0.1)  # the room was quiet: at once
    assert [(name, data["version"]) for _, name, data in server.sent] == [("contribution", 1)]
    assert server.sent[0][0] - start < 0.05
    for version in (2, 3, 4):  # within the window of the first: they wait for its end
        batcher.emit(server, "/sala", "grupo:1", _event(version), 0.1)
    batcher.emit(server, "/sala", "grupo:2", _event(1), 0.1)  # another room is not held back
    assert [data["version"] for _, name, data in server.sent if name != BATCH_EVENT] == [1, 1]
    deadline = time.monotonic() + 2
    while len(server.sent) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    at, name, batch = server.sent[2]
    assert name == BATCH_EVENT and [e["version"] for e in batch] == [2, 3, 4]
    assert 0.08 <= at - start < 0.5  # at the end of the first event's window, not one per event
    time.sleep(0.15)
    batcher.emit(server, "/sala", "grupo:1", _event(5), 0.1)  # quiet again: at once
    assert server.sent[-1][1] == "contribution" and server.sent[-1][2]["version"] == 5


def test_with_no_window_every_event_leaves_at_once():
    batcher, server = _Batcher(), _Recorder()
    for version in (1, 2, 3):
        batcher.emit(server, "/sala", "grupo:1", _event(version), 0)
    assert [(name, data["version"]) for _, name, data in server.sent] == [
        ("contribution", n) for n in (1, 2, 3)
    ]


@pytest.fixture
def batching_server(app, db, database_url, tmp_path):
    proc, url = start_server(database_url, log_path=tmp_path / "server.log", LIVE_BATCH_SECONDS="0.2")
    try:
        yield url
    finally:
        stop_server(proc)


def test_a_busy_room_receives_batches_with_every_version_once(app, batching_server):
    """Against a real server: Ana adds eight contributions as fast as their acknowledgements come;
    Bruno receives some of them batched, each exactly once, with versions one after another."""
    room = build_room()
    gid = room.group.id
    ana = MiniSocketIO(batching_server, cookie=session_cookie(app, room.people["docente_a"]))
    bruno = MiniSocketIO(batching_server, cookie=session_cookie(app, room.people["docente_b"]))
    try:
        assert ana.emit("join", {"group_id": gid})["ok"]
        start = bruno.emit("join", {"group_id": gid})["snapshot"]["version"]
        for n in range(8):
            ack = ana.emit(
                "contribution_add",
                {"group_id": gid, "client_id": f"batch-{n}", "kind": "pregunta", "text": f"¿Pregunta {n}?"},
            )
            assert ack["ok"], ack
        seen = []
        while len(seen) < 8:
            seen.append(bruno.wait_for("contribution"))
        assert [e["contribution"]["client_id"] for e in seen] == [f"batch-{n}" for n in range(8)]
        versions = [e["version"] for e in seen]
        assert versions == list(range(versions[0], versions[0] + 8)) and versions[0] > start
        assert bruno.batched >= 2  # some came together
    finally:
        ana.close()
        bruno.close()
