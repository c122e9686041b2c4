"""Issue 11, contributions on a problem: each contribution names a problem of the group (the
presented one by default while a school presents, else the one the person chose) and records the
activity of the agenda the room was on."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.live import events, services
from app.live.models import Contribution
from app.validation import ValidationError


def _add(room, who, client_id, **data):
    row, created = services.add_contribution(
        room.group,
        {"kind": "propuesta", "text": "Lectura en voz alta diaria", **data},
        actor=room.people[who],
        client_id=client_id,
    )
    db.session.commit()
    return row, created


def _next(room, times=1):
    for _ in range(times):
        services.control_timer(room.group, "next", actor=room.people["facilitador"])
    db.session.commit()


def test_the_default_problem_is_the_presented_one_and_the_activity_is_stored(room):
    _next(room)  # agenda item 1: school A presents (activity 2), its deck's problem on screen
    row, created = _add(room, "docente_b", "p-default")
    assert created
    assert row.problem_id == room.problem.id
    assert row.activity == 2
    assert row.presenting_school_id == room.school_a.id


def test_an_explicit_problem_of_another_school_of_the_group_is_stored(room, create_problem):
    other = create_problem(room.school_b, title="Convivencia en el recreo")
    _next(room)  # A presents, but the person writes about B's problem
    row, created = _add(room, "docente_a", "p-explicit", problem_id=str(other.id))
    assert created and row.problem_id == other.id and row.activity == 2
    assert services.contribution_dict(row)["problem_id"] == other.id
    assert services.contribution_dict(row)["activity"] == 2


def test_a_problem_outside_the_group_is_refused_and_nothing_is_stored(room, create_problem):
    foreign = create_problem(room.school_c, title="Problema de otro grupo")
    _next(room)
    for bad in (foreign.id, "no-es-numero", 999999):
        with pytest.raises(ValidationError) as caught:
            _add(room, "docente_b", f"p-bad-{bad}", problem_id=bad)
        assert caught.value.errors["problem_id"] == "La problemática no es de una escuela del grupo."
        db.session.rollback()
    assert db.session.query(Contribution).count() == 0


def test_after_the_presentations_the_last_problem_shown_is_no_default(room, create_problem):
    other = create_problem(room.school_b, title="Asistencia irregular")
    _next(room, 3)  # past both turns: activity 4, and B still has the turn
    row, _created = _add(room, "docente_a", "p-after")
    assert row.problem_id is None  # not filed under whatever was last on screen
    assert row.activity == 4
    chosen, _created = _add(room, "docente_a", "p-after-chosen", problem_id=room.problem.id)
    assert chosen.problem_id == room.problem.id and chosen.activity == 4
    chosen_b, _created = _add(room, "docente_a", "p-after-b", problem_id=other.id)
    assert chosen_b.problem_id == other.id


def test_the_snapshot_offers_every_problem_of_the_group(room, create_problem):
    other = create_problem(room.school_b, title="Asistencia irregular")
    foreign = create_problem(room.school_c, title="Problema de otro grupo")
    services.clear_deck_cache()
    snap = services.snapshot(room.group, actor=room.people["docente_b"])
    offered = {p["id"]: p["school_id"] for p in snap["problems"]}
    assert offered[room.problem.id] == room.school_a.id
    assert offered[other.id] == room.school_b.id
    assert foreign.id not in offered


def test_the_contribution_event_carries_problem_and_activity(room, create_problem):
    from app import signals

    other = create_problem(room.school_b, title="Asistencia irregular")
    got = []

    def listener(group_id, event):
        got.append(event)

    signals.room_event.connect(listener)
    try:
        _next(room)
        _add(room, "docente_b", "p-event", problem_id=other.id)
    finally:
        signals.room_event.disconnect(listener)
    event = [e for e in got if e["type"] == "contribution"][-1]
    events.check_shape(event)
    assert event["contribution"]["problem_id"] == other.id
    assert event["contribution"]["activity"] == 2


def test_an_agenda_edited_before_the_session_runs_gives_the_next_contribution_its_new_activity(room):
    """A contribution written while the encounter is still scheduled (someone trying the room) makes
    the room keep the agenda's outline; editing the agenda then (it can be edited until the encounter
    runs) must not leave later contributions tagged with the old agenda's activity."""
    from app.encounters import agendas

    room.encounter.status = "programado"
    db.session.commit()
    first, _ = _add(room, "docente_b", "outline-1", problem_id=room.problem.id)
    assert first.activity == 1  # item 0: "Reconozcamos la importancia"
    # the supervisor moves the commitments item (activity 4) to the top of the agenda
    rows = [
        {
            "id": item.id,
            "title": item.title,
            "minutes": item.minutes,
            "position": 0 if item.activity == 4 else n,
        }
        for n, item in enumerate(room.group.agenda, start=1)
    ]
    agendas.update_agenda(room.group, rows, actor=room.people["supervisor"])
    db.session.commit()
    assert room.group.agenda[0].activity == 4
    second, _ = _add(room, "docente_b", "outline-2", problem_id=room.problem.id)
    assert second.activity == 4
