"""Pages of the auth area through the test client (CSRF off; tests/app/test_security.py turns it on)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import g

from app.auth import services
from app.auth.models import ApiToken, Invitation, PasswordReset, User
from app.utils import utcnow
from tests import factories

GOOD = "una-contraseña-larga"


def _link(html: str, endpoint_path: str) -> str:
    match = re.search(rf'value="(http://localhost{endpoint_path}[^"]+)"', html)
    assert match, html
    return match.group(1).replace("http://localhost", "")


# --- login -----------------------------------------------------------------------------------


def test_login_page_and_successful_login(client, cast):
    assert client.get("/login").status_code == 200
    user = cast.docente
    response = client.post(
        "/login?next=/cuenta/tokens", data={"email": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/cuenta/tokens")
    assert client.get("/cuenta/tokens").status_code == 200


def test_login_refuses_an_outside_next(client, cast):
    response = client.post(
        "/login?next=//evil.example/x", data={"email": cast.docente.email, "password": factories.PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_failed_login_shows_the_same_message_for_unknown_and_known(client, cast):
    unknown = client.post("/login", data={"email": "nadie@escuelas.test", "password": "x"})
    wrong = client.post("/login", data={"email": cast.docente.email, "password": "x"})
    assert unknown.status_code == wrong.status_code == 401
    message = "Correo o contraseña incorrectos"
    assert message in unknown.get_data(as_text=True) and message in wrong.get_data(as_text=True)


def test_login_from_a_noisy_address_gets_429(client, cast, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_IP_MAX_FAILURES", 2)
    for _ in range(2):
        assert (
            client.post("/login", data={"email": "nadie@escuelas.test", "password": "x"}).status_code == 401
        )
    response = client.post("/login", data={"email": cast.docente.email, "password": factories.PASSWORD})
    assert response.status_code == 429
    assert "Demasiados intentos" in response.get_data(as_text=True)
    assert client.get("/cuenta/tokens").status_code == 302


def test_login_with_a_bad_form_is_422(client, db):
    response = client.post("/login", data={"email": "no-es-correo", "password": ""})
    assert response.status_code == 422
    assert "no-es-correo" in response.get_data(as_text=True)


def test_logout_is_a_post(client, login_as, db):
    login_as("docente")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_a_deactivated_users_session_stops_working(client, login_as, cast, db):
    user = login_as(cast.docente)
    assert client.get("/").status_code == 200
    user.is_active = False
    db.session.commit()
    g.pop("_login_user", None)  # a real request starts with a fresh `g`: make the loader run again
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_user_loader_refuses_inactive_unknown_and_bare_ids(app, cast, db):
    loader = app.login_manager._user_callback
    docente = cast.docente
    assert loader(docente.get_id()) is docente
    # A bare id (what cookies carried before session tokens) or a wrong token is anonymous.
    assert loader(str(docente.id)) is None
    assert loader(f"{docente.id}:{'x' * len(docente.session_token)}") is None
    assert loader(f"{docente.id}:") is None and loader(f"2147483648:{docente.session_token}") is None
    docente.is_active = False
    assert loader(docente.get_id()) is None
    assert loader("999999:abc") is None and loader("abc") is None and loader("") is None


# --- invitations -----------------------------------------------------------------------------


def test_supervisor_sees_the_zone_schools_to_choose(client, act_as, cast):
    act_as("supervisor")
    html = client.get("/invitaciones").get_data(as_text=True)
    assert cast.school.cct in html and cast.sibling_school.cct in html
    assert cast.far_school.cct not in html


def test_inviting_shows_the_link_once_and_stores_only_its_hash(client, act_as, cast, db):
    act_as("director")
    response = client.post(
        "/invitaciones", data={"email": "Maestra@Escuelas.test", "name": "Maestra", "role": "docente"}
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    path = _link(html, "/invitacion/")
    token = path.rsplit("/", 1)[1]
    invitation = db.session.execute(db.select(Invitation)).scalar_one()
    assert invitation.email == "maestra@escuelas.test" and invitation.school_id == cast.school.id
    assert invitation.token_hash != token and services.find_invitation(token).id == invitation.id
    assert 'data-copy="invitation-link"' in html
    again = client.get("/invitaciones").get_data(as_text=True)
    assert token not in again and "maestra@escuelas.test" in again and "Pendiente" in again


def test_invitation_form_errors_keep_what_was_typed(client, act_as, cast):
    act_as("director")
    response = client.post(
        "/invitaciones", data={"email": cast.docente.email, "name": "Escrito <b>", "role": "docente"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Ya existe una cuenta con este correo." in html
    assert "Escrito &lt;b&gt;" in html


def test_forged_invitations_are_403_and_write_nothing(client, act_as, cast, db):
    act_as("supervisor")
    far = client.post(
        "/invitaciones",
        data={"email": "x@escuelas.test", "role": "director", "school_cct": cast.far_school.cct},
    )
    role = client.post(
        "/invitaciones", data={"email": "y@escuelas.test", "role": "admin", "school_cct": cast.school.cct}
    )
    assert far.status_code == role.status_code == 403
    assert db.session.query(Invitation).count() == 0


def test_admin_invites_an_advisor(client, act_as, cast, db):
    act_as("admin")
    response = client.post(
        "/invitaciones",
        data={
            "email": "atp@escuelas.test",
            "role": "asesor",
            "advised": f"{cast.zone.cct}\n{cast.far_school.cct}",
        },
    )
    assert response.status_code == 200
    path = _link(response.get_data(as_text=True), "/invitacion/")
    client.post("/logout")
    accepted = client.post(path, data={"name": "ATP", "password": GOOD, "confirm": GOOD})
    assert accepted.status_code == 302
    user = db.session.execute(db.select(User).filter_by(email="atp@escuelas.test")).scalar_one()
    assert [z.id for z in user.advised_zones] == [cast.zone.id]
    assert [s.id for s in user.advised_schools] == [cast.far_school.id]


def test_revoking_an_invitation(client, act_as, cast, db):
    invitation, token = services.create_invitation(
        {"email": "z@escuelas.test", "role": "docente"}, actor=cast.director
    )
    db.session.commit()
    invitation_id = invitation.id
    act_as("director_sibling")
    assert client.post(f"/invitaciones/{invitation_id}/retirar").status_code == 403
    client.post("/logout")
    act_as("director")
    assert client.post(f"/invitaciones/{invitation_id}/retirar").status_code == 302
    assert client.get(f"/invitacion/{token}").status_code == 404
    assert client.post("/invitaciones/999999/retirar").status_code == 404


# --- accepting -------------------------------------------------------------------------------


def _invitation(cast, db, **kw):
    invitation, token = services.create_invitation(
        {"email": "nueva@escuelas.test", "role": "docente", "name": "Nombre Sugerido", **kw},
        actor=cast.director,
    )
    db.session.commit()
    return invitation, token


def test_accepting_an_invitation_creates_the_account_and_logs_in(client, cast, db):
    _, token = _invitation(cast, db)
    page = client.get(f"/invitacion/{token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Nombre Sugerido" in html and cast.school.name in html and 'content="no-referrer"' in html
    response = client.post(
        f"/invitacion/{token}", data={"name": "Lucía Pérez", "password": GOOD, "confirm": GOOD}
    )
    assert response.status_code == 302
    user = db.session.execute(db.select(User).filter_by(email="nueva@escuelas.test")).scalar_one()
    assert (user.name, user.role, user.school_id) == ("Lucía Pérez", "docente", cast.school.id)
    assert "Lucía Pérez" in client.get("/").get_data(as_text=True)
    used = client.get(f"/invitacion/{token}")
    assert used.status_code == 410 and "ya fue usado o venció" in used.get_data(as_text=True)


def test_accepting_with_a_short_or_mismatched_password_is_422(client, cast, db):
    _, token = _invitation(cast, db)
    short = client.post(f"/invitacion/{token}", data={"name": "A", "password": "corta", "confirm": "corta"})
    other = client.post(f"/invitacion/{token}", data={"name": "A", "password": GOOD, "confirm": GOOD + "!"})
    assert short.status_code == other.status_code == 422
    assert "al menos 10 caracteres" in short.get_data(as_text=True)
    assert "no coinciden" in other.get_data(as_text=True)
    assert db.session.execute(db.select(User).filter_by(email="nueva@escuelas.test")).scalar() is None


def test_an_expired_invitation_link_is_410(client, cast, db):
    invitation, token = _invitation(cast, db)
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(f"/invitacion/{token}").status_code == 410
    response = client.post(f"/invitacion/{token}", data={"name": "A", "password": GOOD, "confirm": GOOD})
    assert response.status_code == 410
    assert db.session.execute(db.select(User).filter_by(email="nueva@escuelas.test")).scalar() is None


def test_an_unknown_invitation_link_is_404_in_spanish(client, db):
    response = client.get("/invitacion/no-existe")
    assert response.status_code == 404 and "no existe" in response.get_data(as_text=True)


# --- password reset --------------------------------------------------------------------------


def test_supervisor_issues_a_reset_and_the_person_sets_a_new_password(client, act_as, cast, db):
    target = cast.director
    target.locked_until = utcnow() + timedelta(hours=1)
    db.session.commit()
    act_as("supervisor")
    response = client.post(f"/personas/{target.id}/restablecer")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    path = _link(response.get_data(as_text=True), "/restablecer/")
    client.post("/logout")
    assert client.get(path).status_code == 200
    bad = client.post(path, data={"password": "corta", "confirm": "corta"})
    assert bad.status_code == 422
    done = client.post(path, data={"password": "nueva-contraseña-9", "confirm": "nueva-contraseña-9"})
    assert done.status_code == 302 and "/login" in done.headers["Location"]
    db.session.expire_all()
    assert target.check_password("nueva-contraseña-9") and target.locked_until is None
    assert client.get(path).status_code == 410
    login = client.post("/login", data={"email": target.email, "password": "nueva-contraseña-9"})
    assert login.status_code == 302


def test_an_expired_reset_link_is_410(client, cast, db):
    reset, token = services.issue_password_reset(cast.director, actor=cast.admin)
    reset.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.post(f"/restablecer/{token}", data={"password": GOOD, "confirm": GOOD})
    assert response.status_code == 410
    db.session.expire_all()
    assert cast.director.check_password(factories.PASSWORD)


def test_unknown_reset_link_and_unknown_user_are_404(client, act_as, db):
    assert client.get("/restablecer/nada").status_code == 404
    act_as("admin")
    assert client.post("/personas/999999/restablecer").status_code == 404


# --- people ----------------------------------------------------------------------------------


def test_people_page_for_a_supervisor_lists_the_zone_staff(client, act_as, cast):
    director, far = cast.director, cast.director_far
    act_as("supervisor")
    html = client.get("/personas").get_data(as_text=True)
    assert director.email in html and far.email not in html
    assert f"/personas/{director.id}/restablecer" in html
    assert "/activa" not in html


def test_people_page_for_an_admin_filters_by_zone_and_role(client, act_as, cast):
    director, far, sup = cast.director, cast.director_far, cast.supervisor
    act_as("admin")
    html = client.get(f"/personas?zona={cast.zone.cct}").get_data(as_text=True)
    assert director.email in html and sup.email in html and far.email not in html
    html = client.get("/personas?rol=supervisor").get_data(as_text=True)
    assert sup.email in html and director.email not in html
    unknown = client.get("/personas?zona=22XXX0000X")
    assert unknown.status_code == 200 and "No encontramos una zona" in unknown.get_data(as_text=True)


def test_admin_deactivates_an_account_and_it_cannot_log_in(client, act_as, cast, db):
    target = cast.docente
    admin = act_as("admin")
    response = client.post(
        f"/personas/{target.id}/activa", data={"active": "0", "next": "/personas?rol=docente"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/personas?rol=docente"
    db.session.expire_all()
    assert target.is_active is False
    own = client.post(f"/personas/{admin.id}/activa", data={"active": "0"})
    assert own.status_code == 302
    db.session.expire_all()
    assert admin.is_active is True
    client.post("/logout")
    refused = client.post("/login", data={"email": target.email, "password": factories.PASSWORD})
    assert refused.status_code == 401 and "desactivada" in refused.get_data(as_text=True)


def test_admin_assigns_an_advisors_schools(client, act_as, cast, db):
    advisor = cast.asesor_assigned
    act_as("admin")
    page = client.get(f"/personas/{advisor.id}/asesoria")
    assert page.status_code == 200 and cast.school.cct in page.get_data(as_text=True)
    bad = client.post(f"/personas/{advisor.id}/asesoria", data={"advised": "22XXX0000X"})
    assert bad.status_code == 422 and "22XXX0000X" in bad.get_data(as_text=True)
    ok = client.post(f"/personas/{advisor.id}/asesoria", data={"advised": cast.other_zone.cct})
    assert ok.status_code == 302
    db.session.expire_all()
    assert advisor.advised_schools == [] and [z.id for z in advisor.advised_zones] == [cast.other_zone.id]
    assert client.get(f"/personas/{cast.docente.id}/asesoria").status_code == 404


# --- API tokens ------------------------------------------------------------------------------


def test_tokens_are_shown_once_listed_and_revoked(client, act_as, cast, db):
    user = act_as("docente")
    response = client.post("/cuenta/tokens", data={"name": "Mi script"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    secret = re.search(r'id="api-token"', response.get_data(as_text=True))
    assert secret
    raw = re.search(r'value="([^"]+)" id="api-token"', response.get_data(as_text=True)).group(1)
    assert services.authenticate_token(raw).id == user.id
    listing = client.get("/cuenta/tokens").get_data(as_text=True)
    assert "Mi script" in listing and raw not in listing
    api_token = db.session.execute(db.select(ApiToken)).scalar_one()
    assert client.post(f"/cuenta/tokens/{api_token.id}/revocar").status_code == 302
    db.session.expire_all()
    assert services.authenticate_token(raw) is None
    assert client.post("/cuenta/tokens", data={"name": ""}).status_code == 422


def test_revoking_someone_elses_token_is_403(client, act_as, cast, db):
    api_token, raw = services.create_api_token("ajeno", actor=cast.director)
    db.session.commit()
    token_id = api_token.id
    act_as("docente")
    assert client.post(f"/cuenta/tokens/{token_id}/revocar").status_code == 403
    assert client.post("/cuenta/tokens/999999/revocar").status_code == 404
    db.session.expire_all()
    assert services.authenticate_token(raw) is not None
    assert db.session.query(PasswordReset).count() == 0


def test_admin_must_choose_a_role(client, act_as, cast, db):
    act_as("admin")
    page = client.get("/invitaciones").get_data(as_text=True)
    assert '<option selected value="">' in page or '<option value="">' in page
    response = client.post("/invitaciones", data={"email": "x@escuelas.test", "role": ""})
    assert response.status_code == 422 and "Elige el rol." in response.get_data(as_text=True)
    assert db.session.query(Invitation).count() == 0


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example/phish",
        "/%5Cevil.example",
        "/%0d%0a/evil.example",
        "https://evil.example/x",
        "//evil.example",
    ],
)
def test_login_never_redirects_off_the_site(client, cast, target):
    """A tab (%09) or a backslash after the first slash is dropped or read as "/" by browsers."""
    response = client.post(
        f"/login?next={target}", data={"email": cast.docente.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
