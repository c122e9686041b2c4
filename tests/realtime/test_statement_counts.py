"""A regression guard on the database work of the room's hot events: how many SQL statements one
event runs through the socket (wrapper + service + commit), counted with SQLAlchemy's
``before_cursor_execute``. Counts, not times: a change that adds a query to a hot event fails here.

Run with ``-s`` to see the statements of each event (``AEE_PRINT_SQL=1``).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from app.extensions import db
from realtime.rooms import LIVE_NAMESPACE as NS

pytestmark = pytest.mark.usefixtures("db")

#: The most statements each event may run through the socket (before the cuts of Nov 2026: join 32,
#: slide 15, contribution 14, commitment 16; before issue 15: join 18, slide 4, commitment 10; see
#: docs/benchmarks_live.md). A join is served from the room's kept snapshot. A slide change runs
#: none: the person and the group its permission checks read are kept per connection and per room
#: (realtime.access), the room's state lives in app.live.state_store, and the database's copy is
#: written apart from the event (issue 15). A join here is a school's first presence: the
#: attendance inserted unless recorded (one statement); the room's row is not read (the store keeps
#: who is present, and the row's copy follows it). A contribution takes the room's row lock without
#: reading the row, and is inserted by one statement that also checks its author's cap.
LIMITS = {"join": 1, "slide": 0, "contribution_add": 2, "commitment_add": 7}
WRITES = ("INSERT", "UPDATE", "DELETE")


@contextmanager
def counted():
    """Collect the SQL statements run inside the block (every engine of the app). The test client
    runs each event in the test's own app context, so in its session: emptied first, the event finds
    nothing the test loaded, as a server's event finds nothing (its session is its own)."""
    statements: list[str] = []
    db.session.expunge_all()

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)
        if os.environ.get("AEE_PRINT_SQL"):
            for s in statements:
                print("   ", " ".join(s.split())[:160])


def emit(client, name, data):
    ack = client.emit(name, data, namespace=NS, callback=True)
    assert ack["ok"], ack
    return ack


def _measure(room, sio_for) -> dict[str, int]:
    gid = room.group.id
    f = sio_for(room.people["facilitador"])
    a = sio_for(room.people["docente_a"])
    b = sio_for(room.people["director_b"])
    emit(f, "join", {"group_id": gid})
    emit(a, "join", {"group_id": gid})
    counts = {}
    with counted() as s:
        emit(b, "join", {"group_id": gid})
    counts["join"] = len(s)
    emit(f, "turn", {"group_id": gid, "school_id": room.school_a.id})
    emit(a, "slide", {"group_id": gid, "slide": 1})
    with counted() as s:
        on_screen = emit(a, "slide", {"group_id": gid, "slide": 2})["state"]["problem_id"]
    counts["slide"] = len(s)
    assert not [q for q in s if q.lstrip().upper().startswith(WRITES)], s  # no row touched
    assert on_screen == room.problem.id  # (read outside the counted blocks: it reloads the problem)
    emit(b, "contribution_add", {"group_id": gid, "client_id": "warm", "kind": "pregunta", "text": "¿Cómo?"})
    with counted() as s:
        # as the browser sends it: with the problem on screen, which the server set itself
        emit(
            b,
            "contribution_add",
            {
                "group_id": gid,
                "client_id": "c-count",
                "kind": "propuesta",
                "text": "Lectura en voz alta",
                "problem_id": on_screen,
            },
        )
    counts["contribution_add"] = len(s)
    due = (date.today() + timedelta(days=30)).isoformat()
    with counted() as s:
        emit(
            b,
            "commitment_add",
            {
                "group_id": gid,
                "client_id": "k-count",
                "action": "Círculos de lectura",
                "responsible": "Maestro Bruno",
                "due_date": due,
                "follow_up": "Registro semanal",
            },
        )
    counts["commitment_add"] = len(s)
    return counts


def test_hot_events_stay_within_their_statement_budget(room, sio_for):
    counts = _measure(room, sio_for)
    print("sentencias SQL por evento:", counts)
    over = {k: (n, LIMITS[k]) for k, n in counts.items() if n > LIMITS[k]}
    assert not over, f"más sentencias que el límite (medidas, límite): {over}"


def test_the_agendas_first_turn_is_outlined_at_the_first_join(room, sio_for):
    """A room whose agenda opens with a school's presentation starts with that turn given: its
    deck's outline is kept at the first join, so even the first slide change reads nothing (it read
    the deck, ~5 ms, and 50 rooms' first changes at once had made the first burst 4× the others)."""
    first = min(room.group.agenda, key=lambda item: item.position)
    first.school_id = room.school_a.id
    db.session.commit()
    gid = room.group.id
    a = room.people["docente_a"]
    client = sio_for(a)
    assert emit(client, "join", {"group_id": gid})["snapshot"]["state"]["turn_school_id"] == room.school_a.id
    with counted() as s:
        emit(client, "slide", {"group_id": gid, "slide": 1})
    assert s == []


def test_a_schools_second_join_reads_no_row(room, sio_for):
    """The room's start and a school's presence are in the row after its first join: the next
    person of that school reads neither the room's row nor the attendance (a room's people arrive
    together, and each used to read and write them)."""
    gid = room.group.id
    emit(sio_for(room.people["director_sede"]), "join", {"group_id": gid})
    teacher = sio_for(room.people["docente_a"])
    with counted() as s:
        emit(teacher, "join", {"group_id": gid})
    assert s == []  # the room's snapshot is kept, and nothing else is read
    assert not [q for q in s if "live_sessions" in q or "attendance" in q], s
