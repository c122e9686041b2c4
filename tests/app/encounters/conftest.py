"""Fixtures of the encounters tests: a zone with schools and people, and encounters built with the
services (so every test starts from what the pages would have made)."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from pypdf import PdfWriter

from app.auth.models import User
from app.catalogue.models import School, Zone
from app.encounters import services
from app.encounters.models import Encounter
from app.extensions import db as _db
from app.utils import utcnow
from tests import factories


def future(days: int = 10, hour: int = 14) -> datetime:  # noqa: F821
    """A time some days ahead, on the hour (UTC)."""
    return (utcnow() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def pdf_bytes(pages: int = 2) -> bytes:
    """A valid PDF of blank pages."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@dataclass
class World:
    zone: Zone
    other_zone: Zone
    schools: list[School]
    outside: School
    supervisor: User
    people: dict[str, User] = field(default_factory=dict)

    def encounter(
        self,
        groups=((0, 1), (2, 3)),
        *,
        days: int = 10,
        hours: int = 4,
        title: str = "Cuarta sesión ordinaria",
        schedule: bool = False,
        hosts=None,
        actor: User | None = None,
        modality="presencial",
    ) -> Encounter:
        """An encounter of the zone with these groups (indexes of ``schools``), hosts = first school."""
        actor = actor or self.supervisor
        start = future(days)
        encounter = services.create_encounter(
            {
                "title": title,
                "starts_at": start,
                "ends_at": start + timedelta(hours=hours),
                "modality": modality,
                "zone_ids": [self.zone.id],
            },
            actor=actor,
        )
        for k, members in enumerate(groups):
            host = hosts[k] if hosts else members[0]
            services.add_group(
                encounter,
                {
                    "school_ids": [self.schools[i].id for i in members],
                    "host_school_id": self.schools[host].id if host is not None else None,
                    "room": f"Aula {k + 1}",
                },
                actor=actor,
            )
        if schedule:
            services.schedule_encounter(encounter, actor=actor)
        _db.session.commit()
        return encounter


def quick_user(role: str, *, school: School | None = None, zone: Zone | None = None, **kw) -> User:
    """A user without a password hash (hashing is slow and these tests log in through the session)."""
    n = next(_seq)
    user = User(
        email=f"{role}.{n}@escuelas.example.mx",
        name=kw.pop("name", f"{role.title()} {n}"),
        role=role,
        school=school,
        zone=zone,
        password_hash="!",
        **kw,
    )
    _db.session.add(user)
    _db.session.commit()
    return user


_seq = itertools.count(1)


@pytest.fixture
def world(db) -> World:
    zone = factories.create_zone(cct="22FIZ0501A", number=501, sector_cct="22FJS0001A")
    other_zone = factories.create_zone(cct="22FIZ0502A", number=502, sector_cct="22FJS0009A")
    schools = [
        factories.create_school(
            zone,
            cct=f"22DPR05{k:02d}A",
            name=f"ESCUELA {chr(65 + k)}",
            address=f"CALLE {k + 1} NUM. {10 * (k + 1)}",
            locality="SAN JUAN",
        )
        for k in range(5)
    ]
    outside = factories.create_school(other_zone, cct="22DPR0599A", name="ESCUELA DE OTRA ZONA")
    supervisor = quick_user("supervisor", zone=zone, name="Supervisora Ruiz")
    return World(zone, other_zone, schools, outside, supervisor)
