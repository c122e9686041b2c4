"""The hot events' shortcuts keep the room's behaviour: the deck outline kept in the state when a
turn is given, the state keys, and the one-statement insert of a contribution."""

from __future__ import annotations

import time

import pytest

from app.encounters.models import Presentation
from app.extensions import db
from app.live import room as room_module
from app.live import services, snapshots, state_store
from app.live.models import Contribution
from app.validation import ValidationError


def _stored_state(room) -> dict:
    """The room's state where it lives while the session runs (app.live.state_store)."""
    db.session.expire_all()
    return room_module._room(room.group)[1]


def test_state_keys_are_those_of_a_new_room(room):
    assert services.STATE_KEYS == set(room_module._initial_state(room.group))


def test_giving_the_turn_keeps_the_decks_outline_and_hides_it_from_clients(room):
    deck = services.school_deck(room.encounter, room.school_a)
    public = services.give_turn(room.group, room.school_a.id, actor=room.people["facilitador"])
    db.session.commit()
    outline = _stored_state(room)["deck"]
    assert outline == {"school_id": room.school_a.id, "problems": [s["problem_id"] for s in deck["slides"]]}
    assert "deck" not in public and public["problem_id"] == room.problem.id
    services.give_turn(room.group, None, actor=room.people["facilitador"])
    db.session.commit()
    assert "deck" not in _stored_state(room)


@pytest.mark.parametrize("outline", ["missing", "other_school", "too_short"])
def test_change_slide_rebuilds_an_outline_that_is_missing_stale_or_short(app, room, outline):
    """A room stored before the outline existed, or whose outline no longer fits, still moves."""
    deck = services.school_deck(room.encounter, room.school_a)
    last = deck["count"] - 1
    services.give_turn(room.group, room.school_a.id, actor=room.people["facilitador"])
    db.session.commit()
    kept, state = room_module._room(room.group)
    if outline == "missing":
        state.pop("deck")
    elif outline == "other_school":
        state["deck"] = {"school_id": room.school_b.id, "problems": [None]}
    else:
        state["deck"] = {"school_id": room.school_a.id, "problems": [None]}
    state_store.store_of(app).put(room.group.id, kept.version, state)
    public = services.change_slide(room.group, last, actor=room.people["docente_a"])
    db.session.commit()
    assert public["slide"] == last
    assert len(_stored_state(room)["deck"]["problems"]) == deck["count"]
    with pytest.raises(ValidationError):
        services.change_slide(room.group, deck["count"], actor=room.people["docente_a"])


def test_a_retried_contribution_with_a_bad_problem_returns_the_stored_row(room, create_problem):
    """The stored row wins over re-validating the problem (as before the one-statement insert)."""
    services.give_turn(room.group, room.school_a.id, actor=room.people["facilitador"])
    first, created = services.add_contribution(
        room.group, {"kind": "pregunta", "text": "¿Cómo?"}, actor=room.people["docente_b"], client_id="r-1"
    )
    db.session.commit()
    foreign = create_problem(room.school_c)
    again, created_again = services.add_contribution(
        room.group,
        {"kind": "pregunta", "text": "¿Cómo?", "problem_id": foreign.id},
        actor=room.people["docente_b"],
        client_id="r-1",
    )
    assert created and not created_again and again.id == first.id
    assert db.session.query(Contribution).filter_by(client_id="r-1").count() == 1
    with pytest.raises(ValidationError) as caught:
        services.add_contribution(
            room.group,
            {"kind": "pregunta", "text": "¿Cómo?"},
            actor=room.people["docente_a"],
            client_id="r-1",
        )
    assert "client_id" in caught.value.errors


def _deck_builds(monkeypatch) -> list[int]:
    """Count the decks built (school ids) while snapshots are taken."""
    built: list[int] = []
    real = services.school_deck

    def counting(encounter, school, *args, **kwargs):
        built.append(school.id)
        return real(encounter, school, *args, **kwargs)

    monkeypatch.setattr(snapshots, "school_deck", counting)  # where snapshot() looks it up
    return built


def test_snapshots_reuse_each_schools_deck_until_its_presentation_changes(room, monkeypatch):
    built = _deck_builds(monkeypatch)
    first = services.snapshot(room.group, actor=room.people["docente_a"])
    assert sorted(built) == sorted(m.school_id for m in room.group.schools)
    built.clear()
    second = services.snapshot(room.group, actor=room.people["director_b"])
    assert built == []  # a second person joining builds nothing
    assert second["schools"] == first["schools"] and second["problems"] == first["problems"]
    second["schools"][0]["deck"]["slides"].clear()  # a caller's change does not reach the kept deck
    assert services.snapshot(room.group, actor=room.people["docente_a"])["schools"] == first["schools"]

    presentation = next(
        p
        for p in db.session.query(Presentation).filter_by(
            encounter_id=room.encounter.id, school_id=room.school_a.id
        )
    )
    presentation.ask = "¿Qué les funcionó con la lectura en voz alta?"
    db.session.commit()  # updated_at moves: a new presentation version
    built.clear()
    services.snapshot(room.group, actor=room.people["docente_a"])
    assert built == []  # the room's kept snapshot (no room event since): for SNAPSHOT_CACHE_SECONDS
    later = time.monotonic() + snapshots.SNAPSHOT_CACHE_SECONDS + 1
    monkeypatch.setattr(snapshots.time, "monotonic", lambda: later)
    services.snapshot(room.group, actor=room.people["docente_a"])
    assert built == [room.school_a.id]


def test_a_kept_deck_is_rebuilt_after_its_time(room, monkeypatch, app):
    built = _deck_builds(monkeypatch)
    clock = [1000.0]
    monkeypatch.setattr(snapshots.time, "monotonic", lambda: clock[0])
    services.snapshot(room.group, actor=room.people["docente_a"])
    room.problem.title = "Comprensión lectora en 3° y 4°"
    db.session.commit()
    built.clear()
    clock[0] += app.config["LIVE_DECK_CACHE_SECONDS"] - 1
    titles = {p["title"] for p in services.snapshot(room.group, actor=room.people["docente_a"])["problems"]}
    assert built == [] and "Comprensión lectora en 3°" in titles  # within the time: the kept deck
    clock[0] += 2 + snapshots.SNAPSHOT_CACHE_SECONDS  # past the deck's time and the room snapshot's
    titles = {p["title"] for p in services.snapshot(room.group, actor=room.people["docente_a"])["problems"]}
    assert room.school_a.id in built and "Comprensión lectora en 3° y 4°" in titles


def test_the_rooms_kept_snapshot_follows_every_row_event_and_the_fresh_state(room):
    """Served from the room's kept snapshot, a join still has every row written before it, and the
    state and version of that moment (app.live.snapshots._SNAPSHOTS)."""
    first = services.join(room.group, actor=room.people["docente_a"])
    db.session.commit()
    services.add_contribution(
        room.group,
        {"kind": "pregunta", "text": "¿Y en tercero?"},
        actor=room.people["docente_b"],
        client_id="k-1",
    )
    db.session.commit()
    services.give_turn(room.group, room.school_a.id, actor=room.people["facilitador"])
    db.session.commit()
    second = services.join(room.group, actor=room.people["docente_b"])
    db.session.commit()
    assert [c["client_id"] for c in second["contributions"]] == ["k-1"]
    assert second["state"]["turn_school_id"] == room.school_a.id and second["version"] > first["version"]
    assert second["me"]["user_id"] == room.people["docente_b"].id
    third = services.snapshot(room.group, actor=room.people["asesor_asignado"])  # from the kept one
    assert {k: v for k, v in third.items() if k not in ("me", "server_time")} == {
        k: v for k, v in second.items() if k not in ("me", "server_time")
    }
    assert third["me"]["user_id"] == room.people["asesor_asignado"].id


def test_a_readers_snapshot_is_its_own(room):
    """The kept snapshot, its decks and its recommendations are shared inside the process; what a
    reader gets is a copy, so changing it reaches neither the kept one nor the next reader."""
    first = services.snapshot(room.group, actor=room.people["docente_a"])
    slides = len(first["schools"][0]["deck"]["slides"])
    assert slides > 0
    first["schools"][0]["deck"]["slides"].clear()
    first["problems"].clear()
    second = services.snapshot(room.group, actor=room.people["director_b"])
    assert len(second["schools"][0]["deck"]["slides"]) == slides and second["problems"]


def test_the_sockets_join_shares_the_kept_snapshot_and_its_acknowledgement_carries_it_whole(room, sio_for):
    """The socket's join sends the snapshot straight into its acknowledgement, so it takes the kept
    parts without a copy of its own (``shared``); what the browser receives is the whole snapshot,
    the same as a reader's own copy."""
    from realtime.rooms import LIVE_NAMESPACE

    own = services.snapshot(room.group, actor=room.people["docente_a"])
    shared = services.snapshot(room.group, actor=room.people["docente_a"], shared=True)
    assert shared["schools"][0]["deck"] is not own["schools"][0]["deck"]  # own is a copy…
    assert (
        services.snapshot(room.group, actor=room.people["docente_a"], shared=True)["schools"][0]["deck"]
        is shared["schools"][0]["deck"]
    )  # …shared is the kept one
    ack = sio_for(room.people["docente_a"]).emit(
        "join", {"group_id": room.group.id}, namespace=LIVE_NAMESPACE, callback=True
    )
    assert ack["ok"]
    received = ack["snapshot"]
    for key in ("schools", "problems", "agenda", "contributions", "resources", "me"):
        assert received[key] == own[key], key
