"""Publish after commit: services queue events on the SQLAlchemy session; they are emitted only
once the transaction commits, and dropped if it rolls back (Zulip's ``send_event_on_commit``).

The queue is ``app.transactions.on_commit``, so it follows savepoints: a savepoint rolled back drops
only the events queued inside it, and one released hands them to the transaction around it. A
client therefore never sees a contribution or a commitment that the database lost, and a retry
that finds its row already stored emits nothing new.

Emitting never waits for Redis: with a message queue, the people on this process get the event at
once and a background publisher takes it to the others (app.message_queue). If Redis is hung or down
the event is dropped there; the write is stored, and clients elsewhere catch up by the room's version.
"""

from __future__ import annotations

import logging
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


def _emit(namespace: str, room: str, payload: dict) -> None:
    from app.extensions import socketio

    if getattr(socketio, "server", None) is None:  # Socket.IO not initialised (e.g. a CLI command)
        return
    socketio.emit(payload["type"], payload, to=room, namespace=namespace)


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
