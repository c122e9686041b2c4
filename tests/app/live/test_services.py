"""The live room's services: business rules, versions, attendance and publish-after-commit."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from app.auth.models import User
from app.encounters.models import Attendance, EncounterGroup
from app.extensions import db
from app.live import services, state_store
from app.live.models import Contribution, LiveSession
from app.utils import as_utc, utcnow
from app.validation import PermissionDenied, ValidationError
from realtime import publish


@pytest.fixture
def emitted(monkeypatch):
    sent = []
    monkeypatch.setattr(publish, "_emit", lambda ns, room, payload: sent.append((room, payload)))
    return sent


@contextmanager
def _statements_naming(word: str):
    """The threads (by name) of the statements naming ``word`` run inside the block."""
    names: list[str] = []

    def count(conn, cursor, statement, *args):
        if word in statement:
            names.append(threading.current_thread().name)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield names
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _joins_and_commits(app, group_id: int, user_id: int) -> None:
    """A person's join in a transaction (and app context) of its own, as another event's."""
    with app.app_context():
        services.join(db.session.get(EncounterGroup, group_id), actor=db.session.get(User, user_id))
        db.session.commit()


def test_first_presence_of_a_school_records_attendance_from_the_room(room):
    services.join(room.group, actor=room.people["docente_b"])
    db.session.commit()
    row = (
        db.session.query(Attendance)
        .filter_by(encounter_id=room.encounter.id, school_id=room.school_b.id)
        .one()
    )
    assert row.source == "sala" and row.status == "presente"
    services.join(room.group, actor=room.people["director_b"])  # second person: no second row
    db.session.commit()
    assert db.session.query(Attendance).filter_by(school_id=room.school_b.id).count() == 1


def test_the_hosts_record_stands_when_the_school_opens_its_room(room):
    """The host marked the school absent-with-reason before its people opened the room: the room's
    presence does not overwrite it (one statement that inserts or leaves the row as it is)."""
    from app.encounters import services as encounter_services

    encounter_services.record_attendance(
        room.encounter, room.school_b, "justificada", actor=room.people["director_sede"]
    )
    db.session.commit()
    services.join(room.group, actor=room.people["docente_b"])
    db.session.commit()
    row = db.session.query(Attendance).filter_by(school_id=room.school_b.id).one()
    assert (row.status, row.source) == ("justificada", "sede")


def test_one_join_per_school_records_its_attendance_and_a_rolled_back_one_leaves_it_to_the_next(app, room):
    """While a join of school B records its attendance (not yet committed), another person of B
    joining writes nothing for it (a school's people arrive together: each used to insert, and on
    PostgreSQL each waited for the first's commit); if the first rolls back, the next join records it."""
    services.join(room.group, actor=room.people["facilitador"])  # the room has started
    db.session.commit()
    gid, director_id = room.group.id, room.people["director_b"].id
    with _statements_naming("attendance") as inserts:
        services.join(room.group, actor=room.people["docente_b"])  # records B's attendance…
        other = threading.Thread(target=_joins_and_commits, args=(app, gid, director_id), name="director")
        other.start()
        other.join(5)
        assert inserts == ["MainThread"]  # …and the director's join meanwhile leaves it to it
        db.session.rollback()  # the teacher's join fails after all
        _joins_and_commits(app, gid, director_id)  # the next join of B records it
    assert inserts == ["MainThread", "MainThread"]
    row = db.session.query(Attendance).filter_by(school_id=room.school_b.id).one()
    assert (row.source, row.recorded_by_id) == ("sala", director_id)


def test_people_of_no_school_record_no_attendance_and_the_room_starts_at_the_first_join(room):
    before = utcnow()
    services.join(room.group, actor=room.people["facilitador"])
    db.session.commit()
    assert db.session.query(Attendance).count() == 0
    live = db.session.query(LiveSession).one()
    assert live.present_school_ids == [] and as_utc(live.started_at) >= before - timedelta(seconds=1)


def test_no_attendance_before_the_session_starts(db, app):
    from tests.realtime.world import build_room

    scheduled = build_room(status="programado")
    services.join(scheduled.group, actor=scheduled.people["docente_a"])
    db.session.commit()
    assert db.session.query(Attendance).count() == 0
    # who is present lives in the room's store; the row's copy follows from it within a second
    assert db.session.query(LiveSession).one().present_school_ids == []
    assert state_store.persister_of(app).flush() == 1
    db.session.expire_all()
    assert db.session.query(LiveSession).one().present_school_ids == [scheduled.school_a.id]


def test_events_are_emitted_only_after_commit(room, emitted):
    services.add_contribution(
        room.group, {"kind": "pregunta", "text": "¿?"}, actor=room.people["docente_a"], client_id="p1"
    )
    assert emitted == [] and len(publish.pending_events(db.session)) == 1
    db.session.commit()
    assert [p["type"] for _, p in emitted] == ["contribution"]
    assert emitted[0][0] == f"grupo:{room.group.id}"


def test_a_rollback_drops_the_events_and_the_row(room, emitted):
    services.add_contribution(
        room.group, {"kind": "pregunta", "text": "¿?"}, actor=room.people["docente_a"], client_id="p2"
    )
    db.session.rollback()
    db.session.commit()
    assert emitted == [] and db.session.query(Contribution).count() == 0


def test_each_event_bumps_the_version_once(app, room, emitted):
    f = room.people["facilitador"]
    services.control_timer(room.group, "next", actor=f)  # the next item is school A's turn
    db.session.commit()
    assert [(p["type"], p["version"]) for _, p in emitted] == [("timer", 1), ("turn", 2)]
    # the database's copy follows asynchronously (app.live.state_store), coalesced
    assert db.session.query(LiveSession).one().version == 0
    assert state_store.persister_of(app).flush() == 1
    db.session.expire_all()
    stored = db.session.query(LiveSession).one()
    assert stored.version == 2 and stored.state["turn_school_id"] == room.school_a.id


def test_the_databases_copy_takes_the_stores_keys_and_keeps_the_rows_own(room, app):
    """The copy merges the store's keys into the row's state (on PostgreSQL in SQL, unread): the
    keys only the row holds (the close, written under the row's lock) stay."""
    services.control_timer(room.group, "start", actor=room.people["facilitador"])
    db.session.commit()
    live = db.session.query(LiveSession).one()
    live.state = {**live.state, "closed_at": "2026-12-06T10:00:00+00:00"}
    db.session.commit()
    services.control_timer(room.group, "pause", actor=room.people["facilitador"])
    db.session.commit()
    assert state_store.persister_of(app).flush() == 1
    db.session.expire_all()
    stored = db.session.query(LiveSession).one()
    assert stored.state["closed_at"] == "2026-12-06T10:00:00+00:00"
    assert stored.state["timer"]["running"] is False and stored.state["timer"]["remaining"] > 0
    assert stored.version == 2 and stored.present_school_ids == []


def test_timer_pause_keeps_what_remains(room):
    f = room.people["facilitador"]
    services.control_timer(room.group, "start", actor=f)
    state = services.control_timer(room.group, "pause", actor=f)
    assert state["timer"]["running"] is False and 595 <= state["timer"]["remaining"] <= 600
    state = services.control_timer(room.group, "extend", actor=f, minutes=2)
    assert state["timer"]["duration"] == 720
    with pytest.raises(ValidationError):
        services.control_timer(room.group, "extend", actor=f, minutes=500)
    with pytest.raises(ValidationError):
        services.control_timer(room.group, "previous", actor=f)


def test_contribution_edit_window(room, app):
    author = room.people["docente_a"]
    row, _ = services.add_contribution(
        room.group, {"kind": "pregunta", "text": "uno"}, actor=author, client_id="e1"
    )
    services.edit_contribution(room.group, row.id, {"text": "dos"}, actor=author)
    assert row.text == "dos" and row.edited_at is not None
    with pytest.raises(PermissionDenied):
        services.edit_contribution(room.group, row.id, {"text": "tres"}, actor=room.people["docente_b"])
    row.created_at = row.created_at - timedelta(minutes=app.config.get("CONTRIBUTION_EDIT_MINUTES", 5) + 1)
    with pytest.raises(PermissionDenied):
        services.edit_contribution(room.group, row.id, {"text": "tarde"}, actor=author)


def test_edit_minutes_come_from_the_configuration(app, room, monkeypatch):
    assert services.edit_minutes() == 5  # config.py's default
    monkeypatch.setitem(app.config, "CONTRIBUTION_EDIT_MINUTES", 30)
    assert services.edit_minutes() == 30


def test_hiding_needs_the_facilitator_and_a_reason(room):
    row, _ = services.add_contribution(
        room.group, {"kind": "pregunta", "text": "fuera"}, actor=room.people["docente_b"], client_id="h1"
    )
    with pytest.raises(PermissionDenied):
        services.hide_contribution(room.group, row.id, "no", actor=room.people["docente_a"])
    with pytest.raises(ValidationError):
        services.hide_contribution(room.group, row.id, " ", actor=room.people["facilitador"])
    services.hide_contribution(room.group, row.id, "Fuera de tema", actor=room.people["facilitador"])
    shown = services.contribution_dict(row)
    assert shown["text"] is None and shown["hidden_reason"] == "Fuera de tema"
    assert row.text == "fuera"  # kept for the record


def test_will_try_only_for_proposals_by_the_presenting_school_or_facilitator(room):
    services.give_turn(room.group, room.school_a.id, actor=room.people["facilitador"])
    proposal, _ = services.add_contribution(
        room.group,
        {"kind": "propuesta", "text": "Tutoría entre pares"},
        actor=room.people["docente_b"],
        client_id="w1",
    )
    question, _ = services.add_contribution(
        room.group, {"kind": "pregunta", "text": "¿?"}, actor=room.people["docente_b"], client_id="w2"
    )
    with pytest.raises(PermissionDenied):
        services.set_will_try(room.group, proposal.id, True, actor=room.people["docente_b"])
    services.set_will_try(room.group, proposal.id, True, actor=room.people["docente_a"])
    assert proposal.will_try is True and proposal.presenting_school_id == room.school_a.id
    assert proposal.problem_id == room.problem.id  # attached to the problem being presented
    with pytest.raises(ValidationError):
        services.set_will_try(room.group, question.id, True, actor=room.people["facilitador"])


def test_contribution_problem_must_belong_to_the_group(room, create_problem):
    foreign = create_problem(room.school_c)
    with pytest.raises(ValidationError) as caught:
        services.add_contribution(
            room.group,
            {"kind": "pregunta", "text": "¿?", "problem_id": foreign.id},
            actor=room.people["docente_a"],
            client_id="x1",
        )
    assert "problem_id" in caught.value.errors


def test_client_id_is_required_and_not_reused_by_someone_else(room):
    with pytest.raises(ValidationError):
        services.add_contribution(
            room.group, {"kind": "pregunta", "text": "¿?"}, actor=room.people["docente_a"], client_id=""
        )
    services.add_contribution(
        room.group, {"kind": "pregunta", "text": "¿?"}, actor=room.people["docente_a"], client_id="mine"
    )
    with pytest.raises(ValidationError):
        services.add_contribution(
            room.group, {"kind": "pregunta", "text": "¿?"}, actor=room.people["docente_b"], client_id="mine"
        )


def test_hand_queue(room):
    a, b, f = room.people["docente_a"], room.people["docente_b"], room.people["facilitador"]
    services.join(room.group, actor=b)
    services.raise_hand(room.group, actor=a)
    services.raise_hand(room.group, actor=b)
    state = services.raise_hand(room.group, actor=a)  # once only
    assert [h["user_id"] for h in state["hands"]] == [a.id, b.id]
    with pytest.raises(PermissionDenied):
        services.give_floor(room.group, b.id, actor=a)
    with pytest.raises(PermissionDenied):
        services.lower_hand(room.group, actor=a, user_id=b.id)
    state = services.give_floor(room.group, b.id, actor=f)
    assert state["floor_user_id"] == b.id and [h["user_id"] for h in state["hands"]] == [a.id]
    state = services.clear_hands(room.group, actor=f)
    assert state["hands"] == [] and state["floor_user_id"] is None
    with pytest.raises(PermissionDenied):
        services.raise_hand(room.group, actor=room.people["asesor_asignado"])


def test_commitment_for_another_school_is_refused_to_a_teacher(room):
    with pytest.raises(PermissionDenied):
        services.add_commitment(
            room.group,
            {"school_id": room.school_b.id, "action": "x", "responsible": "y", "due_date": "2099-01-01"},
            actor=room.people["docente_a"],
            client_id="k-other",
        )


def test_next_starts_the_next_activitys_timer_and_previous_leaves_it_stopped(room):
    """Issue 13: *Siguiente* starts the next activity's clock; going back does not."""
    f = room.people["facilitador"]
    state = services.control_timer(room.group, "next", actor=f)
    item = room.group.agenda[state["agenda_index"]]
    assert state["timer"]["running"] is True and state["timer"]["started_at"]
    assert state["timer"]["duration"] == item.minutes * 60
    state = services.control_timer(room.group, "previous", actor=f)
    assert state["timer"]["running"] is False and state["timer"]["started_at"] is None


def test_a_turn_to_speak_has_its_own_clock(room, app, emitted, monkeypatch):
    """Issue 13: giving the floor starts its countdown (LIVE_FLOOR_SECONDS), sent with the hands
    event; ending it, lowering that hand or emptying the queue stops it."""
    a, f = room.people["docente_a"], room.people["facilitador"]
    monkeypatch.setitem(app.config, "LIVE_FLOOR_SECONDS", 90)
    services.join(room.group, actor=a)  # in the room: the floor may be given again after it ends
    services.raise_hand(room.group, actor=a)
    state = services.give_floor(room.group, a.id, actor=f)
    assert state["floor"]["seconds"] == 90 and state["floor"]["started_at"]
    db.session.commit()
    hands = [p for _room, p in emitted if p["type"] == "hands"][-1]
    assert hands["floor"] == state["floor"] and hands["floor_user_id"] == a.id
    assert services.give_floor(room.group, None, actor=f)["floor"] is None
    services.give_floor(room.group, a.id, actor=f)
    assert services.lower_hand(room.group, actor=f, user_id=a.id)["floor"] is None
    services.give_floor(room.group, a.id, actor=f)
    assert services.clear_hands(room.group, actor=f)["floor"] is None


def test_a_rooms_first_joins_write_its_row_one_at_a_time(app, room):
    """While the room's first join starts it (its row written, not yet committed), the others
    wait for that commit and then write no row: one statement on the room's row per room, where a
    join storm had three creators per room, two rolled back. A school's first presence writes only
    its attendance; the row's copy of who is present follows from the store."""
    import time

    from app.live import snapshots

    gid, bruno_id = room.group.id, room.people["docente_b"].id
    done = {}

    def bruno_joins():
        _joins_and_commits(app, gid, bruno_id)
        done["at"] = time.monotonic()

    with _statements_naming("live_sessions") as row_statements:
        try:
            services.join(room.group, actor=room.people["facilitador"])  # the room's first join…
            other = threading.Thread(target=bruno_joins, name="bruno")
            other.start()
            time.sleep(0.3)
            assert "at" not in done  # waiting for the room's start
            db.session.commit()  # …commits, which wakes the others
            committed = time.monotonic()
            other.join(5)
        finally:
            snapshots._JOINING.pop(gid, None)
    assert done["at"] >= committed
    assert row_statements == ["MainThread"]  # one INSERT of the row; Bruno's join reads none
    assert db.session.query(Attendance).filter_by(school_id=room.school_b.id).one().source == "sala"
    assert state_store.persister_of(app).flush() == 1
    db.session.expire_all()
    assert db.session.query(LiveSession).one().present_school_ids == [room.school_b.id]


def test_the_cap_holds_for_two_writes_of_one_person_at_once(app, room, monkeypatch):
    """Two contributions of one person at the same moment (two connections), one short of the cap:
    the second waits for the first's lock on the room, then counts the first and is refused (a count
    read before the lock would have let both in)."""
    import time

    monkeypatch.setitem(app.config, "LIVE_CONTRIBUTIONS_PER_PERSON", 1)
    author = room.people["docente_a"]
    gid, author_id = room.group.id, author.id
    services.add_contribution(
        room.group, {"kind": "pregunta", "text": "uno"}, actor=author, client_id="first"
    )
    outcome = {}

    def second():
        with app.app_context():
            group, user = db.session.get(EncounterGroup, gid), db.session.get(User, author_id)
            try:
                services.add_contribution(
                    group, {"kind": "pregunta", "text": "dos"}, actor=user, client_id="second"
                )
                db.session.commit()
                outcome["result"] = "stored"
            except ValidationError as exc:
                db.session.rollback()
                outcome["result"] = getattr(exc, "code", "invalido")

    other = threading.Thread(target=second, name="second")
    other.start()
    time.sleep(0.3)
    assert "result" not in outcome  # waiting for the room's lock, held by the first write
    db.session.commit()
    other.join(10)
    assert outcome["result"] == "limite"
    db.session.expire_all()
    assert [c.client_id for c in db.session.query(Contribution).all()] == ["first"]
