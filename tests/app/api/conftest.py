"""Fixtures of the API tests: a small world of two zones, and API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from app.auth.models import ApiToken, User
from app.catalogue.models import School, Zone
from app.extensions import db as _db
from app.practices.models import Practice
from app.problems.models import Problem
from app.utils import hash_token, new_token
from tests import factories


@dataclass
class World:
    zone: Zone
    other_zone: Zone
    school: School
    sibling: School  # another school of the same zone
    far_school: School  # a school of the other zone
    problem: Problem
    practice: Practice  # visibility "zona", of ``school``
    users: dict[str, User | None]


ROLES = (
    "anonymous",
    "admin",
    "supervisor",
    "supervisor_other",
    "director",
    "director_sibling",
    "director_other_zone",
    "docente",
    "asesor",
    "asesor_other",
)


@pytest.fixture
def world(db) -> World:
    """Zone A with two schools, zone B with one; a problem and a practice of the first school."""
    zone = factories.create_zone(cct="22FIZ0001A", number=1)
    other_zone = factories.create_zone(cct="22FIZ0002B", number=2)
    school = factories.create_school(zone, cct="22DPR0001A", name="ESCUELA BENITO JUAREZ")
    sibling = factories.create_school(zone, cct="22DPR0002B", name="ESCUELA MIGUEL HIDALGO")
    far_school = factories.create_school(other_zone, cct="22DPR0003C", name="ESCUELA LEONA VICARIO")
    factories.get_category("amb-aprovechamiento")
    factories.get_category("pensamiento-matematico")
    factories.get_category("lectura-escritura")
    asesor = factories.create_user("asesor")
    asesor.advised_schools.append(school)
    asesor_other = factories.create_user("asesor")
    asesor_other.advised_zones.append(other_zone)
    _db.session.commit()
    users = {
        "anonymous": None,
        "admin": factories.create_user("admin"),
        "supervisor": factories.create_user("supervisor", zone=zone),
        "supervisor_other": factories.create_user("supervisor", zone=other_zone),
        "director": factories.create_user("director", school=school),
        "director_sibling": factories.create_user("director", school=sibling),
        "director_other_zone": factories.create_user("director", school=far_school),
        "docente": factories.create_user("docente", school=school),
        "asesor": asesor,
        "asesor_other": asesor_other,
    }
    problem = factories.create_problem(school)
    practice = factories.create_practice(school, visibility="zona")
    return World(zone, other_zone, school, sibling, far_school, problem, practice, users)


@pytest.fixture
def make_token(db):
    """make_token(user, revoked=False, scope="lectura_escritura", expires_in=timedelta(days=90)) -> the
    raw secret of a new API token of ``user`` (reading and writing unless ``scope="lectura"``)."""

    def _make(
        user: User,
        *,
        revoked: bool = False,
        scope: str = "lectura_escritura",
        expires_in: timedelta = timedelta(days=90),
    ) -> str:
        from app.utils import utcnow

        raw, digest = new_token()
        token = ApiToken(
            user_id=user.id, name="pruebas", token_hash=digest, scope=scope, expires_at=utcnow() + expires_in
        )
        if revoked:
            token.revoked_at = utcnow()
        _db.session.add(token)
        _db.session.commit()
        assert token.token_hash == hash_token(raw)
        return raw

    return _make


def bearer(raw: str) -> dict[str, str]:
    """The Authorization header for a raw token."""
    return {"Authorization": f"Bearer {raw}"}
