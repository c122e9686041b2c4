"""The room's page and its snapshot over HTTP."""

from __future__ import annotations

import pytest


def test_room_page_renders_the_room_for_a_teacher(room, client, login_as):
    login_as(room.people["docente_a"])
    response = client.get(room.url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Sala en vivo" in html and 'id="contribution-form"' in html
    assert "vendor/socket.io-client-4.8.4/socket.io.min.js" in html
    assert "js/live/room.js" in html
    assert 'id="timer-controls"' not in html  # not a facilitator


def test_observer_sees_no_forms(room, client, login_as):
    login_as(room.people["asesor_asignado"])
    html = client.get(room.url).get_data(as_text=True)
    assert (
        "observador" in html and 'id="contribution-form"' not in html and 'id="commitment-form"' not in html
    )


def test_facilitator_sees_the_controls(room, client, login_as):
    login_as(room.people["facilitador"])
    html = client.get(room.url).get_data(as_text=True)
    assert 'id="timer-controls"' in html and 'id="turn-select"' in html


@pytest.mark.parametrize(
    "path",
    [
        "/encuentros/999999/grupos/1/sala",
        "/encuentros/{e}/grupos/9/sala",
        "/encuentros/{e}/grupos/9/sala/estado.json",
    ],
)
def test_unknown_room_is_404(room, client, login_as, path):
    login_as(room.people["admin"])
    assert client.get(path.format(e=room.encounter.id)).status_code == 404


def test_snapshot_json(room, client, login_as):
    login_as(room.people["docente_b"])
    response = client.get(room.url + "/estado.json")
    data = response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    assert data["version"] == 0 and data["me"]["school_id"] == room.school_b.id
    deck = data["schools"][0]["deck"]
    assert deck["kind"] == "generada" and deck["count"] == len(deck["slides"]) >= 2
    assert any(s["problem_id"] == room.problem.id for s in deck["slides"])
    assert data["problems"] == [
        {"id": room.problem.id, "title": "Comprensión lectora en 3°", "school_id": room.school_a.id}
    ]


def test_draft_encounter_room_only_for_who_runs_it(room, client, login_as, db):
    room.encounter.status = "borrador"
    db.session.commit()
    login_as(room.people["docente_a"])
    assert client.get(room.url).status_code == 403
    login_as(room.people["supervisor"])
    assert client.get(room.url).status_code == 200


@pytest.mark.parametrize(
    "path,mimetype",
    [
        ("vendor/socket.io-client-4.8.4/socket.io.min.js", "text/javascript"),
        ("vendor/pdfjs-dist-6.5.438/pdf.min.mjs", "text/javascript"),  # modules need a JS type
        ("js/live/room.js", "text/javascript"),
    ],
)
def test_vendored_assets_are_served(client, path, mimetype):
    response = client.get(f"/static/{path}")
    try:
        assert response.status_code == 200 and response.mimetype == mimetype
    finally:
        response.close()


def test_encounter_page_links_to_the_room(room, client, login_as):
    login_as(room.people["docente_b"])
    html = client.get(f"/encuentros/{room.encounter.id}").get_data(as_text=True)
    assert f'href="{room.url}"' in html
    login_as(room.people["director_otro_grupo"])  # sees the encounter, not this group's room
    html = client.get(f"/encuentros/{room.encounter.id}").get_data(as_text=True)
    assert f'href="{room.url}"' not in html
