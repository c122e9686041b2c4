"""The good-practice cycle in the API (issue 12): relatos, recognitions of a practice, a school's
commitments, and adoptions that show their outcome notes and commitment. Same permissions as the
pages; a read-only token cannot write."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.commitments.models import Commitment, CommitmentNote
from app.dates import local_today
from app.extensions import db
from app.goodpractices import services as goodpractices
from app.goodpractices.models import Recognition
from app.practices.models import Evidence
from tests.app.api.conftest import bearer

SECTIONS = {
    "faced": "Muchas faltas.",
    "tried": "Llamadas a casa.",
    "happened": "Volvieron.",
    "learned": "Escuchar.",
}


def _get(client, make_token, user, url, **kw):
    return client.get(url, headers=bearer(make_token(user)), **kw)


def _relato(world, school, author, **data):
    narrative = goodpractices.create_narrative(
        school, {"title": "Cómo volvieron a la escuela", **SECTIONS, **data}, actor=author
    )
    db.session.commit()
    return narrative


def _commitment(world, school=None, **data):
    school = school or world.school
    member = world.users["director"] if school.id == world.school.id else world.users["director_other_zone"]
    commitment = goodpractices.record_school_commitment(
        school,
        {
            "action": "Leer diez minutos diarios",
            "responsible": "Dirección",
            "due_date": (local_today() + timedelta(days=20)).isoformat(),
            **data,
        },
        actor=member,
    )
    db.session.commit()
    return commitment


def _recognisable(world):
    world.practice.results = "Mejoró la lectura."
    db.session.add(
        Evidence(
            practice_id=world.practice.id,
            original_name="foto.jpg",
            stored_name="foto-ciclo.jpg",
            mime_type="image/jpeg",
            size=10,
        )
    )
    db.session.commit()
    return world.practice


# --- relatos ------------------------------------------------------------------------------------


def test_relatos_list_filters_like_the_page(client, world, make_token):
    director = world.users["director"]
    _relato(world, world.school, director, title="Asistencia: cómo volvieron")
    _relato(world, world.school, director, title="Comprensión lectora en 4°", faced="Pocos comprendían.")
    _relato(world, world.far_school, world.users["director_other_zone"], title="Relato de otra zona")
    reader = world.users["director_sibling"]  # same zone: reads zone A's relatos, not zone B's
    body = _get(client, make_token, reader, "/api/v1/relatos").get_json()
    assert [r["title"] for r in body["items"]] == ["Comprensión lectora en 4°", "Asistencia: cómo volvieron"]
    assert body["total"] == 2 and body["items"][0]["school"]["cct"] == world.school.cct
    found = _get(client, make_token, reader, "/api/v1/relatos", query_string={"q": "COMPRENSION"}).get_json()
    assert [r["title"] for r in found["items"]] == ["Comprensión lectora en 4°"]
    admin = world.users["admin"]
    by_zone = _get(client, make_token, admin, "/api/v1/relatos", query_string={"zone": world.other_zone.cct})
    assert [r["title"] for r in by_zone.get_json()["items"]] == ["Relato de otra zona"]
    unknown = _get(client, make_token, admin, "/api/v1/relatos", query_string={"zone": "22FIZ9999Z"})
    assert unknown.get_json()["total"] == 0
    paged = _get(
        client, make_token, admin, "/api/v1/relatos", query_string={"per_page": 1, "page": 2}
    ).get_json()
    assert paged["total"] == 3 and paged["pages"] == 3 and len(paged["items"]) == 1
    bad = _get(client, make_token, admin, "/api/v1/relatos", query_string={"level": "universidad"})
    assert bad.status_code == 400 and "level" in bad.get_json()["error"]["fields"]
    long_q = _get(client, make_token, admin, "/api/v1/relatos", query_string={"q": "x" * 201})
    assert long_q.status_code == 400 and "q" in long_q.get_json()["error"]["fields"]


def test_relatos_filter_by_category_of_the_practice(client, world, make_token):
    director = world.users["director"]
    _relato(world, world.school, director, title="Con práctica", practice_id=world.practice.id)
    _relato(world, world.school, director, title="Sin práctica")
    body = _get(
        client, make_token, director, "/api/v1/relatos", query_string={"category": "pensamiento-matematico"}
    ).get_json()
    assert [r["title"] for r in body["items"]] == ["Con práctica"]
    assert body["items"][0]["practice_id"] == world.practice.id
    assert body["items"][0]["practice_url"] == f"/api/v1/practices/{world.practice.id}"


def test_one_relato_with_the_pages_permission(client, world, make_token):
    narrative = _relato(world, world.school, world.users["director"])
    url = f"/api/v1/relatos/{narrative.id}"
    body = _get(client, make_token, world.users["director_sibling"], url).get_json()
    assert body["title"] == "Cómo volvieron a la escuela" and body["learned"] == "Escuchar."
    assert body["url"] == url and body["author"]["id"] == world.users["director"].id
    assert _get(client, make_token, world.users["director_other_zone"], url).status_code == 403
    missing = _get(client, make_token, world.users["admin"], "/api/v1/relatos/999999")
    assert missing.status_code == 404 and missing.get_json()["error"]["message"] == "No existe ese relato."


# --- recognitions -------------------------------------------------------------------------------


def test_recognitions_are_read_by_who_sees_the_practice(client, world, make_token):
    practice = _recognisable(world)
    url = f"/api/v1/practices/{practice.id}/recognitions"
    empty = _get(client, make_token, world.users["director_sibling"], url).get_json()
    assert empty == {"items": [], "recognisable_zones": []}
    supervisor = _get(client, make_token, world.users["supervisor"], url).get_json()
    assert [z["cct"] for z in supervisor["recognisable_zones"]] == [world.zone.cct]
    assert _get(client, make_token, world.users["director_other_zone"], url).status_code == 403


def test_a_supervisor_recognises_through_the_service(client, world, make_token):
    practice = _recognisable(world)
    url = f"/api/v1/practices/{practice.id}/recognitions"
    headers = bearer(make_token(world.users["supervisor"]))
    response = client.post(url, json={"rationale": "Resultados con evidencia."}, headers=headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["zone"]["cct"] == world.zone.cct and body["recognised_as"] == "supervisor"
    assert body["recognised_by"]["id"] == world.users["supervisor"].id
    assert response.headers["Location"] == url
    db.session.expire_all()
    assert db.session.get(type(practice), practice.id).is_recognised
    listed = client.get(url, headers=headers).get_json()["items"]
    assert [r["rationale"] for r in listed] == ["Resultados con evidencia."]


def test_recognising_is_refused_as_on_the_page(client, world, make_token):
    url = f"/api/v1/practices/{world.practice.id}/recognitions"
    body = {"rationale": "Buena."}
    director = client.post(url, json=body, headers=bearer(make_token(world.users["director_sibling"])))
    assert director.status_code == 403
    other = client.post(
        url,
        json={**body, "zone": world.other_zone.cct},
        headers=bearer(make_token(world.users["supervisor"])),
    )
    assert other.status_code == 403  # not a zone this supervisor speaks for
    no_evidence = client.post(url, json=body, headers=bearer(make_token(world.users["supervisor"])))
    assert no_evidence.status_code == 422 and "evidencia" in no_evidence.get_json()["error"]["fields"]["_"]
    _recognisable(world)
    empty = client.post(url, json={"rationale": "  "}, headers=bearer(make_token(world.users["supervisor"])))
    assert empty.status_code == 422 and "rationale" in empty.get_json()["error"]["fields"]
    assert db.session.scalar(db.select(db.func.count(Recognition.id))) == 0


def test_an_advisor_of_two_zones_names_the_zone(client, world, make_token):
    practice = _recognisable(world)
    advisor = world.users["asesor"]  # advises world.school (zone A)
    advisor.advised_zones.append(world.other_zone)
    practice.visibility = "todos"
    db.session.commit()
    url = f"/api/v1/practices/{practice.id}/recognitions"
    headers = bearer(make_token(advisor))
    unnamed = client.post(url, json={"rationale": "Buena."}, headers=headers)
    assert unnamed.status_code == 422 and "zone" in unnamed.get_json()["error"]["fields"]
    named = client.post(url, json={"rationale": "Buena.", "zone": world.zone.cct.lower()}, headers=headers)
    assert named.status_code == 201 and named.get_json()["recognised_as"] == "asesor"


# --- commitments --------------------------------------------------------------------------------


def test_a_schools_commitments_soonest_first(client, world, make_token):
    later = _commitment(world, due_date=(local_today() + timedelta(days=40)).isoformat(), action="Después")
    sooner = _commitment(world, due_date=(local_today() + timedelta(days=5)).isoformat(), action="Antes")
    _commitment(world, world.far_school, action="De otra escuela")
    url = f"/api/v1/schools/{world.school.cct}/commitments"
    body = _get(client, make_token, world.users["docente"], url).get_json()
    assert [c["id"] for c in body["items"]] == [sooner.id, later.id]
    assert body["items"][0]["status"] == "pendiente" and "notes" not in body["items"][0]
    assert body["items"][0]["next_statuses"] == ["cumplido", "en_curso", "no_cumplido", "reprogramado"]
    none = _get(client, make_token, world.users["supervisor"], url, query_string={"status": "cumplido"})
    assert none.get_json()["total"] == 0
    # Like the logbook page: not for a director of another school of the zone.
    assert _get(client, make_token, world.users["director_sibling"], url).status_code == 403


def test_one_commitment_and_its_follow_up(client, world, make_token):
    commitment = _commitment(world)
    url = f"/api/v1/commitments/{commitment.id}"
    headers = bearer(make_token(world.users["director"]))
    assert client.get(url, headers=headers).get_json()["notes"] == []
    response = client.patch(url, json={"note": "Ya empezamos en 3°.", "status": "en_curso"}, headers=headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "en_curso" and [n["body"] for n in body["notes"]] == ["Ya empezamos en 3°."]
    assert body["notes"][0]["status_after"] == "en_curso"
    db.session.expire_all()
    assert db.session.get(Commitment, commitment.id).status == "en_curso"
    # The page's transitions: a fulfilled commitment does not change again.
    client.patch(url, json={"note": "Listo.", "status": "cumplido"}, headers=headers)
    refused = client.patch(url, json={"note": "Otra vez.", "status": "pendiente"}, headers=headers)
    assert refused.status_code == 422 and "status" in refused.get_json()["error"]["fields"]


def test_a_follow_up_without_a_note_names_note(client, world, make_token):
    commitment = _commitment(world)
    response = client.patch(
        f"/api/v1/commitments/{commitment.id}",
        json={"status": "en_curso"},
        headers=bearer(make_token(world.users["director"])),
    )
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"note"}
    assert db.session.scalar(db.select(db.func.count(CommitmentNote.id))) == 0


def test_rescheduling_needs_a_new_date(client, world, make_token):
    commitment = _commitment(world)
    url = f"/api/v1/commitments/{commitment.id}"
    headers = bearer(make_token(world.users["supervisor"]))
    missing = client.patch(url, json={"note": "Se mueve.", "status": "reprogramado"}, headers=headers)
    assert missing.status_code == 422 and "new_due_date" in missing.get_json()["error"]["fields"]
    new_date = (local_today() + timedelta(days=60)).isoformat()
    done = client.patch(
        url, json={"note": "Se mueve.", "status": "reprogramado", "new_due_date": new_date}, headers=headers
    )
    assert done.status_code == 200 and done.get_json()["due_date"] == new_date


def test_following_up_uses_the_pages_permission(client, world, make_token):
    commitment = _commitment(world)
    url = f"/api/v1/commitments/{commitment.id}"
    asesor = bearer(make_token(world.users["asesor"]))  # sees the logbook, does not follow it up
    assert client.get(url, headers=asesor).status_code == 200
    assert client.patch(url, json={"note": "x"}, headers=asesor).status_code == 403
    other = bearer(make_token(world.users["director_other_zone"]))
    assert client.get(url, headers=other).status_code == 403
    assert client.patch(url, json={"note": "x"}, headers=other).status_code == 403
    assert db.session.scalar(db.select(db.func.count(CommitmentNote.id))) == 0


# --- adoptions ----------------------------------------------------------------------------------


def test_adoption_json_shows_its_commitment_and_outcome_notes(client, world, make_token):
    headers = bearer(make_token(world.users["director_sibling"]))
    response = client.post(f"/api/v1/practices/{world.practice.id}/adoptions", json={}, headers=headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    commitment = db.session.get(Commitment, body["commitment_id"])
    assert commitment.school_id == world.sibling.id and "Aplicar la práctica" in commitment.action
    assert body["commitment_url"] == f"/api/v1/commitments/{commitment.id}"
    assert body["outcome_notes"] is None
    # The adopting school follows its commitment through the API too.
    shown = client.get(body["commitment_url"], headers=headers).get_json()
    assert shown["school"]["cct"] == world.sibling.cct
    adoption = goodpractices.adoption_for_commitment(commitment)
    goodpractices.record_adoption_outcome(
        adoption, {"outcome": "bueno", "outcome_notes": "Leen más."}, actor=world.users["director_sibling"]
    )
    db.session.commit()
    detail = client.get(f"/api/v1/practices/{world.practice.id}", headers=headers).get_json()
    assert [(a["outcome"], a["outcome_notes"]) for a in detail["adoptions"]] == [("bueno", "Leen más.")]


# --- read-only tokens ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["recognition", "commitment"])
def test_a_read_only_token_cannot_write(client, world, make_token, kind):
    practice = _recognisable(world)
    commitment = _commitment(world)
    if kind == "recognition":
        user, url, body = (
            world.users["supervisor"],
            f"/api/v1/practices/{practice.id}/recognitions",
            {"rationale": "B."},
        )
    else:
        user, url, body = world.users["director"], f"/api/v1/commitments/{commitment.id}", {"note": "Avance."}
    method = "POST" if kind == "recognition" else "PATCH"
    reader = bearer(make_token(user, scope="lectura"))
    assert client.get(url, headers=reader).status_code == 200
    refused = client.open(url, method=method, json=body, headers=reader)
    assert refused.status_code == 403 and "solo lectura" in refused.get_json()["error"]["message"]
    assert db.session.scalar(db.select(db.func.count(Recognition.id))) == 0
    assert db.session.scalar(db.select(db.func.count(CommitmentNote.id))) == 0
    writer = bearer(make_token(user))
    assert client.open(url, method=method, json=body, headers=writer).status_code in (200, 201)
