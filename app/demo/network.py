"""Demo ties beyond the zone: a community of practice with schools of both demo zones, a post about
a practice that worked and a reply, so the communities' pages, their suggestions and the network's
health have something real to show on the first run. Idempotent."""

from __future__ import annotations

from sqlalchemy import select

from app.catalogue.models import Zone
from app.extensions import db

COMMUNITY_NAME = "Lectura y escritura en primarias de Querétaro"


def seed_community(zones: list[Zone], directors: dict, report) -> None:
    """A community led by the first zone's director of a school with a reading practice, joined by a
    director of the second zone, with one post and one reply (nothing when it exists already)."""
    from app.communities import services as communities
    from app.communities.models import Community
    from app.practices.models import Practice

    if db.session.scalar(select(Community.id).where(Community.name == COMMUNITY_NAME)):
        return
    by_zone = {z.id: [d for d in directors.values() if d.school and d.school.zone_id == z.id] for z in zones}
    if len(zones) < 2 or not by_zone[zones[0].id] or not by_zone[zones[1].id]:
        return
    practices = {
        p.school_id: p
        for p in db.session.scalars(
            select(Practice).where(Practice.school_id.in_([d.school_id for d in directors.values()]))
        )
    }
    leader = next((d for d in by_zone[zones[0].id] if d.school_id in practices), by_zone[zones[0].id][0])
    guest = by_zone[zones[1].id][0]
    community = communities.propose_community(
        {
            "name": COMMUNITY_NAME,
            "description": "Para colectivos que buscan que sus alumnos lean con fluidez y comprensión: "
            "compartimos lo que probamos, lo que funcionó y lo que no.",
            "categories": ["lectura-escritura"],
        },
        actor=leader,
    )
    communities.join(community, actor=guest)
    practice = practices.get(leader.school_id)
    post = communities.add_post(
        community,
        {
            "body": "En nuestra escuela esta práctica nos ayudó con la lectura; les compartimos cómo la organizamos.",
            "practice_id": str(practice.id) if practice else None,
        },
        actor=leader,
    )
    communities.add_post(
        community,
        {"body": "¡Gracias! ¿Cuántos minutos al día le dedican y en qué grados la empezaron?"},
        actor=guest,
        parent=post,
    )
    report.created["comunidades"] += 1
