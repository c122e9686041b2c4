"""Publish after commit: services queue events on the SQLAlchemy session; they are emitted only
once the transaction commits, and dropped if it rolls back (Zulip's ``send_event_on_commit``).

A client therefore never sees a contribution or a commitment that the database lost, and a retry
that finds its row already stored emits nothing new.
"""
from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from realtime.rooms import LIVE_NAMESPACE

log = logging.getLogger(__name__)
_KEY = "realtime_pending_events"


def queue_event(session, room: str, payload: dict, *, namespace: str = LIVE_NAMESPACE) -> None:
    """Emit ``payload`` (an event from realtime.events) to ``room`` when ``session`` commits."""
    session.info.setdefault(_KEY, []).append((namespace, room, payload))


def pending_events(session) -> list[tuple[str, str, dict]]:
    """What ``session`` will emit on commit (for tests and debugging)."""
    return list(session.info.get(_KEY, ()))


def _emit(namespace: str, room: str, payload: dict) -> None:
    from app.extensions import socketio

    if getattr(socketio, "server", None) is None:  # Socket.IO not initialised (e.g. a CLI command)
        return
    socketio.emit(payload["type"], payload, to=room, namespace=namespace)


@event.listens_for(Session, "after_commit")
def _emit_after_commit(session) -> None:
    events = session.info.pop(_KEY, None)
    for namespace, room, payload in events or ():
        try:
            _emit(namespace, room, payload)
        except Exception:  # the row is stored; a client that misses this resyncs from the snapshot
            log.exception("no se pudo emitir el evento %s a %s", payload.get("type"), room)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session) -> None:
    session.info.pop(_KEY, None)
