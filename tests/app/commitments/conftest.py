"""Fixtures of the commitments tests (the logbook's tests use them too): the small world of one
encounter of two groups, and a commitment's form data due in a week."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.dates import local_today
from tests.app.logbook.world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def today() -> date:
    return local_today()


@pytest.fixture
def in_a_week(today) -> str:
    return (today + timedelta(days=7)).isoformat()


@pytest.fixture
def commitment_data(in_a_week):
    def _data(**kw):
        data = {
            "action": "Leer en voz alta 15 minutos diarios",
            "classroom": "4° A",
            "responsible": "Mtra. Lucía Ramírez",
            "due_date": in_a_week,
            "follow_up": "Registro semanal en el CTE",
            "needs_external_advice": False,
        }
        data.update(kw)
        return data

    return _data
