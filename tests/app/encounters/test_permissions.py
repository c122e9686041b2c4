"""Permission table of the encounters pages and actions: each (role, page or action) is a test."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from werkzeug.datastructures import FileStorage

from app.encounters import services
from app.encounters.models import AgendaItem, Attendance, Encounter, Presentation
from app.extensions import db
from app.utils import utcnow
from tests.app.encounters.conftest import pdf_bytes, quick_user

ROLES = [
    "anonymous",
    "admin",
    "supervisor_of_zone",
    "supervisor_other_zone",
    "asesor_assigned",
    "asesor_assigned_school",
    "asesor_not_assigned",
    "director_host",
    "docente_participating",
    "director_participating",
    "director_non_participating",
    "director_other_zone",
    "facilitator",
]
EVERYONE = set(ROLES) - {"anonymous"}
VIEWERS = {
    "admin",
    "supervisor_of_zone",
    "asesor_assigned",
    "asesor_assigned_school",
    "director_host",
    "docente_participating",
    "director_participating",
    "facilitator",
}
COUNCIL = {"admin", "supervisor_of_zone", "asesor_assigned", "asesor_assigned_school", "facilitator"}
SCHEDULERS = {"admin", "supervisor_of_zone"}
PREPARERS = {"admin", "director_host", "docente_participating"}
HOSTS = {"admin", "supervisor_of_zone", "director_host", "facilitator"}

# action: (encounter state, expected allowed roles, method)
ACTIONS = {
    "index": (None, EVERYONE, "GET"),
    "detail": ("programado", VIEWERS, "GET"),
    "detail_draft": ("borrador", COUNCIL, "GET"),
    "new_get": (None, SCHEDULERS | {"supervisor_other_zone"}, "GET"),
    "new_post": (None, SCHEDULERS, "POST"),
    "edit_get": ("borrador", SCHEDULERS, "GET"),
    "edit_post": ("borrador", SCHEDULERS, "POST"),
    "group_new_get": ("borrador", SCHEDULERS, "GET"),
    "group_edit_post": ("borrador", SCHEDULERS, "POST"),
    "group_delete": ("borrador", SCHEDULERS, "POST"),
    "agenda_get": ("borrador", SCHEDULERS, "GET"),
    "agenda_post": ("borrador", SCHEDULERS, "POST"),
    "agenda_add": ("borrador", SCHEDULERS, "POST"),
    "agenda_reset": ("borrador", SCHEDULERS, "POST"),
    "schedule": ("borrador", SCHEDULERS, "POST"),
    "delete": ("borrador", SCHEDULERS, "POST"),
    "start": ("programado", SCHEDULERS | {"facilitator"}, "POST"),
    "attendance_get": ("programado", HOSTS, "GET"),
    "attendance_post": ("programado", HOSTS, "POST"),
    "presentation_get": ("programado", PREPARERS, "GET"),
    "presentation_post": ("programado", PREPARERS, "POST"),
    "pdf_upload": ("programado", PREPARERS, "POST"),
    "pdf_download": ("programado", VIEWERS, "GET"),
    "slides": ("programado", VIEWERS, "GET"),
    "ics": ("programado", VIEWERS, "GET"),
    "calendar_page": (None, EVERYONE, "GET"),
    "notifications_page": (None, EVERYONE, "GET"),
}


def _actor(role, world, encounter):
    a, b, e = world.schools[0], world.schools[1], world.schools[4]
    if role == "anonymous":
        return None
    if role == "facilitator":  # the director of a school of the zone that does not take part
        user = quick_user("director", school=e)
        if encounter is not None:
            encounter.groups[0].facilitator_id = user.id
            db.session.commit()
        return user
    if role == "admin":
        return quick_user("admin")
    if role == "supervisor_of_zone":
        return world.supervisor
    if role == "supervisor_other_zone":
        return quick_user("supervisor", zone=world.other_zone)
    if role.startswith("asesor"):
        user = quick_user("asesor")
        if role == "asesor_assigned":
            user.advised_zones.append(world.zone)
        elif role == "asesor_assigned_school":
            user.advised_schools.append(b)
        else:
            user.advised_zones.append(world.other_zone)
        db.session.commit()
        return user
    return {
        "director_host": lambda: quick_user("director", school=a),
        "docente_participating": lambda: quick_user("docente", school=a),
        "director_participating": lambda: quick_user("director", school=b),
        "director_non_participating": lambda: quick_user("director", school=e),
        "director_other_zone": lambda: quick_user("director", school=world.outside),
    }[role]()


def _request(client, action, world, encounter):
    a, b = world.schools[0], world.schools[1]
    base = f"/encuentros/{encounter.id}" if encounter is not None else ""
    group = encounter.groups[0] if encounter is not None else None
    if action == "index":
        return client.get("/encuentros")
    if action in ("detail", "detail_draft"):
        return client.get(base)
    if action == "new_get":
        return client.get("/encuentros/nuevo")
    if action in ("new_post", "edit_post"):
        day = (utcnow() + timedelta(days=60)).astimezone(ZoneInfo("America/Mexico_City")).date()
        return client.post(
            "/encuentros/nuevo" if action == "new_post" else f"{base}/editar",
            data={
                "title": "Título nuevo",
                "date": day.isoformat(),
                "start_time": "08:00",
                "end_time": "12:00",
                "modality": "presencial",
                "zone_ids": [str(world.zone.id)],
            },
        )
    if action == "edit_get":
        return client.get(f"{base}/editar")
    if action == "group_new_get":
        return client.get(f"{base}/grupos/nuevo")
    if action == "group_edit_post":
        return client.post(
            f"{base}/grupos/{group.id}",
            data={"school_ids": [str(a.id), str(b.id)], "host_school_id": str(a.id), "room": "Sala nueva"},
        )
    if action == "group_delete":
        return client.post(f"{base}/grupos/{group.id}/eliminar")
    if action == "agenda_get":
        return client.get(f"{base}/grupos/{group.id}/agenda")
    if action == "agenda_post":
        item = group.agenda[0]
        return client.post(
            f"{base}/grupos/{group.id}/agenda",
            data={
                f"item-{item.id}-title": "Título cambiado",
                f"item-{item.id}-minutes": "5",
                f"item-{item.id}-position": "1",
            },
        )
    if action == "agenda_add":
        return client.post(
            f"{base}/grupos/{group.id}/agenda/agregar",
            data={"activity": "3", "title": "Nueva actividad", "minutes": "10"},
        )
    if action == "agenda_reset":
        return client.post(f"{base}/grupos/{group.id}/agenda/restablecer")
    if action == "schedule":
        return client.post(f"{base}/programar")
    if action == "delete":
        return client.post(f"{base}/eliminar")
    if action == "start":
        return client.post(f"{base}/iniciar")
    if action == "attendance_get":
        return client.get(f"{base}/asistencia")
    if action == "attendance_post":
        return client.post(f"{base}/asistencia", data={f"status-{b.id}": "presente"})
    if action == "presentation_get":
        return client.get(f"{base}/escuelas/{a.cct}/presentacion")
    if action == "presentation_post":
        return client.post(
            f"{base}/escuelas/{a.cct}/presentacion", data={"ask": "Nuestra petición", "kind": "generada"}
        )
    if action == "pdf_upload":
        return client.post(
            f"{base}/escuelas/{a.cct}/presentacion/pdf",
            data={"file": (io.BytesIO(pdf_bytes(1)), "p.pdf")},
            content_type="multipart/form-data",
        )
    if action == "pdf_download":
        return client.get(f"{base}/escuelas/{a.cct}/presentacion.pdf")
    if action == "slides":
        return client.get(f"{base}/escuelas/{a.cct}/diapositivas")
    if action == "ics":
        return client.get(f"{base}/calendario.ics")
    if action == "calendar_page":
        return client.get("/calendario")
    return client.get("/avisos")


def _snapshot(encounter_id):
    db.session.expire_all()
    encounter = db.session.get(Encounter, encounter_id) if encounter_id else None
    return {
        "encounters": db.session.execute(db.select(db.func.count(Encounter.id))).scalar_one(),
        "status": encounter.status if encounter else None,
        "title": encounter.title if encounter else None,
        "groups": len(encounter.groups) if encounter else None,
        "agenda": db.session.execute(db.select(db.func.count(AgendaItem.id))).scalar_one(),
        "agenda_titles": sorted(db.session.execute(db.select(AgendaItem.title)).scalars()),
        "agenda_ids": sorted(db.session.execute(db.select(AgendaItem.id)).scalars()),
        "rooms": [g.room for g in encounter.groups] if encounter else None,
        "attendance": db.session.execute(db.select(db.func.count(Attendance.id))).scalar_one(),
        "presentations": [
            (p.ask, p.pdf_stored_name)
            for p in db.session.execute(db.select(Presentation).order_by(Presentation.id)).scalars()
        ],
    }


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_permission_table(app, client, login_as, world, role, action):
    state, allowed, method = ACTIONS[action]
    encounter = None
    if state is not None:
        encounter = world.encounter(groups=[(0, 1), (2, 3)], schedule=state == "programado")
    if action == "pdf_download":
        admin = quick_user("admin")
        services.upload_presentation_pdf(
            encounter,
            world.schools[0],
            FileStorage(io.BytesIO(pdf_bytes(2)), filename="p.pdf"),
            actor=admin,
            folder=Path(app.config["UPLOAD_FOLDER"]) / "presentations",
            max_bytes=10**7,
            max_pages=40,
        )
        db.session.commit()
    actor = _actor(role, world, encounter)
    if actor is not None:
        login_as(actor)
    before = _snapshot(encounter.id if encounter else None)

    response = _request(client, action, world, encounter)
    response.close()

    if role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role in allowed:
        assert response.status_code == (200 if method == "GET" else 302), response.status_code
        if method == "POST":
            assert _snapshot(encounter.id if encounter else None) != before, "nothing changed"
        return
    else:
        assert response.status_code == 403
    assert _snapshot(encounter.id if encounter else None) == before
