"""Live rooms follow the login session (issue 16, finding 3): a connection whose cookie names a
replaced session token is refused on its next event, and ending a person's sessions (logout,
"Cerrar todas las sesiones", a new password) closes their open connections."""

from __future__ import annotations

import pytest
from flask import g

from app.auth import services
from app.auth.models import new_session_token
from app.extensions import db
from realtime.rooms import LIVE_NAMESPACE as NS
from tests import factories

pytestmark = pytest.mark.usefixtures("db")


def _joined(sio_for, room, who):
    client = sio_for(room.people[who])
    ack = client.emit("join", {"group_id": room.group.id}, namespace=NS, callback=True)
    assert ack["ok"], ack
    return client


def _browser_of(app, user):
    http = app.test_client()
    with http.session_transaction() as sess:
        factories.log_in(sess, user)
    g.pop("_login_user", None)
    return http


def test_a_replaced_session_token_refuses_the_next_event(room, sio_for):
    a = _joined(sio_for, room, "docente_a")
    user = room.people["docente_a"]
    user.session_token = new_session_token()  # as another device's "cerrar todas las sesiones" does
    db.session.commit()
    ack = a.emit("hand", {"group_id": room.group.id, "action": "raise"}, namespace=NS, callback=True)
    assert ack["error"] == "no_autenticado"
    assert not a.is_connected(NS)


@pytest.mark.parametrize(
    "path,reason",
    [("/cuenta/sesiones/cerrar", "sesiones_cerradas"), ("/logout", "sesion_cerrada")],
)
def test_ending_sessions_over_http_closes_the_open_live_connections(app, room, sio_for, path, reason):
    a = _joined(sio_for, room, "docente_a")
    other = _joined(sio_for, room, "docente_b")
    http = _browser_of(app, room.people["docente_a"])
    assert http.post(path).status_code == 302
    assert not a.is_connected(NS)
    # (the test client's get_received refuses a closed connection: read what it kept)
    ended = [p["args"][0] for p in a.queue if p["namespace"] == NS and p["name"] == "session_ended"]
    assert ended and ended[-1]["reason"] == reason
    assert other.is_connected(NS)


def test_a_refused_password_change_keeps_the_live_connections(app, room, sio_for):
    a = _joined(sio_for, room, "docente_a")
    http = _browser_of(app, room.people["docente_a"])
    response = http.post(
        "/cuenta/contrasena", data={"current": "no-es-la-mía", "password": "x", "confirm": "x"}
    )
    assert response.status_code == 422
    assert a.is_connected(NS)


def test_disabling_an_account_closes_its_connections_after_the_commit(room, sio_for):
    a = _joined(sio_for, room, "docente_a")
    services.set_user_active(room.people["docente_a"], False, actor=room.people["admin"])
    assert a.is_connected(NS)  # nothing happens before the commit (it could still roll back)
    db.session.commit()
    assert not a.is_connected(NS)
