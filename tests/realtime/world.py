"""A live room to test with: an encounter of one zone whose group 1 has schools A (host) and B,
a facilitator, an agenda with presentation turns, A's generated slides about one problem, and one
person of every role the permission table asks about."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from flask import g

from app.auth.models import User
from app.encounters.models import AgendaItem, Encounter, EncounterGroup, EncounterSchool, Presentation
from app.extensions import db, socketio
from app.utils import utcnow
from realtime.rooms import LIVE_NAMESPACE
from tests import factories

_seq = itertools.count(1)


def quick_user(
    role: str, *, school=None, zone=None, name: str | None = None, password: str | None = None
) -> User:
    """A user (with a real password only when a browser must log in)."""
    n = next(_seq)
    user = User(
        email=f"sala.{role}.{n}@escuelas.example.mx",
        name=name or f"{role.title()} {n}",
        role=role,
        school=school,
        zone=zone,
        password_hash="!",
    )
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


@dataclass
class Room:
    encounter: Encounter
    group: EncounterGroup
    school_a: object
    school_b: object
    school_c: object  # same zone, another group
    problem: object
    people: dict[str, User] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"/encuentros/{self.encounter.id}/grupos/{self.group.position}/sala"


def build_room(*, status: str = "en_curso", password: str | None = None) -> Room:
    """Build the room and its people; everything is committed (other processes see it)."""
    n = next(_seq)
    zone = factories.create_zone(cct=f"22FIZ{n:04d}S"[:10], number=900 + n)
    other_zone = factories.create_zone(cct=f"22FIZ{n:04d}T"[:10], number=950 + n)
    a = factories.create_school(zone, cct=f"22DPR{n:03d}AA"[:10], name=f"ESCUELA ANFITRIONA {n}")
    b = factories.create_school(zone, cct=f"22DPR{n:03d}BB"[:10], name=f"ESCUELA INVITADA {n}")
    c = factories.create_school(zone, cct=f"22DPR{n:03d}CC"[:10], name=f"ESCUELA DE OTRO GRUPO {n}")
    other = factories.create_school(other_zone, cct=f"22DPR{n:03d}DD"[:10], name=f"ESCUELA DE OTRA ZONA {n}")
    problem = factories.create_problem(a, title="Comprensión lectora en 3°")
    people = {
        "admin": quick_user("admin", password=password),
        "supervisor": quick_user("supervisor", zone=zone, name="Supervisora Ruiz", password=password),
        "supervisor_otra_zona": quick_user("supervisor", zone=other_zone, password=password),
        "director_sede": quick_user("director", school=a, name="Directora Anfitriona", password=password),
        "docente_a": quick_user("docente", school=a, name="Maestra Ana", password=password),
        "director_b": quick_user("director", school=b, name="Director Beto", password=password),
        "docente_b": quick_user("docente", school=b, name="Maestro Bruno", password=password),
        "director_otro_grupo": quick_user("director", school=c, password=password),
        "director_otra_zona": quick_user("director", school=other, password=password),
        "asesor_asignado": quick_user("asesor", name="Asesora Sol", password=password),
        "asesor_no_asignado": quick_user("asesor", password=password),
        "facilitador": quick_user("asesor", name="Facilitadora Fer", password=password),
    }
    people["asesor_asignado"].advised_schools.append(b)
    start = utcnow() - timedelta(minutes=30)
    encounter = Encounter(
        title=f"Sesión de aprendizaje {n}",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        status=status,
        zones=[zone],
    )
    db.session.add(encounter)
    db.session.flush()
    facilitator_id, a_id, c_id = people["facilitador"].id, a.id, c.id
    group = EncounterGroup(
        encounter_id=encounter.id, position=1, host_school_id=a_id, facilitator_id=facilitator_id
    )
    other_group = EncounterGroup(encounter_id=encounter.id, position=2, host_school_id=c_id)
    db.session.add_all([group, other_group])
    db.session.flush()
    db.session.add_all(
        [
            EncounterSchool(encounter_id=encounter.id, group_id=group.id, school_id=a.id),
            EncounterSchool(encounter_id=encounter.id, group_id=group.id, school_id=b.id),
            EncounterSchool(encounter_id=encounter.id, group_id=other_group.id, school_id=c.id),
            AgendaItem(
                group_id=group.id, position=0, activity=1, title="Reconozcamos la importancia", minutes=10
            ),
            *(
                AgendaItem(
                    group_id=group.id,
                    position=position,
                    activity=2,
                    title=f"Presenta {school.name}",
                    minutes=15,
                    school_id=school.id,
                )
                for position, school in ((1, a), (2, b))
            ),
            AgendaItem(
                group_id=group.id,
                position=3,
                activity=4,
                title="Qué nos comprometemos a realizar",
                minutes=20,
            ),
            Presentation(
                encounter_id=encounter.id,
                school_id=a.id,
                kind="generada",
                problem_ids=[problem.id],
                ask="¿Qué les ha funcionado?",
                is_ready=True,
            ),
        ]
    )
    db.session.commit()
    return Room(encounter, group, a, b, c, problem, people)


def restore_real_transport() -> None:
    """Undo Flask-SocketIO's test client patch of the shared server (it replaces the methods that
    send packets, for good), so that real clients of a live server receive packets again."""
    server = getattr(socketio, "server", None)
    if server is not None:
        server.__dict__.pop("_send_packet", None)
        server.__dict__.pop("_send_eio_packet", None)


@pytest.fixture
def room(db):
    """The built room (committed)."""
    return build_room()


@pytest.fixture
def sio_for(app, db):
    """sio_for(user) -> a connected Socket.IO test client on /sala (None user: anonymous)."""
    clients = []

    def _connect(user=None, **kw):
        http = app.test_client()
        if user is not None:
            with http.session_transaction() as sess:
                factories.log_in(sess, user)
        g.pop("_login_user", None)
        client = socketio.test_client(app, namespace=LIVE_NAMESPACE, flask_test_client=http, **kw)
        clients.append(client)
        return client

    yield _connect
    for client in clients:
        if client.is_connected(LIVE_NAMESPACE):
            client.disconnect(LIVE_NAMESPACE)
    restore_real_transport()
