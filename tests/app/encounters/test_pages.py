"""The pages, end to end through the test client: forms, errors kept, nav, home page."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from app.encounters.models import Encounter, Notification
from app.extensions import db
from app.groupings.models import Grouping, GroupingGroup, GroupingMember
from app.utils import as_utc, utcnow
from tests.app.encounters.conftest import quick_user

TZ = ZoneInfo("America/Mexico_City")


def _form(world, **kw):
    day = (utcnow() + timedelta(days=14)).astimezone(TZ).date()
    data = {
        "title": "Cuarta sesión ordinaria del CTE",
        "date": day.isoformat(),
        "start_time": "08:00",
        "end_time": "12:30",
        "modality": "presencial",
        "zone_ids": [str(world.zone.id)],
        "grouping_id": "",
        "notes": "Traer la Ruta de Mejora",
    }
    data.update(kw)
    return data


def test_new_encounter_in_local_time(world, client, login_as):
    login_as(world.supervisor)
    page = client.get("/encuentros/nuevo")
    assert page.status_code == 200 and f'id="zone-{world.zone.id}"' in page.get_data(as_text=True)
    response = client.post("/encuentros/nuevo", data=_form(world))
    assert response.status_code == 302
    encounter = db.session.execute(db.select(Encounter)).scalar_one()
    assert response.headers["Location"].endswith(f"/encuentros/{encounter.id}")
    local = as_utc(encounter.starts_at).astimezone(TZ)
    assert (local.hour, local.minute) == (8, 0)
    assert as_utc(encounter.ends_at) - as_utc(encounter.starts_at) == timedelta(hours=4, minutes=30)
    detail = client.get(f"/encuentros/{encounter.id}").get_data(as_text=True)
    assert "Cuarta sesión ordinaria del CTE" in detail and 'id="schedule-encounter"' in detail


def test_new_encounter_errors_keep_what_was_typed(world, client, login_as):
    login_as(world.supervisor)
    yesterday = (utcnow() - timedelta(days=1)).astimezone(TZ).date().isoformat()
    response = client.post("/encuentros/nuevo", data=_form(world, date=yesterday, title="Mi título escrito"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "La fecha ya pasó" in html and 'value="Mi título escrito"' in html
    assert client.post("/encuentros/nuevo", data=_form(world, date="31/12/2030")).status_code == 422
    response = client.post("/encuentros/nuevo", data=_form(world, title=""))
    assert response.status_code == 422 and "Escribe el título" in response.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count(Encounter.id))).scalar_one() == 0


def test_new_from_grouping_through_the_page(world, client, login_as):
    grouping = Grouping(zone_id=world.zone.id, status="propuesta")
    group = GroupingGroup(position=1, host_school_id=world.schools[1].id)
    group.members = [
        GroupingMember(school_id=world.schools[0].id),
        GroupingMember(school_id=world.schools[1].id),
    ]
    grouping.groups.append(group)
    db.session.add(grouping)
    db.session.commit()
    login_as(world.supervisor)
    refused = client.post("/encuentros/nuevo", data=_form(world, grouping_id=str(grouping.id)))
    assert refused.status_code == 422 and "aún es una propuesta" in refused.get_data(as_text=True)
    grouping.status = "aceptada"
    db.session.commit()
    page = client.get(f"/encuentros/nuevo?agrupamiento={grouping.id}").get_data(as_text=True)
    assert f'<option selected value="{grouping.id}"' in page or f'value="{grouping.id}" selected' in page
    assert (
        client.post("/encuentros/nuevo", data=_form(world, grouping_id=str(grouping.id))).status_code == 302
    )
    encounter = db.session.execute(db.select(Encounter)).scalar_one()
    assert encounter.groups[0].host_school_id == world.schools[1].id


def test_group_form_refusals_are_shown(world, client, login_as):
    encounter = world.encounter(groups=[(0, 1)])
    login_as(world.supervisor)
    url = f"/encuentros/{encounter.id}/grupos/nuevo"
    page = client.get(url).get_data(as_text=True)
    assert f'id="school-{world.schools[2].cct}"' in page and world.outside.cct not in page
    response = client.post(
        url,
        data={
            "school_ids": [str(world.schools[1].id), str(world.schools[2].id)],
            "host_school_id": str(world.schools[2].id),
        },
    )
    assert response.status_code == 422 and "solo puede estar en un grupo" in response.get_data(as_text=True)
    response = client.post(
        url,
        data={
            "school_ids": [str(world.schools[2].id), str(world.schools[3].id)],
            "host_school_id": str(world.schools[0].id),
            "room": "Aula de medios",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "La sede debe ser una de las escuelas del grupo" in html
    assert 'value="Aula de medios"' in html
    response = client.post(url, data={"school_ids": [str(world.schools[2].id), str(world.outside.id)]})
    assert response.status_code == 422 and "no pertenece a las zonas" in response.get_data(as_text=True)
    ok = client.post(
        url,
        data={
            "school_ids": [str(world.schools[2].id), str(world.schools[3].id)],
            "host_school_id": str(world.schools[3].id),
            "room": "Aula de medios",
        },
    )
    assert ok.status_code == 302
    db.session.expire_all()
    assert len(db.session.get(Encounter, encounter.id).groups) == 2


def test_schedule_button_and_notifications_page(world, client, login_as):
    encounter = world.encounter(groups=[(0, 1)])
    director = quick_user("director", school=world.schools[0])
    login_as(world.supervisor)
    assert client.post(f"/encuentros/{encounter.id}/programar").status_code == 302
    db.session.expire_all()
    assert db.session.get(Encounter, encounter.id).status == "programado"
    again = client.post(f"/encuentros/{encounter.id}/programar", follow_redirects=True)
    assert "Solo se puede programar un encuentro en borrador" in again.get_data(as_text=True)

    login_as(director)
    home = client.get("/").get_data(as_text=True)
    assert 'id="upcoming-encounters"' in home and encounter.title in home
    assert 'id="unread-count">1<' in home
    page = client.get("/avisos").get_data(as_text=True)
    notification = db.session.execute(db.select(Notification).filter_by(user_id=director.id)).scalar_one()
    assert f'id="notification-{notification.id}"' in page
    opened = client.get(f"/avisos/{notification.id}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/encuentros/{encounter.id}")
    assert 'id="unread-count"' not in client.get("/").get_data(as_text=True)
    login_as(world.supervisor)
    assert client.get(f"/avisos/{notification.id}").status_code == 404  # someone else's


def test_mark_all_read(world, client, login_as):
    director = quick_user("director", school=world.schools[0])
    world.encounter(groups=[(0, 1)], schedule=True)
    world.encounter(groups=[(0, 2)], schedule=True, days=30)
    login_as(director)
    assert client.post("/avisos/leidos").status_code == 302
    assert (
        db.session.execute(
            db.select(db.func.count(Notification.id)).where(
                Notification.user_id == director.id, Notification.read_at.is_(None)
            )
        ).scalar_one()
        == 0
    )


def test_agenda_page_edits(world, client, login_as):
    encounter = world.encounter(groups=[(0, 1)])
    group = encounter.groups[0]
    first = group.agenda[0]
    login_as(world.supervisor)
    url = f"/encuentros/{encounter.id}/grupos/{group.id}/agenda"
    page = client.get(url).get_data(as_text=True)
    assert f'id="item-{first.id}-title"' in page
    data = {
        f"item-{i.id}-{k}": v
        for i in group.agenda
        for k, v in (("title", i.title), ("minutes", i.minutes), ("position", i.position))
    }
    data[f"item-{first.id}-minutes"] = "0"
    bad = client.post(url, data=data)
    assert bad.status_code == 422 and "Entre 1 y 480 minutos" in bad.get_data(as_text=True)
    data[f"item-{first.id}-minutes"] = "30"
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(type(first), first.id).minutes == 30
    added = client.post(
        f"{url}/agregar", data={"activity": "3", "title": "Observación de clase", "minutes": "20"}
    )
    assert added.status_code == 302
    assert (
        client.post(f"{url}/agregar", data={"activity": "3", "title": "", "minutes": "20"}).status_code == 422
    )
    assert client.post(f"{url}/restablecer").status_code == 302


def test_start_and_close_links(world, client, login_as):
    encounter = world.encounter(groups=[(0, 1)], schedule=True)
    login_as(world.supervisor)
    html = client.get(f"/encuentros/{encounter.id}").get_data(as_text=True)
    assert 'id="start-encounter"' in html and 'id="close-encounter"' not in html
    assert client.post(f"/encuentros/{encounter.id}/iniciar").status_code == 302
    html = client.get(f"/encuentros/{encounter.id}").get_data(as_text=True)
    assert 'id="start-encounter"' not in html
    if "encounters.close_encounter" in client.application.view_functions:
        assert 'id="close-encounter"' in html


def test_bad_ids_are_404(world, client, login_as):
    encounter = world.encounter(groups=[(0, 1)], schedule=True)
    login_as(world.supervisor)
    assert client.get("/encuentros/999999").status_code == 404
    assert client.get(f"/encuentros/{encounter.id}/grupos/999999").status_code == 404
    assert client.get(f"/encuentros/{encounter.id}/escuelas/22DPR9999Z/diapositivas").status_code == 404
    assert (
        client.get(f"/encuentros/{encounter.id}/escuelas/{world.schools[4].cct}/diapositivas").status_code
        == 404
    )
    assert (
        client.get(f"/encuentros/{encounter.id}/escuelas/{world.schools[0].cct}/presentacion.pdf").status_code
        == 404
    )


def test_index_lists_what_each_person_sees(world, client, login_as):
    world.encounter(groups=[(0, 1)], title="Encuentro visible", schedule=True)
    world.encounter(groups=[(2, 3)], title="Encuentro ajeno", schedule=True, days=30)
    login_as(quick_user("docente", school=world.schools[0]))
    html = client.get("/encuentros").get_data(as_text=True)
    assert "Encuentro visible" in html and "Encuentro ajeno" not in html
    assert 'id="new-encounter"' not in html
    login_as(world.supervisor)
    html = client.get("/encuentros").get_data(as_text=True)
    assert "Encuentro visible" in html and "Encuentro ajeno" in html and 'id="new-encounter"' in html
