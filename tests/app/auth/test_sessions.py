"""Stolen cookies do not survive: logout, a password change or reset, a disabled account and "Cerrar
todas las sesiones" end every session of the person (issue 16, finding 3).

The thief is a second test client holding a copy of the victim's cookies, as a browser on another
computer would. Before session tokens, every one of these copies kept working.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import g

from app.auth import services
from app.auth.models import User
from tests import factories


def _request(client, method: str, path: str, **kw):
    # The test's app context (hence `g`) is shared by every request: drop the user Flask-Login
    # cached for the previous one, as a real request starts afresh.
    g.pop("_login_user", None)
    return client.open(path, method=method, **kw)


def _logged_in(client) -> bool:
    """Whether this browser is logged in (a protected page answers 200, not the login redirect)."""
    return _request(client, "GET", "/cuenta/tokens").status_code == 200


def _browser(app, user: User, *, remember: bool = False):
    """A browser that logged in through the form (password, optionally "mantener la sesión")."""
    client = app.test_client()
    data = {"email": user.email, "password": factories.PASSWORD}
    if remember:
        data["remember"] = "y"
    assert _request(client, "POST", "/login", data=data).status_code == 302
    return client


def _copy(app, client, *names: str):
    """Another browser holding a copy of ``client``'s cookies (stolen, or left on a shared computer)."""
    thief = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        assert cookie is not None, name
        thief.set_cookie(name, cookie.value)
    return thief


def test_a_copied_session_cookie_stops_working_at_logout(app, db):
    user = factories.create_user("docente")
    victim = _browser(app, user)
    thief = _copy(app, victim, "session")
    assert _logged_in(thief)
    assert _request(victim, "POST", "/logout").status_code == 302
    assert not _logged_in(victim)
    assert not _logged_in(thief)


def test_a_copied_remember_me_cookie_stops_working_at_logout(app, db):
    user = factories.create_user("docente")
    victim = _browser(app, user, remember=True)
    thief = _copy(app, victim, "remember_token")  # only the long-lived cookie, as after 12 hours
    assert _logged_in(thief)
    _request(victim, "POST", "/logout")
    assert not _logged_in(thief)


def test_the_remember_me_cookie_lasts_30_days(app, db):
    user = factories.create_user("docente")
    client = app.test_client()
    g.pop("_login_user", None)
    response = client.post(
        "/login", data={"email": user.email, "password": factories.PASSWORD, "remember": "y"}
    )
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token="))
    assert app.config["REMEMBER_COOKIE_DURATION"].days == 30
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Expires=" in header


def test_a_password_reset_ends_the_thiefs_session_and_remember_cookie(app, db):
    user = factories.create_user("docente")
    supervisor = factories.create_user("supervisor", zone=user.school.zone)
    victim = _browser(app, user, remember=True)
    thief_session = _copy(app, victim, "session")
    thief_remember = _copy(app, victim, "remember_token")
    _reset, token = services.issue_password_reset(user, actor=supervisor)
    db.session.commit()
    done = _request(
        app.test_client(),
        "POST",
        f"/restablecer/{token}",
        data={"password": "tortuga-lámpara-río-7", "confirm": "tortuga-lámpara-río-7"},
    )
    assert done.status_code == 302
    assert not _logged_in(thief_session) and not _logged_in(thief_remember)
    assert not _logged_in(victim)  # the reset is for someone who lost access: log in afresh


def test_changing_the_password_ends_other_sessions_but_keeps_this_browser(app, db):
    user = factories.create_user("docente")
    victim = _browser(app, user, remember=True)
    thief = _copy(app, victim, "session")
    thief_remember = _copy(app, victim, "remember_token")
    response = _request(
        victim,
        "POST",
        "/cuenta/contrasena",
        data={
            "current": factories.PASSWORD,
            "password": "tortuga-lámpara-río-7",
            "confirm": "tortuga-lámpara-río-7",
        },
    )
    assert response.status_code == 302
    assert not _logged_in(thief) and not _logged_in(thief_remember)
    page = _request(victim, "GET", "/cuenta", follow_redirects=True).get_data(as_text=True)
    assert "Tu contraseña se cambió" in page
    assert _logged_in(victim)
    # This browser asked to be remembered: its remember-me cookie names the new token.
    assert _logged_in(_copy(app, victim, "remember_token"))
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("tortuga-lámpara-río-7")


def test_a_wrong_current_password_changes_nothing_and_keeps_the_sessions(app, db):
    user = factories.create_user("docente")
    victim = _browser(app, user)
    thief = _copy(app, victim, "session")
    response = _request(
        victim,
        "POST",
        "/cuenta/contrasena",
        data={
            "current": "no-es-la-mía-123",
            "password": "tortuga-lámpara-río-7",
            "confirm": "tortuga-lámpara-río-7",
        },
    )
    assert response.status_code == 422
    assert "La contraseña actual no es correcta" in response.get_data(as_text=True)
    assert _logged_in(thief)
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(factories.PASSWORD)


def test_closing_all_sessions_ends_another_browser_and_keeps_this_one(app, db):
    user = factories.create_user("director")
    laptop = _browser(app, user, remember=True)
    phone = _browser(app, user, remember=True)
    phone_remember = _copy(app, phone, "remember_token")
    assert _logged_in(phone) and _logged_in(laptop)
    response = _request(laptop, "POST", "/cuenta/sesiones/cerrar", follow_redirects=True)
    assert response.status_code == 200
    assert "Cerraste tus sesiones en los demás navegadores y dispositivos" in response.get_data(as_text=True)
    assert _logged_in(laptop)
    assert not _logged_in(phone) and not _logged_in(phone_remember)
    assert _logged_in(_copy(app, laptop, "remember_token"))


def test_the_account_page_offers_both_and_closing_is_a_post(app, client, login_as, db):
    login_as("docente")
    html = _request(client, "GET", "/cuenta").get_data(as_text=True)
    assert "Cambiar contraseña" in html and "Cerrar todas las sesiones" in html
    assert re.search(r'<form method="post" action="/cuenta/sesiones/cerrar">', html)
    assert _request(client, "GET", "/cuenta/sesiones/cerrar").status_code == 405


def test_closing_all_sessions_needs_the_csrf_token(app, client, login_as, db, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user = login_as("docente")
    before = user.session_token
    assert _request(client, "POST", "/cuenta/sesiones/cerrar").status_code == 400
    db.session.expire_all()
    assert db.session.get(User, user.id).session_token == before


def test_a_disabled_account_stays_out_even_once_enabled_again(app, db):
    user = factories.create_user("docente")
    admin = factories.create_user("admin")
    victim = _browser(app, user)
    thief = _copy(app, victim, "session")
    services.set_user_active(user, False, actor=admin)
    db.session.commit()
    assert not _logged_in(thief)
    services.set_user_active(user, True, actor=admin)
    db.session.commit()
    assert not _logged_in(thief) and not _logged_in(victim)
    assert _logged_in(_browser(app, user))


@pytest.mark.parametrize("forged", ["1", "1:", ":abc", "abc:def", "99999999999999999999:x", "1:" + "x" * 43])
def test_a_forged_session_id_is_anonymous_not_an_error(app, client, db, forged):
    factories.create_user("docente")
    with client.session_transaction() as sess:
        sess["_user_id"] = forged
    response = _request(client, "GET", "/cuenta/tokens")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def _environ_with_session(app, user: User) -> dict:
    """A request environ carrying ``user``'s session cookie, as a live connection's handshake has."""
    from werkzeug.test import EnvironBuilder

    client = _browser(app, user)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return EnvironBuilder(
        path="/socket.io/", headers={"Cookie": f"{cookie.key}={cookie.value}"}
    ).get_environ()


def test_a_connections_cookie_is_read_once_and_each_event_gets_its_own_copy(app, db, monkeypatch):
    """Flask-SocketIO opens the session for every event with the handshake's environ: the signed
    cookie is checked once, then each opening gets a copy (one event's change is not the next's)."""
    from flask.sessions import SecureCookieSessionInterface

    user = factories.create_user("docente")
    environ, other = _environ_with_session(app, user), _environ_with_session(app, user)
    reads = []
    original = SecureCookieSessionInterface.open_session

    def counting(self, app_, request):
        reads.append(request.environ.get("PATH_INFO"))
        return original(self, app_, request)

    monkeypatch.setattr(SecureCookieSessionInterface, "open_session", counting)
    interface = app.session_interface
    first = interface.open_session(app, app.request_class(environ))
    assert first["_user_id"] == user.get_id()
    first["_flashes"] = [("info", "solo de este evento")]
    second = interface.open_session(app, app.request_class(environ))
    assert second["_user_id"] == user.get_id() and "_flashes" not in second
    assert not second.modified
    assert len(reads) == 1
    # another request (another environ) reads its own cookie
    interface.open_session(app, app.request_class(other))
    assert len(reads) == 2


def test_a_kept_session_is_read_again_after_a_minute(app, db, monkeypatch):
    """A connection left open: its cookie is checked again after KEEP_SECONDS, so a session past its
    lifetime (PERMANENT_SESSION_LIFETIME) ends on the live connection too."""
    from app.auth import sessions

    user = factories.create_user("docente")
    environ = _environ_with_session(app, user)
    interface = app.session_interface
    now = [1000.0]
    monkeypatch.setattr(sessions.time, "monotonic", lambda: now[0])
    assert interface.open_session(app, app.request_class(environ))["_user_id"] == user.get_id()
    # the cookie's lifetime has passed: the signature check now refuses it
    monkeypatch.setitem(app.config, "PERMANENT_SESSION_LIFETIME", timedelta(seconds=-1))
    now[0] += interface.KEEP_SECONDS - 1
    assert interface.open_session(app, app.request_class(environ))["_user_id"] == user.get_id()
    now[0] += 2
    assert "_user_id" not in interface.open_session(app, app.request_class(environ))
