"""Helpers of the good practices tests."""

from __future__ import annotations

from app.extensions import db
from app.goodpractices import services


def published(world, **data):
    """The world's commitment published as a practice (with evidence and results)."""
    practice = services.publish_commitment(
        world.commitment, {"outcome": "bueno", **data}, actor=world.people["director"]
    )
    db.session.commit()
    return practice


def recognised(world, **data):
    """A published practice recognised by zone A."""
    practice = published(world, **data)
    services.recognise_practice(
        practice, world.zone_a, {"rationale": "Resultados con evidencia."}, actor=world.people["supervisor"]
    )
    db.session.commit()
    return practice
