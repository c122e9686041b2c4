"""The projector view of a live room (issue 13): who may open it, and that it offers no writes."""

from __future__ import annotations

import re

import pytest

from tests.app.live.test_permissions import JOIN, ROLES
from tests.realtime.world import quick_user


def projector_url(room) -> str:
    return room.url + "/proyector"


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_who_may_open_the_projector(room, client, login_as, role):
    """Whoever may see the room may put it on the projector (can_join_room); nobody else."""
    login_as(room.people[role])
    expected = 200 if role in JOIN else 403
    assert client.get(projector_url(room)).status_code == expected


def test_facilitator_gets_the_projector(room, client, login_as):
    login_as(room.people["facilitador"])
    response = client.get(projector_url(room))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="projector"' in html and f'data-group-id="{room.group.id}"' in html
    assert "js/projector.js" in html and "css/projector.css" in html
    assert "vendor/socket.io-client-4.8.4/socket.io.min.js" in html
    # The events it follows come from the server's own table (app.live.events).
    assert '"stateEvents"' in html and '"timer": ["agenda_index", "timer"]' in html
    assert '"rowEvents"' in html and '"contribution": "contributions"' in html


def test_projector_offers_no_writes_menus_or_badges(room, client, login_as):
    login_as(room.people["facilitador"])
    html = client.get(projector_url(room)).get_data(as_text=True)
    for tag in ("<form", "<button", "<input", "<textarea", "<select", "<nav", "<details"):
        assert tag not in html, tag
    assert "site-header" not in html and "Cerrar sesión" not in html


def test_projector_keeps_to_the_content_security_policy(room, client, login_as):
    login_as(room.people["facilitador"])
    response = client.get(projector_url(room))
    html = response.get_data(as_text=True)
    policy = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    # The only inline script that runs is the import map, with this response's nonce.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    running = [attrs for attrs in inline if 'type="application/json"' not in attrs]
    assert running == [f' type="importmap" nonce="{nonce}"']
    assert "onclick" not in html and "style=" not in html


def test_teacher_of_another_school_gets_403(room, client, login_as):
    login_as(quick_user("docente", school=room.school_c))
    assert client.get(projector_url(room)).status_code == 403


def test_anonymous_is_sent_to_log_in(room, client):
    response = client.get(projector_url(room))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_room_is_404(room, client, login_as):
    login_as(room.people["admin"])
    assert client.get(f"/encuentros/{room.encounter.id}/grupos/9/sala/proyector").status_code == 404


def test_draft_encounter_projector_only_for_who_runs_it(room, client, login_as, db):
    room.encounter.status = "borrador"
    db.session.commit()
    login_as(room.people["docente_a"])
    assert client.get(projector_url(room)).status_code == 403
    login_as(room.people["facilitador"])
    assert client.get(projector_url(room)).status_code == 200


def test_room_links_the_projector_for_who_facilitates(room, client, login_as):
    login_as(room.people["facilitador"])
    html = client.get(room.url).get_data(as_text=True)
    link = re.search(r'<a[^>]*href="([^"]*/sala/proyector)"[^>]*>([^<]*)</a>', html)
    assert link and link.group(1) == projector_url(room) and "Abrir vista de proyector" in link.group(2)
    assert 'target="_blank"' in link.group(0)
    login_as(room.people["docente_a"])
    assert "/sala/proyector" not in client.get(room.url).get_data(as_text=True)
