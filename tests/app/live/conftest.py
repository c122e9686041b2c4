"""Fixtures of the live room's tests (defined in tests/realtime/world.py)."""

from tests.realtime.world import room, sio_for  # noqa: F401
