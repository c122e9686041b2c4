"""Behind the documented nginx every request comes from 127.0.0.1: PROXY_FIX and shared limits.

Login limits (issue 16, finding 4): the tight one is per address *and account*, so failures for one
account never lock a colleague's correct login behind the same address; a loose per-address one
only stops one address trying many accounts; the per-account lockout stays in the database.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from app import create_app, ratelimits
from app.extensions import db
from config import TestConfig
from tests import factories


@pytest.fixture
def behind_proxy(app):
    """behind_proxy(hops, **settings): another app on the test database, as nginx would reach it
    (unless told: 3 failed logins per address and account, 10 per address for any accounts); its
    connections are closed after the test (an open psycopg connection warns when collected)."""
    made = []

    def _make(hops: int, **settings):
        class _Config(TestConfig):
            SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
            UPLOAD_FOLDER = app.config["UPLOAD_FOLDER"]
            PROXY_FIX = hops
            LOGIN_IP_ACCOUNT_MAX_FAILURES = 3
            LOGIN_IP_MAX_FAILURES = 10

        for key, value in settings.items():
            setattr(_Config, key, value)
        made.append(create_app(_Config))
        return made[-1]

    yield _make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def _login(client, email: str, password: str, client_ip: str):
    """A login as nginx forwards it: from 127.0.0.1, the client's address in X-Forwarded-For."""
    return client.post(
        "/login",
        data={"email": email, "password": password},
        headers={"X-Forwarded-For": client_ip, "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )


@pytest.mark.parametrize("hops", [0, 1])
def test_failures_of_other_people_do_not_refuse_a_correct_login(app, db, behind_proxy, hops):
    """With the shipped limits, 30 people each mistyping once behind one proxy refuse nobody, even
    without PROXY_FIX (everyone then shares the proxy's address). Before, 30 failures of anyone
    from one address refused every login from it for 15 minutes: the hops=0 case was a 429."""
    user = factories.create_user("docente")
    assert TestConfig.LOGIN_IP_ACCOUNT_MAX_FAILURES == 5 and TestConfig.LOGIN_IP_MAX_FAILURES == 100
    proxied = behind_proxy(
        hops,
        LOGIN_IP_ACCOUNT_MAX_FAILURES=TestConfig.LOGIN_IP_ACCOUNT_MAX_FAILURES,
        LOGIN_IP_MAX_FAILURES=TestConfig.LOGIN_IP_MAX_FAILURES,
    )
    client = proxied.test_client()
    for n in range(30):
        assert _login(client, f"nadie{n}@escuelas.test", "mala", f"203.0.113.{n}").status_code == 401
    assert _login(client, user.email, factories.PASSWORD, "198.51.100.7").status_code == 302


def test_failures_for_one_account_do_not_lock_a_colleague_behind_the_same_address(app, db, behind_proxy):
    """N failures for account A from address X: A waits at X (and only there); B's correct
    password from X logs B in. Before, the per-address counter refused B too (429)."""
    ana, bruno = factories.create_user("docente"), factories.create_user("docente")
    client = behind_proxy(1).test_client()
    for _ in range(3):
        assert _login(client, ana.email, "mala", "203.0.113.9").status_code == 401
    refused = _login(client, ana.email, factories.PASSWORD, "203.0.113.9")
    assert refused.status_code == 429
    assert "con este correo desde esta conexión" in refused.get_data(as_text=True)
    assert _login(client, bruno.email, factories.PASSWORD, "203.0.113.9").status_code == 302
    # Ana, from her own address, is not locked out: 3 failures stay under the account lockout (5).
    assert _login(client, ana.email, factories.PASSWORD, "198.51.100.8").status_code == 302


def test_one_address_trying_many_accounts_is_still_stopped(app, db, behind_proxy):
    """Credential stuffing: one address, a different account each time. The loose per-address
    limit (10 here) stops it, whichever account comes next; other addresses log in."""
    user = factories.create_user("docente")
    client = behind_proxy(1).test_client()
    for n in range(10):
        assert _login(client, f"lista{n}@escuelas.test", "123456", "203.0.113.66").status_code == 401
    refused = _login(client, user.email, factories.PASSWORD, "203.0.113.66")
    assert refused.status_code == 429 and "desde esta conexión" in refused.get_data(as_text=True)
    assert _login(client, user.email, factories.PASSWORD, "198.51.100.66").status_code == 302


def test_a_correct_login_forgets_the_earlier_typos_of_that_account(app, db, behind_proxy):
    user = factories.create_user("docente")
    client = behind_proxy(1).test_client()
    for _ in range(2):
        _login(client, user.email, "mala", "203.0.113.30")
    assert _login(client, user.email, factories.PASSWORD, "203.0.113.30").status_code == 302
    client.post("/logout", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    for _ in range(2):  # 4 failures in the window, but only 2 since the success
        assert _login(client, user.email, "mala", "203.0.113.30").status_code == 401
    assert _login(client, user.email, factories.PASSWORD, "203.0.113.30").status_code == 302


@pytest.mark.parametrize(
    "hops, expected",
    [
        (0, "http://localhost/compromisos/12"),
        (1, "https://aprendizaje.example.org/compromisos/12"),
    ],
)
def test_links_made_in_a_request_follow_what_the_proxy_forwards(app, db, behind_proxy, hops, expected):
    from app.urls import absolute_url

    proxied = behind_proxy(hops)
    proxied.add_url_rule("/_enlace", "probe", lambda: absolute_url("/compromisos/12"))
    response = proxied.test_client().get(
        "/_enlace", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "aprendizaje.example.org"}
    )
    assert response.get_data(as_text=True) == expected


@pytest.mark.parametrize("hops, seen", [(0, ("127.0.0.1", "http")), (1, ("198.51.100.7", "https"))])
def test_live_connections_see_the_address_and_scheme_the_proxy_forwards(app, db, behind_proxy, hops, seen):
    """ProxyFix wraps the Socket.IO middleware too: a live room's connection, not only a page,
    sees the person's address and scheme (inside it, Socket.IO would see the proxy's)."""
    import json

    from app.extensions import socketio

    proxied = behind_proxy(hops)  # the newest app: socketio.server is now its server
    response = proxied.test_client().get(
        "/socket.io/?EIO=4&transport=polling",
        headers={"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert response.status_code == 200
    sid = json.loads(response.get_data(as_text=True)[1:])["sid"]  # the engine.io "open" packet
    environ = socketio.server.environ[sid]
    assert (environ["REMOTE_ADDR"], environ["wsgi.url_scheme"]) == seen


def test_two_app_processes_sharing_redis_refuse_the_same_noisy_address(app, db, behind_proxy, redis_url):
    """Behind nginx with two gunicorn processes: failures counted by one refuse on the other."""
    user, colleague = factories.create_user("docente"), factories.create_user("docente")
    settings = {"REDIS_URL": redis_url, "RATELIMIT_KEY_PREFIX": f"aee-test-{uuid.uuid4().hex[:8]}"}
    first, second = behind_proxy(1, **settings), behind_proxy(1, **settings)
    try:
        for n in range(3):
            client = (first, second)[n % 2].test_client()
            assert _login(client, user.email, "mala", "203.0.113.20").status_code == 401
        for process in (first, second):
            client = process.test_client()
            assert _login(client, user.email, factories.PASSWORD, "203.0.113.20").status_code == 429
            assert _login(client, colleague.email, factories.PASSWORD, "203.0.113.20").status_code == 302
        assert (
            _login(second.test_client(), user.email, factories.PASSWORD, "198.51.100.20").status_code == 302
        )
    finally:
        with first.app_context():
            ratelimits.limits().reset()


def test_two_processes_share_the_login_limit_through_redis(redis_url):
    prefix = f"aee-test-{uuid.uuid4().hex[:8]}"
    first = ratelimits.RateLimits(redis_url, prefix=prefix)
    second = ratelimits.RateLimits(redis_url, prefix=prefix)
    other_installation = ratelimits.RateLimits(redis_url, prefix=prefix + "-otra")
    rule = ratelimits.window(2, timedelta(minutes=15))
    try:
        assert first.hit(rule, "login-ip", "203.0.113.1")
        assert second.hit(rule, "login-ip", "203.0.113.1")
        assert not first.allows(rule, "login-ip", "203.0.113.1")
        assert not second.allows(rule, "login-ip", "203.0.113.1")
        assert other_installation.allows(rule, "login-ip", "203.0.113.1")
    finally:
        first.limiter.clear(rule, "login-ip", "203.0.113.1")


def test_the_app_counts_in_redis_when_redis_url_is_set(app, db, redis_url, monkeypatch):
    from app.auth import services

    prefix = f"aee-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setitem(app.config, "LOGIN_IP_MAX_FAILURES", 2)
    monkeypatch.setitem(app.extensions, "aee_ratelimits", ratelimits.RateLimits(redis_url, prefix=prefix))
    elsewhere = ratelimits.RateLimits(redis_url, prefix=prefix)  # another process of the same site
    for n in range(2):
        services.authenticate(f"nadie{n}@escuelas.test", "x", ip="203.0.113.5")
    rule = ratelimits.window(2, app.config["LOGIN_IP_WINDOW"])
    assert not elsewhere.allows(rule, "login-ip", "203.0.113.5")
    elsewhere.limiter.clear(rule, "login-ip", "203.0.113.5")


def test_an_unreachable_redis_lets_logins_through_instead_of_failing(app, db, monkeypatch):
    """Redis down: the per-address limit lets the login through (no 500); the per-account lockout,
    in the database, still holds."""
    from tests import factories as f

    user = f.create_user("docente")
    monkeypatch.setitem(
        app.extensions,
        "aee_ratelimits",
        ratelimits.RateLimits("redis://127.0.0.1:1/0?socket_connect_timeout=0.2", prefix="x"),
    )
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": "mala"}).status_code == 401
    assert client.post("/login", data={"email": user.email, "password": f.PASSWORD}).status_code == 302
