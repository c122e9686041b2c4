"""Fixtures of the Socket.IO tests (defined in tests/realtime/world.py)."""

from tests.realtime.world import room, sio_for  # noqa: F401
