"""Attendance: registered by the host (sede) or from the live room (sala)."""

from __future__ import annotations

import pytest

from app.encounters import services
from app.encounters.models import Attendance
from app.extensions import db
from app.validation import PermissionDenied, ValidationError
from tests.app.encounters.conftest import quick_user


def _row(encounter, school):
    return db.session.execute(
        db.select(Attendance).filter_by(encounter_id=encounter.id, school_id=school.id)
    ).scalar_one_or_none()


def test_host_director_records_attendance_of_their_group(world):
    encounter = world.encounter(groups=[(0, 1), (2, 3)], schedule=True)
    host = quick_user("director", school=world.schools[0])
    row = services.record_attendance(encounter, world.schools[1], "presente", actor=host, people=7)
    db.session.commit()
    assert (row.status, row.people, row.source, row.recorded_by_id) == ("presente", 7, "sede", host.id)
    services.record_attendance(encounter, world.schools[1], "justificada", actor=host)
    db.session.commit()
    row = _row(encounter, world.schools[1])
    assert row.status == "justificada" and row.people is None
    assert db.session.execute(db.select(db.func.count(Attendance.id))).scalar_one() == 1
    with pytest.raises(PermissionDenied):  # another group's school
        services.record_attendance(encounter, world.schools[2], "presente", actor=host)


def test_non_host_director_and_teacher_cannot_record(world):
    encounter = world.encounter(groups=[(0, 1)], schedule=True)
    for user in (
        quick_user("director", school=world.schools[1]),
        quick_user("docente", school=world.schools[0]),
    ):
        with pytest.raises(PermissionDenied):
            services.record_attendance(encounter, world.schools[1], "presente", actor=user)


def test_supervisor_and_facilitator_record(world):
    encounter = world.encounter(groups=[(0, 1)], schedule=True)
    asesor = quick_user("asesor")
    asesor.advised_zones.append(world.zone)
    db.session.commit()
    services.update_group(
        encounter.groups[0],
        {
            "school_ids": [world.schools[0].id, world.schools[1].id],
            "host_school_id": world.schools[0].id,
            "facilitator_id": asesor.id,
        },
        actor=world.supervisor,
    )
    services.record_attendance(encounter, world.schools[0], "ausente", actor=world.supervisor)
    services.record_attendance(encounter, world.schools[1], "presente", actor=asesor, people=3)
    db.session.commit()
    assert _row(encounter, world.schools[0]).status == "ausente"
    assert _row(encounter, world.schools[1]).recorded_by_id == asesor.id


def test_live_room_marks_present(world):
    encounter = world.encounter(groups=[(0, 1)], schedule=True)
    services.start_encounter(encounter, actor=world.supervisor)
    docente = quick_user("docente", school=world.schools[1])
    services.record_attendance(encounter, world.schools[1], "presente", actor=docente, source="sala")
    db.session.commit()
    assert _row(encounter, world.schools[1]).source == "sala"
    with pytest.raises(PermissionDenied):  # only their own school, only present
        services.record_attendance(encounter, world.schools[0], "presente", actor=docente, source="sala")
    with pytest.raises(PermissionDenied):
        services.record_attendance(encounter, world.schools[1], "ausente", actor=docente, source="sala")


def test_refusals(world):
    draft = world.encounter(groups=[(0, 1)])
    with pytest.raises((PermissionDenied, ValidationError)):
        services.record_attendance(draft, world.schools[0], "presente", actor=world.supervisor)
    encounter = world.encounter(groups=[(0, 1)], schedule=True, days=30)
    with pytest.raises(ValidationError) as exc:
        services.record_attendance(encounter, world.schools[0], "tarde", actor=world.supervisor)
    assert "presente, ausente" in exc.value.errors["status"]
    with pytest.raises(ValidationError) as exc:
        services.record_attendance(encounter, world.schools[4], "presente", actor=world.supervisor)
    assert "no participa" in exc.value.errors["school"]
    with pytest.raises(ValidationError) as exc:
        services.record_attendance(encounter, world.schools[0], "presente", actor=world.supervisor, people=-2)
    assert "Entre 0 y 500" in exc.value.errors["people"]


def test_attendance_page(world, client, login_as):
    encounter = world.encounter(groups=[(0, 1), (2, 3)], schedule=True)
    host = quick_user("director", school=world.schools[0])
    login_as(host)
    page = client.get(f"/encuentros/{encounter.id}/asistencia")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'id="attendance-{world.schools[1].cct}"' in html
    assert f'id="attendance-{world.schools[2].cct}"' not in html  # another group
    a, b = world.schools[0], world.schools[1]
    response = client.post(
        f"/encuentros/{encounter.id}/asistencia",
        data={f"status-{a.id}": "presente", f"people-{a.id}": "12", f"status-{b.id}": "ausente"},
    )
    assert response.status_code == 302
    assert (_row(encounter, a).status, _row(encounter, a).people) == ("presente", 12)
    assert _row(encounter, b).status == "ausente"
    bad = client.post(
        f"/encuentros/{encounter.id}/asistencia",
        data={f"status-{a.id}": "ausente", f"status-{b.id}": "presente", f"people-{b.id}": "mil"},
    )
    assert bad.status_code == 422
    assert "Escribe el número de personas" in bad.get_data(as_text=True)
    db.session.expire_all()
    assert _row(encounter, a).status == "presente"  # nothing saved
