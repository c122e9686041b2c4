"""The people and groups each process keeps for the room's permission checks (realtime.access):
used while nothing changed, dropped by a committed change, never the only reason for a refusal."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import delete, insert, inspect

from app.encounters.models import EncounterSchool
from app.extensions import db
from realtime import access
from realtime.rooms import LIVE_NAMESPACE as NS
from tests.realtime.test_statement_counts import counted

pytestmark = pytest.mark.usefixtures("db")


def emit(client, event, data):
    return client.emit(event, data, namespace=NS, callback=True)


def test_events_after_the_first_read_no_person_or_group(app, room, sio_for):
    gid = room.group.id
    ana = sio_for(room.people["docente_a"])
    assert emit(ana, "join", {"group_id": gid})["ok"]
    with counted() as statements:
        assert emit(ana, "hand", {"group_id": gid, "action": "raise"})["ok"]
        assert emit(ana, "hand", {"group_id": gid, "action": "lower"})["ok"]
    assert statements == []
    kept = access.cache_of(app)
    assert gid in kept.groups and len(kept.people) == 1


def test_a_committed_change_of_the_group_is_read_at_the_next_event(app, room, sio_for):
    """The facilitator hands the group to someone else: the kept group goes with the commit, and
    the former facilitator can no longer run the clock."""
    gid = room.group.id
    fer = sio_for(room.people["facilitador"])
    assert emit(fer, "join", {"group_id": gid})["ok"]
    assert emit(fer, "timer", {"group_id": gid, "action": "start"})["ok"]
    room.group.facilitator_id = room.people["supervisor_otra_zona"].id
    db.session.commit()
    assert gid not in access.cache_of(app).groups
    ack = emit(fer, "timer", {"group_id": gid, "action": "pause"})
    assert not ack["ok"] and ack["error"] == "prohibido"


def test_a_kept_group_behind_the_database_never_refuses_alone(app, room, sio_for):
    """A school moved into the group outside the ORM (no event tells the processes): the kept group
    still lacks it, so the join is checked again on fresh rows before any refusal, and admitted."""
    gid = room.group.id
    ana = sio_for(room.people["docente_a"])
    assert emit(ana, "join", {"group_id": gid})["ok"]  # the group is kept now, with schools a and b
    table = EncounterSchool.__table__
    connection = db.session.connection()
    connection.execute(delete(table).where(table.c.school_id == room.school_c.id))
    connection.execute(
        insert(table).values(encounter_id=room.group.encounter_id, group_id=gid, school_id=room.school_c.id)
    )
    db.session.commit()
    assert gid in access.cache_of(app).groups  # nobody was told
    carla = sio_for(room.people["director_otro_grupo"])
    ack = emit(carla, "join", {"group_id": gid})
    assert ack["ok"], ack
    assert room.school_c.id in {s["id"] for s in ack["snapshot"]["schools"]}


def test_people_connecting_at_once_are_read_in_one_statement(app, room):
    """A CTE session opens with everyone at once: while one read of people runs, the handshakes
    arriving meanwhile wait and are read together, each getting its own detached copy."""
    import threading

    reads = access.cache_of(app).reads
    people = [room.people[k] for k in ("docente_a", "director_b", "docente_b", "asesor_asignado")]
    ids = [p.id for p in people]
    emails = {p.id: p.email for p in people}
    advisor_id, school_b_id = room.people["asesor_asignado"].id, room.school_b.id
    teacher_a_id, school_a_id = room.people["docente_a"].id, room.school_a.id
    found: dict[int, object] = {}

    def connect(user_id):
        with app.app_context():
            found[user_id] = reads.person(user_id)

    with counted() as statements:
        reads.reading.acquire()  # a read in progress: the handshakes below queue behind it
        threads = [threading.Thread(target=connect, args=(i,)) for i in ids]
        try:
            for t in threads:
                t.start()
            deadline = time.monotonic() + 5
            while (
                reads.waiting is None or len(reads.waiting.ids) < len(ids)
            ) and time.monotonic() < deadline:
                time.sleep(0.01)
            assert reads.waiting is not None and reads.waiting.ids == set(ids)
        finally:
            reads.reading.release()
        for t in threads:
            t.join(5)
    user_reads = [s for s in statements if s.lstrip().startswith("SELECT users.")]
    assert len(user_reads) == 2, statements  # the people, then the advisor's schools and zones
    assert "JOIN schools" in user_reads[0]  # each person's school read with them
    assert {i: found[i].email for i in ids} == emails
    assert all(inspect(found[i]).detached for i in ids)
    assert inspect(found[teacher_a_id]).dict["school"].id == school_a_id
    advisor = found[advisor_id]  # with what the permission checks read
    assert [s.id for s in inspect(advisor).dict["advised_schools"]] == [school_b_id]


def test_a_lone_handshake_is_read_at_once(app, room):
    reads = access.cache_of(app).reads
    ana_id = room.people["docente_a"].id
    with counted() as statements:
        copy = reads.person(ana_id)
    assert copy.id == ana_id and len([s for s in statements if "FROM users" in s]) == 1
    assert reads.waiting is None


def test_a_table_statement_through_the_session_drops_what_is_kept(app, room, sio_for):
    """The catalogue import moves schools with UPDATE statements on the table itself (no ORM
    object): at its commit every kept group goes, so a room checks the new zone at once."""
    from sqlalchemy import update

    from app.catalogue.models import School

    gid = room.group.id
    ana = sio_for(room.people["docente_a"])
    assert emit(ana, "join", {"group_id": gid})["ok"]
    kept = access.cache_of(app)
    assert gid in kept.groups
    table = School.__table__
    db.session.execute(update(table).where(table.c.id == room.school_c.id).values(name="ESCUELA RENOMBRADA"))
    assert gid in kept.groups  # not before the commit
    db.session.commit()
    assert gid not in kept.groups and not kept.people


def _reading_the_host_school(monkeypatch, seen: list):
    """``change_slide`` as a path that reads more of the group than is kept (its host school)."""
    from app.live import services

    real = services.change_slide

    def change_slide(group, slide, *, actor):
        seen.append(inspect(group).detached)
        assert group.host_school is not None  # not kept: raises on the kept copy itself
        return real(group, slide, actor=actor)

    monkeypatch.setattr(services, "change_slide", change_slide)


def test_a_hot_event_gets_the_kept_copies_and_one_reading_more_runs_again_bound(
    app, room, sio_for, monkeypatch, caplog
):
    """The hot events get the person and the group as kept, unbound (no merge per event); a path
    that reads what is not kept runs again with both bound, with a warning, and is acknowledged."""
    import logging

    monkeypatch.setitem(app.config, "LIVE_STRICT_DETACHED", False)
    gid = room.group.id
    fer = sio_for(room.people["facilitador"])
    assert emit(fer, "join", {"group_id": gid})["ok"]
    assert emit(fer, "turn", {"group_id": gid, "school_id": room.school_a.id})["ok"]
    seen = []
    _reading_the_host_school(monkeypatch, seen)
    with caplog.at_level(logging.WARNING, logger="realtime.namespaces"):
        assert emit(fer, "slide", {"group_id": gid, "slide": 1})["ok"]
    assert seen == [True, False]  # the kept copy first, then bound to the event's session
    assert "leyó más de lo que se guarda" in caplog.text


def test_in_the_tests_a_hot_event_reading_more_than_is_kept_fails(app, room, sio_for, monkeypatch):
    """``LIVE_STRICT_DETACHED`` (on for the test suite): such a path fails, so it is found and bound."""
    from sqlalchemy.orm.exc import DetachedInstanceError

    assert app.config["LIVE_STRICT_DETACHED"]
    gid = room.group.id
    fer = sio_for(room.people["facilitador"])
    assert emit(fer, "join", {"group_id": gid})["ok"]
    assert emit(fer, "turn", {"group_id": gid, "school_id": room.school_a.id})["ok"]
    _reading_the_host_school(monkeypatch, [])
    with pytest.raises(DetachedInstanceError):
        emit(fer, "slide", {"group_id": gid, "slide": 1})
