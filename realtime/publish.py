"""Publish after commit: services queue events on the SQLAlchemy session; they are emitted only
once the transaction commits, and dropped if it rolls back (Zulip's ``send_event_on_commit``).

The queue is ``app.transactions.on_commit``, so it follows savepoints: a savepoint rolled back drops
only the events queued inside it, and one released hands them to the transaction around it. A
client therefore never sees a contribution or a commitment that the database lost, and a retry
that finds its row already stored emits nothing new.

Emitting never waits for Redis: with a message queue, the people on this process get the event at
once and a background publisher takes it to the others (app.message_queue). If Redis is hung or down
the event is dropped there; the write is stored, and clients elsewhere catch up by the room's version.

A room's events that follow each other closely go out together (``_Batcher``): the first event of a
room goes out at once; one that comes within ``LIVE_BATCH_SECONDS`` of the room's last emit waits
for the end of that window, with whatever else arrives meanwhile, and they leave as one ``events``
message (a list, in version order). A room of 500 receiving 50 contributions a second then costs
its process a few WebSocket frames per person per window instead of one per event; a quiet room
(a slide every few seconds) never waits.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from app import signals
from app.extensions import db
from app.transactions import on_commit, pending
from realtime.rooms import LIVE_NAMESPACE, group_room

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Emit:
    """One event waiting for the commit: called, it goes to its room."""

    namespace: str
    room: str
    payload: dict

    def __call__(self) -> None:
        try:
            _emit(self.namespace, self.room, self.payload)
        except Exception:  # the row is stored; a client that misses this resyncs from the snapshot
            log.exception("no se pudo emitir el evento %s a %s", self.payload.get("type"), self.room)


BATCH_EVENT = "events"  # several events of one room, in order: [event, event, ...]


class _Batcher:
    """Per process: each room's last emit and the events waiting for the end of its window."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[tuple[str, str], float] = {}
        self._waiting: dict[tuple[str, str], list[dict]] = {}

    def emit(self, socketio, namespace: str, room: str, payload: dict, window: float) -> None:
        key, now = (namespace, room), time.monotonic()
        with self._lock:
            waiting = self._waiting.get(key)
            if waiting is not None:  # a window is open: leave with it
                waiting.append(payload)
                return
            last = self._last.get(key)
            if window <= 0 or last is None or now - last >= window:
                if len(self._last) > 50_000:
                    self._last.clear()
                self._last[key] = now
                send_now = True
            else:
                self._waiting[key] = [payload]
                send_now = False
        if send_now:
            socketio.emit(payload["type"], payload, to=room, namespace=namespace)
        else:
            socketio.start_background_task(self._flush_later, socketio, key, last + window - now)

    def _flush_later(self, socketio, key: tuple[str, str], delay: float) -> None:
        socketio.sleep(max(delay, 0))
        with self._lock:
            batch = self._waiting.pop(key, None) or []
            self._last[key] = time.monotonic()
        namespace, room = key
        try:
            if len(batch) == 1:
                socketio.emit(batch[0]["type"], batch[0], to=room, namespace=namespace)
            elif batch:
                socketio.emit(BATCH_EVENT, batch, to=room, namespace=namespace)
        except Exception:  # the rows are stored; a client that misses these resyncs from the snapshot
            log.exception("no se pudieron emitir %s eventos a %s", len(batch), room)


_BATCHER = _Batcher()


def _emit(namespace: str, room: str, payload: dict) -> None:
    from flask import current_app

    from app.extensions import socketio

    if getattr(socketio, "server", None) is None:  # Socket.IO not initialised (e.g. a CLI command)
        return
    _BATCHER.emit(socketio, namespace, room, payload, current_app.config["LIVE_BATCH_SECONDS"])


def queue_event(session, room: str, payload: dict, *, namespace: str = LIVE_NAMESPACE) -> None:
    """Emit ``payload`` (an event from app.live.events) to ``room`` when ``session`` commits."""
    on_commit(_Emit(namespace, room, payload), session=session)


def pending_events(session) -> list[tuple[str, str, dict]]:
    """What ``session`` will emit on commit, in order (for tests and debugging)."""
    return [(fn.namespace, fn.room, fn.payload) for fn in pending(session) if isinstance(fn, _Emit)]


@signals.room_event.connect
def _publish_room_event(group_id: int, *, event: dict) -> None:
    """app.live hands its room events over by signal: they reach the group's room after the commit."""
    queue_event(db.session, group_room(group_id), event)
