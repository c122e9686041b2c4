"""Publish after commit, savepoint-aware: a savepoint rolled back drops only what was queued in it."""

import pytest

from app.extensions import socketio
from realtime.publish import pending_events, queue_event
from realtime.rooms import LIVE_NAMESPACE


@pytest.fixture
def emitted(monkeypatch):
    sent = []
    monkeypatch.setattr(
        socketio, "emit", lambda type_, payload, to, namespace: sent.append((namespace, to, payload))
    )
    return sent


def test_an_event_queued_before_a_savepoint_rolled_back_goes_out_at_commit(db, emitted):
    kept, lost = {"type": "turn", "version": 1}, {"type": "turn", "version": 2}
    queue_event(db.session, "grupo-1", kept)
    savepoint = db.session.begin_nested()
    queue_event(db.session, "grupo-1", lost)
    savepoint.rollback()
    assert pending_events(db.session) == [(LIVE_NAMESPACE, "grupo-1", kept)]
    assert emitted == []  # nothing before the commit
    db.session.commit()
    assert emitted == [(LIVE_NAMESPACE, "grupo-1", kept)]


def test_a_released_savepoint_hands_its_events_to_the_commit_and_a_rollback_drops_all(db, emitted):
    first, second = {"type": "slide", "version": 1}, {"type": "slide", "version": 2}
    queue_event(db.session, "grupo-2", first)
    with db.session.begin_nested():
        queue_event(db.session, "grupo-2", second)
    db.session.commit()
    assert [payload for _, _, payload in emitted] == [first, second]
    queue_event(db.session, "grupo-2", {"type": "slide", "version": 3})
    db.session.rollback()
    db.session.commit()
    assert len(emitted) == 2 and pending_events(db.session) == []
