"""Fixtures of the good practices tests."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.logbook import services as logbook
from tests.app.goodpractices.world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def in_a_week() -> str:
    return (logbook.local_today() + timedelta(days=7)).isoformat()
