"""Every form of the area carries the CSRF token; a post without it changes nothing."""

from __future__ import annotations

import re

import pytest

from app.encounters.models import Encounter
from app.extensions import db
from tests.app.encounters.conftest import quick_user


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_schedule_needs_the_token(world, client, login_as, csrf_on):
    encounter = world.encounter(groups=[(0, 1)])
    login_as(world.supervisor)
    assert client.post(f"/encuentros/{encounter.id}/programar").status_code == 400
    db.session.expire_all()
    assert db.session.get(Encounter, encounter.id).status == "borrador"
    token = _token(client.get(f"/encuentros/{encounter.id}").get_data(as_text=True))
    assert client.post(f"/encuentros/{encounter.id}/programar", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Encounter, encounter.id).status == "programado"


@pytest.mark.parametrize("path", ["/encuentros/nuevo", "/calendario", "/avisos/leidos"])
def test_other_forms_need_the_token(world, client, login_as, csrf_on, path):
    login_as(world.supervisor)
    assert client.post(path, data={"title": "x"}).status_code in (400, 422)
    assert db.session.execute(db.select(db.func.count(Encounter.id))).scalar_one() == 0


def test_attendance_and_agenda_need_the_token(world, client, login_as, csrf_on):
    encounter = world.encounter(groups=[(0, 1)], schedule=True)
    host = quick_user("director", school=world.schools[0])
    login_as(host)
    school = world.schools[1]
    assert (
        client.post(
            f"/encuentros/{encounter.id}/asistencia", data={f"status-{school.id}": "presente"}
        ).status_code
        == 400
    )
    login_as(world.supervisor)
    group = encounter.groups[0]
    assert client.post(f"/encuentros/{encounter.id}/grupos/{group.id}/agenda/restablecer").status_code == 400
