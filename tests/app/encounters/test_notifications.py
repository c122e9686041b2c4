"""Notifications: the right people, deduplicated, e-mail only after the commit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.encounters import notifications, services
from app.encounters.models import Notification
from app.extensions import db
from app.utils import as_utc
from tests.app.encounters.conftest import quick_user


def _rows(user):
    return db.session.execute(db.select(Notification).filter_by(user_id=user.id)).scalars().all()


@pytest.fixture
def people(world):
    p = {
        "director_a": quick_user("director", school=world.schools[0]),
        "docente_a": quick_user("docente", school=world.schools[0]),
        "director_c": quick_user("director", school=world.schools[2]),
        "inactive_a": quick_user("docente", school=world.schools[0], is_active=False),
        "director_e": quick_user("director", school=world.schools[4]),  # same zone, not taking part
        "director_outside": quick_user("director", school=world.outside),
        "asesor": quick_user("asesor"),
        "admin": quick_user("admin"),
    }
    p["asesor"].advised_zones.append(world.zone)
    db.session.commit()
    return p


def test_scheduling_notifies_directors_and_teachers_of_participating_schools_only(world, people):
    encounter = world.encounter(groups=[(0, 1), (2, 3)])
    assert db.session.execute(db.select(db.func.count(Notification.id))).scalar_one() == 0
    services.schedule_encounter(encounter, actor=world.supervisor)
    db.session.commit()
    for name in ("director_a", "docente_a", "director_c"):
        rows = _rows(people[name])
        assert len(rows) == 1, name
        assert rows[0].kind == "encuentro_programado"
        assert encounter.title in rows[0].message
        assert rows[0].url == f"/encuentros/{encounter.id}"
    assert "ESCUELA A" in _rows(people["director_a"])[0].message  # their own group's host
    assert "ESCUELA C" in _rows(people["director_c"])[0].message
    for name in ("inactive_a", "director_e", "director_outside", "asesor", "admin"):
        assert _rows(people[name]) == [], name
    assert _rows(world.supervisor) == []


def test_drafts_notify_nobody(world, people):
    world.encounter(groups=[(0, 1)])
    assert db.session.execute(db.select(db.func.count(Notification.id))).scalar_one() == 0


def test_changes_notify_and_are_deduplicated(world, people):
    encounter = world.encounter(groups=[(0, 1), (2, 3)], schedule=True)
    data = {
        "title": encounter.title,
        "modality": "presencial",
        "zone_ids": [world.zone.id],
        "starts_at": as_utc(encounter.starts_at) + timedelta(hours=1),
        "ends_at": as_utc(encounter.ends_at) + timedelta(hours=1),
    }
    services.update_encounter(encounter, data, actor=world.supervisor)
    db.session.commit()
    changes = [n for n in _rows(people["director_a"]) if n.kind == "encuentro_cambio"]
    assert len(changes) == 1 and "fecha u horario" in changes[0].message
    data["starts_at"] += timedelta(hours=1)
    data["ends_at"] += timedelta(hours=1)
    services.update_encounter(encounter, data, actor=world.supervisor)
    db.session.commit()
    changes = [n for n in _rows(people["director_a"]) if n.kind == "encuentro_cambio"]
    assert len(changes) == 1  # still unread: refreshed, not repeated
    notifications.mark_read(people["director_a"])
    services.update_group(
        encounter.groups[0],
        {
            "school_ids": [world.schools[0].id, world.schools[1].id],
            "host_school_id": world.schools[0].id,
            "room": "Biblioteca",
        },
        actor=world.supervisor,
    )
    db.session.commit()
    changes = [n for n in _rows(people["director_a"]) if n.kind == "encuentro_cambio"]
    assert len(changes) == 2 and "Biblioteca" in changes[-1].message
    assert _rows(people["director_e"]) == []


def test_removed_school_is_told(world, people):
    encounter = world.encounter(groups=[(0, 1), (2, 3)], schedule=True)
    services.update_group(
        encounter.groups[1],
        {"school_ids": [world.schools[3].id, world.schools[4].id], "host_school_id": world.schools[3].id},
        actor=world.supervisor,
    )
    db.session.commit()
    assert any("ya no participa" in n.message for n in _rows(people["director_c"]))
    assert any(n.kind == "encuentro_cambio" for n in _rows(people["director_e"]))


def test_unread_count_and_mark_read(world, people):
    world.encounter(groups=[(0, 1)], schedule=True)
    user = people["director_a"]
    assert notifications.unread_count(user) == 1
    assert notifications.mark_read(user) == 1
    db.session.commit()
    assert notifications.unread_count(user) == 0


def test_email_sent_after_commit_only_when_smtp_configured(app, world, people, monkeypatch):
    sent = []
    monkeypatch.setattr("app.auth.mail.send_mail", lambda to, subject, body: sent.append((to, subject, body)))
    encounter = world.encounter(groups=[(0, 1)])
    services.schedule_encounter(encounter, actor=world.supervisor)
    db.session.commit()
    assert sent == []  # no MAIL_SERVER: in the platform only

    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.mx")
    other = world.encounter(groups=[(2, 3)], days=30)
    services.schedule_encounter(other, actor=world.supervisor)
    assert sent == []  # not before the commit
    db.session.commit()
    assert {to for to, _, _ in sent} == {people["director_c"].email}
    assert "Encuentro programado" in sent[0][1] and other.title in sent[0][2]

    sent.clear()
    third = world.encounter(groups=[(0, 3)], days=50)
    services.schedule_encounter(third, actor=world.supervisor)
    db.session.rollback()
    db.session.commit()
    assert sent == []  # the rollback dropped them
