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
