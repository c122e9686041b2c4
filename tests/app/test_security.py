"""Security properties: CSRF on every form, hashed passwords, cookie flags, production config."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.auth import services
from app.auth.models import ApiToken, Invitation, PasswordReset, User
from config import DEV_SECRET_KEY, ProductionConfig
from tests import factories

GOOD = "una-contraseña-larga"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def csrf_on(app, monkeypatch):
    """The test configuration turns CSRF off; these tests turn it back on (restored afterwards)."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    yield


def _csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_login_without_the_token_is_refused_and_writes_nothing(client, csrf_on, create_user, db):
    user = create_user("docente")
    response = client.post("/login", data={"email": user.email, "password": "mala"})
    assert response.status_code == 400
    assert "El formulario caducó" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.failed_login_count == 0 and user.last_login_at is None


def test_login_with_the_token_works(client, csrf_on, create_user, db):
    user = create_user("docente")
    token = _csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": user.email, "password": factories.PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_invitation_form_without_the_token_is_refused(client, csrf_on, login_as, db):
    login_as("director")
    response = client.post("/invitaciones", data={"email": "x@escuelas.test", "role": "docente"})
    assert response.status_code == 400
    assert db.session.query(Invitation).count() == 0


def test_logout_without_the_token_is_refused_and_the_session_stays(client, csrf_on, login_as, db):
    login_as("docente")
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("path", ["/personas/{id}/restablecer", "/personas/{id}/activa", "/cuenta/tokens"])
def test_other_auth_posts_without_the_token_are_refused(client, csrf_on, login_as, create_user, db, path):
    target = create_user("docente")
    login_as("admin")
    response = client.post(path.format(id=target.id), data={"active": "0", "name": "x"})
    assert response.status_code == 400
    db.session.refresh(target)
    assert target.is_active
    assert db.session.query(PasswordReset).count() == db.session.query(ApiToken).count() == 0


def test_accepting_an_invitation_without_the_token_is_refused(client, csrf_on, create_user, db):
    director = create_user("director")
    _, token = services.create_invitation({"email": "n@escuelas.test", "role": "docente"}, actor=director)
    db.session.commit()
    response = client.post(f"/invitacion/{token}", data={"name": "N", "password": GOOD, "confirm": GOOD})
    assert response.status_code == 400
    assert db.session.execute(db.select(User).filter_by(email="n@escuelas.test")).scalar() is None


def test_passwords_are_stored_hashed(client, create_user, db):
    director = create_user("director")
    _, token = services.create_invitation({"email": "n@escuelas.test", "role": "docente"}, actor=director)
    db.session.commit()
    client.post(f"/invitacion/{token}", data={"name": "N", "password": GOOD, "confirm": GOOD})
    user = db.session.execute(db.select(User).filter_by(email="n@escuelas.test")).scalar_one()
    assert GOOD not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    assert user.check_password(GOOD) and not user.check_password(GOOD.upper())
    assert director.password_hash != create_user("docente").password_hash  # salted


def test_outside_the_tests_passwords_are_hashed_with_scrypt(app, create_user, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", ProductionConfig.PASSWORD_HASH_METHOD)
    user = create_user("docente", password=GOOD)
    assert user.password_hash.startswith("scrypt:") and user.check_password(GOOD)
    assert ProductionConfig.PASSWORD_HASH_METHOD == "scrypt"


def test_the_session_cookie_is_httponly_and_samesite(client, create_user, db):
    user = create_user("docente")
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("key", [None, "", "corta", DEV_SECRET_KEY])
def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch, key):
    if key is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(RuntimeError):
        ProductionConfig()


def test_production_sets_secure_cookies(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    config = ProductionConfig()
    assert config.SECRET_KEY == "k" * 40
    assert config.SESSION_COOKIE_SECURE and config.REMEMBER_COOKIE_SECURE
    assert config.SESSION_COOKIE_HTTPONLY and config.REMEMBER_COOKIE_HTTPONLY
    assert config.PREFERRED_URL_SCHEME == "https"


def test_a_production_app_sends_the_session_cookie_only_over_https(tmp_path):
    """Built from the environment as in a deployment, in its own process (a second app in this
    process would share the extensions' global state with the test app)."""
    script = (
        "from app import create_app\n"
        "app = create_app()\n"
        "response = app.test_client().get('/login', base_url='https://localhost')\n"
        "print([c for c in response.headers.getlist('Set-Cookie') if c.startswith('session=')][0])\n"
    )
    env = {
        **os.environ,
        "AEE_CONFIG": "production",
        "SECRET_KEY": "s" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "AEE_INSTANCE_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    cookie = done.stdout.strip().splitlines()[-1]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    env["SECRET_KEY"] = "corta"
    refused = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert refused.returncode != 0 and "SECRET_KEY" in refused.stderr
