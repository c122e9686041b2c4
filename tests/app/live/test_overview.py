"""The encounter overview's service (app.live.overview): counts per group, presence per school
(present, dropped, not yet), the late rule, who may watch, the compact updates and the message to all
groups."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.live import overview, services
from app.logbook import services as logbook_services
from app.utils import utcnow
from app.validation import PermissionDenied, ValidationError
from realtime import publish
from tests.realtime.world import build_room


@pytest.fixture
def room(db):
    return build_room()


def _card(view, group):
    return next(g for g in view["groups"] if g["id"] == group.id)


def test_counts_contributions_commitments_and_agreements_per_group(room):
    teacher = room.people["docente_a"]
    services.add_contribution(
        room.group, {"kind": "pregunta", "text": "¿Cómo?"}, actor=teacher, client_id="o-1"
    )
    second, _ = services.add_contribution(
        room.group, {"kind": "propuesta", "text": "Leer juntos"}, actor=teacher, client_id="o-2"
    )
    services.add_commitment(
        room.group,
        {"school_id": room.school_a.id, "action": "Círculos", "responsible": "Ana", "due_date": "2099-01-01"},
        actor=teacher,
        client_id="o-3",
    )
    logbook_services.record_agreement(
        room.encounter, room.group, {"text": "Nos vemos en un mes"}, actor=room.people["supervisor"]
    )
    db.session.commit()

    view = overview.overview(room.encounter, actor=room.people["supervisor"])
    card = _card(view, room.group)
    assert card["counts"] == {"contribution": 2, "commitment": 1, "agreement": 1}
    assert card["last_ids"]["contribution"] == second.id
    other = next(g for g in view["groups"] if g["id"] != room.group.id)
    assert other["counts"] == {"contribution": 0, "commitment": 0, "agreement": 0}
    assert [g["position"] for g in view["groups"]] == [1, 2]


def test_presence_per_school_present_dropped_and_not_yet(room):
    services.join(room.group, actor=room.people["docente_a"])
    services.join(room.group, actor=room.people["docente_b"])
    services.join(room.group, actor=room.people["facilitador"])
    services.leave(room.group, actor_id=room.people["docente_b"].id)
    db.session.commit()

    card = _card(overview.overview(room.encounter, actor=room.people["admin"]), room.group)
    by_school = {p["school_id"]: p for p in card["presence"]}
    assert by_school[room.school_a.id] == {
        "school_id": room.school_a.id,
        "status": "presente",
        "people": ["Maestra Ana"],
    }
    assert by_school[room.school_b.id]["status"] == "salio" and by_school[room.school_b.id]["people"] == []
    assert {"name": "Facilitadora Fer", "school_id": None} in card["online"]
    untouched = next(
        g
        for g in overview.overview(room.encounter, actor=room.people["admin"])["groups"]
        if g["id"] != room.group.id
    )
    assert [p["status"] for p in untouched["presence"]] == ["sin_llegar"]


def test_late_when_the_timer_ran_out_or_the_agenda_is_behind(room):
    supervisor = room.people["supervisor"]
    # the encounter started 30 minutes ago; the first activity (10 min) should have ended 20 min ago
    card = _card(overview.overview(room.encounter, actor=supervisor), room.group)
    assert card["late"] == ["agenda"]
    assert card["agenda"][0]["planned_end"] is not None

    room.encounter.starts_at = utcnow()  # on schedule: the first activity ends in 10 minutes
    db.session.commit()
    card = _card(overview.overview(room.encounter, actor=supervisor), room.group)
    assert card["late"] == [] and card["timer"]["remaining"] == 600

    room.encounter.starts_at = utcnow() + timedelta(hours=1)  # began early: only the timer can say late
    services.control_timer(room.group, "start", actor=room.people["facilitador"])
    db.session.commit()
    later = utcnow() + timedelta(minutes=9, seconds=50)
    assert _card(overview.overview(room.encounter, actor=supervisor, now=later), room.group)["late"] == []
    over = utcnow() + timedelta(minutes=10, seconds=5)
    assert _card(overview.overview(room.encounter, actor=supervisor, now=over), room.group)["late"] == [
        "tiempo"
    ]


def test_nobody_runs_late_outside_the_session(db):
    scheduled = build_room(status="programado")
    card = _card(overview.overview(scheduled.encounter, actor=scheduled.people["admin"]), scheduled.group)
    assert card["late"] == []


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("supervisor", True),
        ("facilitador", True),
        ("supervisor_otra_zona", False),
        ("docente_a", False),
        ("director_sede", False),
        ("asesor_asignado", False),
    ],
)
def test_who_may_watch(room, role, allowed):
    person = room.people[role]
    assert overview.can_watch(person, room.encounter) is allowed
    if allowed:
        assert overview.overview(room.encounter, actor=person)["encounter"]["id"] == room.encounter.id
    else:
        with pytest.raises(PermissionDenied):
            overview.overview(room.encounter, actor=person)
        with pytest.raises(PermissionDenied):
            overview.announce(room.encounter, "Hola", actor=person)


def test_updates_carry_no_text_and_follow_the_room_version():
    update = overview.summary_update(
        9,
        {
            "type": "presence",
            "version": 4,
            "group_id": 3,
            "server_time": "2026-12-05T10:00:00+00:00",
            "online": [{"user_id": 1, "name": "Ana", "school_id": 7}],
            "present_school_ids": [7],
        },
    )
    assert update == {
        "type": "overview_group",
        "encounter_id": 9,
        "group_id": 3,
        "version": 4,
        "server_time": "2026-12-05T10:00:00+00:00",
        "changes": {"online": [{"name": "Ana", "school_id": 7}], "present_school_ids": [7]},
    }
    row = overview.summary_update(
        9, {"type": "commitment", "version": 5, "group_id": 3, "commitment": {"id": 8, "action": "x"}}
    )
    assert row["changes"] == {"row": {"type": "commitment", "id": 8}}
    assert overview.summary_update(9, {"type": "announcement", "version": None, "group_id": 3}) is None


def test_a_message_to_all_groups_goes_to_every_room_after_commit(room):
    result = overview.announce(
        room.encounter, "  Cinco minutos para el receso  ", actor=room.people["supervisor"]
    )
    assert result["groups"] == 2
    queued = [(r, p) for _ns, r, p in publish.pending_events(db.session) if p["type"] == "announcement"]
    assert sorted(r for r, _ in queued) == sorted(f"grupo:{g.id}" for g in room.encounter.groups)
    assert {p["text"] for _, p in queued} == {"Cinco minutos para el receso"}
    assert {p["author_name"] for _, p in queued} == {"Supervisora Ruiz"}


def test_a_message_is_checked(room):
    supervisor = room.people["supervisor"]
    with pytest.raises(ValidationError) as empty:
        overview.announce(room.encounter, "   ", actor=supervisor)
    assert empty.value.errors == {"text": "Escribe el mensaje para los grupos."}
    with pytest.raises(ValidationError):
        overview.announce(room.encounter, "x" * (overview.ANNOUNCEMENT_MAX + 1), actor=supervisor)
    room.encounter.status = "concluido"
    with pytest.raises(ValidationError) as closed:
        overview.announce(room.encounter, "Hola", actor=supervisor)
    assert "concluyó" in closed.value.errors["text"]


def _page(app, user, url):
    from flask import g

    from tests import factories

    http = app.test_client()
    with http.session_transaction() as sess:
        factories.log_in(sess, user)
    g.pop("_login_user", None)
    return http.get(url)


@pytest.mark.parametrize(
    ("role", "status"),
    [("supervisor", 200), ("facilitador", 200), ("supervisor_otra_zona", 403), ("docente_b", 403)],
)
def test_the_page_opens_for_whoever_may_watch(app, room, role, status):
    response = _page(app, room.people[role], f"/encuentros/{room.encounter.id}/panorama")
    assert response.status_code == status
    if status == 200:
        html = response.get_data(as_text=True)
        assert "Panorama de los grupos" in html and f'id="ov-group-{room.group.id}"' in html
        assert room.url in html and "con retraso" in html
    detail = _page(app, room.people[role], f"/encuentros/{room.encounter.id}").get_data(as_text=True)
    assert ('id="overview-link"' in detail) is (status == 200)


def test_the_last_message_is_kept_for_whoever_opens_the_room_later(app, room):
    assert overview.latest_announcement(room.group, actor=room.people["docente_b"]) is None
    services.join(room.group, actor=room.people["docente_a"])
    db.session.commit()
    version = services.get_live_session(room.group).version
    overview.announce(room.encounter, "Primero", actor=room.people["supervisor"])
    overview.announce(room.encounter, "Regresamos a las 11:00", actor=room.people["facilitador"])
    db.session.commit()

    kept = overview.latest_announcement(room.group, actor=room.people["docente_b"])
    assert kept["text"] == "Regresamos a las 11:00" and kept["author_name"] == "Facilitadora Fer"
    assert services.get_live_session(room.group).version == version  # not a change of the room
    assert services.snapshot(room.group, actor=room.people["docente_a"])["state"]["online"]  # state intact
    view = overview.overview(room.encounter, actor=room.people["supervisor"])
    assert view["announcement"]["text"] == "Regresamos a las 11:00"
    with pytest.raises(PermissionDenied):
        overview.latest_announcement(room.group, actor=room.people["director_otro_grupo"])

    url = f"{room.url}/aviso.json"
    body = _page(app, room.people["docente_b"], url).get_json()
    assert body["announcement"]["text"] == "Regresamos a las 11:00"
    assert _page(app, room.people["director_otra_zona"], url).status_code == 403
