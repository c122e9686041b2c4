"""Fixtures of the Socket.IO tests (defined in tests/realtime/world.py)."""

import pytest

from tests.realtime.world import room, sio_for  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_live_limits(app):
    """Ids come back after each test's tables are emptied: a person's event and connection counts
    must not carry over to the next test that reuses their id."""
    from realtime.ratelimit import live_limits

    with app.app_context():
        live_limits().reset()
    yield


@pytest.fixture(autouse=True)
def _fresh_room_store(monkeypatch):
    """Real servers keep the rooms' state in Redis under their channel (app.live.state_store): each
    test's servers get a channel of their own, or a room id that comes back would find the state a
    previous test left there (a test that names a channel keeps it)."""
    import uuid

    monkeypatch.setenv("SOCKETIO_CHANNEL", f"t15-{uuid.uuid4().hex[:10]}")
