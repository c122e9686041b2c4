"""Fixtures of the logbook tests: the same world and commitment data as the commitments tests."""

from __future__ import annotations

from tests.app.commitments.conftest import commitment_data, in_a_week, today, world  # noqa: F401
