"""Fixtures of the advice tests: the logbook's world and commitment data."""

from __future__ import annotations

from tests.app.commitments.conftest import commitment_data, in_a_week, today, world  # noqa: F401
