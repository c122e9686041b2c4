"""Services of the auth area, called directly with an explicit actor and a fixed time."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from app.auth import login, services
from app.auth.models import ApiToken, Invitation, PasswordReset, User
from app.utils import as_utc, hash_token
from app.validation import PermissionDenied, ValidationError
from tests import factories

NOW = datetime(2025, 3, 10, 15, 0, tzinfo=UTC)
GOOD = "una-contraseña-larga"


def invite(actor, **data):
    data.setdefault("email", "nueva@escuelas.test")
    return services.create_invitation(data, actor=actor, now=NOW)


# --- invitations -----------------------------------------------------------------------------


def test_admin_invites_a_supervisor_of_a_zone_by_cct(db, cast, app):
    invitation, token = invite(
        cast.admin, role="supervisor", zone_cct=cast.zone.cct.lower(), name="  Ana Ruiz "
    )
    assert invitation.zone_id == cast.zone.id and invitation.school_id is None
    assert invitation.name == "Ana Ruiz"
    assert invitation.token_hash == hash_token(token) and token not in invitation.token_hash
    assert as_utc(invitation.expires_at) == NOW + app.config["INVITATION_TTL"]
    assert invitation.invited_by_id == cast.admin.id
    assert services.find_invitation(token) is invitation
    assert services.find_invitation("otro") is None


def test_supervisor_invites_a_director_of_a_school_of_the_zone(db, cast):
    invitation, _ = invite(cast.supervisor, role="director", school_cct=cast.sibling_school.cct)
    assert invitation.school_id == cast.sibling_school.id


def test_supervisor_may_not_invite_a_director_of_another_zone(db, cast):
    with pytest.raises(PermissionDenied):
        invite(cast.supervisor, role="director", school_cct=cast.far_school.cct)
    assert db.session.query(Invitation).count() == 0


@pytest.mark.parametrize("role", ["docente", "supervisor", "asesor", "admin"])
def test_supervisor_may_invite_only_directors(db, cast, role):
    with pytest.raises(PermissionDenied):
        invite(cast.supervisor, role=role, school_cct=cast.school.cct, zone_cct=cast.zone.cct)


def test_director_invites_teachers_of_their_own_school_by_default(db, cast):
    invitation, _ = invite(cast.director, role="docente")
    assert invitation.school_id == cast.school.id


def test_director_may_not_invite_to_another_school_or_another_role(db, cast):
    with pytest.raises(PermissionDenied):
        invite(cast.director, role="docente", school_cct=cast.sibling_school.cct)
    with pytest.raises(PermissionDenied):
        invite(cast.director, role="director")


@pytest.mark.parametrize("who", ["docente", "asesor_assigned"])
def test_teachers_and_advisors_invite_nobody(db, cast, who):
    assert services.invitable_roles(cast.person(who)) == []
    with pytest.raises(PermissionDenied):
        invite(cast.person(who), role="docente", school_cct=cast.school.cct)


def test_invitable_roles(db, cast):
    assert services.invitable_roles(cast.admin) == ["admin", "supervisor", "director", "docente", "asesor"]
    assert services.invitable_roles(cast.supervisor) == ["director"]
    assert services.invitable_roles(cast.director) == ["docente"]


def test_inviting_an_email_that_has_an_account_is_refused(db, cast):
    with pytest.raises(ValidationError) as info:
        invite(cast.director, role="docente", email=cast.docente.email.upper())
    assert "email" in info.value.errors


def test_a_second_pending_invitation_for_the_same_email_is_refused(db, cast):
    invite(cast.director, role="docente")
    with pytest.raises(ValidationError) as info:
        invite(cast.director, role="docente", email="NUEVA@escuelas.test ")
    assert "pendiente" in info.value.errors["email"]


def test_an_expired_invitation_does_not_block_a_new_one(db, cast):
    old, _ = invite(cast.director, role="docente")
    old.expires_at = NOW - timedelta(seconds=1)
    again, _ = invite(cast.director, role="docente")
    assert again.id != old.id


@pytest.mark.parametrize(
    "data, field",
    [
        ({"role": "director", "school_cct": "22DPR9999Z"}, "school_cct"),
        ({"role": "director", "school_cct": ""}, "school_cct"),
        ({"role": "supervisor", "zone_cct": "22FIZ9999Z"}, "zone_cct"),
        ({"role": "supervisor"}, "zone_cct"),
        ({"role": "rector"}, "role"),
        ({"role": "asesor", "advised": "22DPR9999Z"}, "advised"),
        ({"role": "asesor", "email": "no-es-un-correo"}, "email"),
    ],
)
def test_bad_invitation_data_names_the_field(db, cast, data, field):
    with pytest.raises(ValidationError) as info:
        invite(cast.admin, **data)
    assert field in info.value.errors


def test_admin_invites_an_advisor_with_schools_and_zones(db, cast):
    invitation, token = invite(
        cast.admin,
        role="asesor",
        advised=f"{cast.other_zone.cct}, {cast.school.cct}\n{cast.sibling_school.cct.lower()}",
    )
    assert invitation.advised_zone_ids == [cast.other_zone.id]
    assert sorted(invitation.advised_school_ids) == sorted([cast.school.id, cast.sibling_school.id])
    user = services.accept_invitation(
        invitation, {"name": "Asesora", "password": GOOD, "confirm": GOOD}, now=NOW
    )
    assert {s.id for s in user.advised_schools} == {cast.school.id, cast.sibling_school.id}
    assert [z.id for z in user.advised_zones] == [cast.other_zone.id]


def test_accepting_creates_the_account_with_role_and_school(db, cast):
    invitation, _ = invite(cast.director, role="docente", email="Maestra@Escuelas.test")
    user = services.accept_invitation(
        invitation, {"name": " Maestra ", "password": GOOD, "confirm": GOOD}, now=NOW + timedelta(days=1)
    )
    assert (user.email, user.name, user.role, user.school_id) == (
        "maestra@escuelas.test",
        "Maestra",
        "docente",
        cast.school.id,
    )
    assert user.zone_id is None and user.is_active
    assert user.password_hash != GOOD and user.check_password(GOOD)
    assert as_utc(invitation.accepted_at) == NOW + timedelta(days=1)
    assert services.invitation_status(invitation, NOW) == "aceptada"


def test_accepting_a_supervisor_invitation_sets_the_zone(db, cast):
    invitation, _ = invite(cast.admin, role="supervisor", zone_cct=cast.zone.cct)
    user = services.accept_invitation(invitation, {"name": "Sup", "password": GOOD}, now=NOW)
    assert user.zone_id == cast.zone.id and user.school_id is None


def test_an_invitation_is_used_only_once(db, cast):
    invitation, _ = invite(cast.director, role="docente")
    services.accept_invitation(invitation, {"name": "A", "password": GOOD}, now=NOW)
    with pytest.raises(ValidationError):
        services.accept_invitation(invitation, {"name": "B", "password": GOOD}, now=NOW)
    assert db.session.query(User).filter_by(email="nueva@escuelas.test").count() == 1


def test_an_expired_invitation_cannot_be_accepted(db, cast, app):
    invitation, _ = invite(cast.director, role="docente")
    later = NOW + app.config["INVITATION_TTL"] + timedelta(seconds=1)
    assert services.invitation_status(invitation, later) == "vencida"
    assert services.invitation_status(invitation, NOW) == "pendiente"
    with pytest.raises(ValidationError):
        services.accept_invitation(invitation, {"name": "A", "password": GOOD}, now=later)


@pytest.mark.parametrize(
    "data, field",
    [
        ({"name": "A", "password": "corta"}, "password"),
        ({"name": "A", "password": GOOD, "confirm": GOOD + "x"}, "confirm"),
        ({"name": "  ", "password": GOOD}, "name"),
    ],
)
def test_accepting_with_bad_data_is_refused(db, cast, data, field):
    invitation, _ = invite(cast.director, role="docente")
    with pytest.raises(ValidationError) as info:
        services.accept_invitation(invitation, data, now=NOW)
    assert field in info.value.errors
    assert invitation.accepted_at is None


def test_revoking_deletes_a_pending_invitation(db, cast):
    invitation, token = invite(cast.director, role="docente")
    with pytest.raises(PermissionDenied):
        services.revoke_invitation(invitation, actor=cast.director_sibling)
    services.revoke_invitation(invitation, actor=cast.director)
    assert services.find_invitation(token) is None


def test_admin_may_revoke_any_invitation_but_not_an_accepted_one(db, cast):
    invitation, token = invite(cast.director, role="docente")
    services.accept_invitation(invitation, {"name": "A", "password": GOOD}, now=NOW)
    with pytest.raises(ValidationError):
        services.revoke_invitation(invitation, actor=cast.admin)
    other, other_token = invite(cast.director, role="docente", email="otra@escuelas.test")
    services.revoke_invitation(other, actor=cast.admin)
    assert services.find_invitation(other_token) is None


def test_invitations_issued_by_lists_only_mine(db, cast):
    mine, _ = invite(cast.director, role="docente")
    invite(cast.admin, role="docente", school_cct=cast.sibling_school.cct, email="x@escuelas.test")
    assert services.invitations_issued_by(cast.director) == [mine]


# --- password resets -------------------------------------------------------------------------


def test_supervisor_issues_a_reset_for_a_director_of_the_zone(db, cast, app):
    reset, token = services.issue_password_reset(cast.director, actor=cast.supervisor, now=NOW)
    assert reset.token_hash == hash_token(token)
    assert as_utc(reset.expires_at) == NOW + app.config["PASSWORD_RESET_TTL"]
    assert services.find_password_reset(token) is reset


@pytest.mark.parametrize(
    "actor, target",
    [
        ("supervisor_other", "director"),
        ("supervisor", "supervisor"),
        ("supervisor", "director_far"),
        ("director", "docente"),
        ("docente", "director"),
        ("asesor_assigned", "docente"),
    ],
)
def test_reset_refused(db, cast, actor, target):
    with pytest.raises(PermissionDenied):
        services.issue_password_reset(cast.person(target), actor=cast.person(actor), now=NOW)


def test_admin_issues_a_reset_for_anyone(db, cast):
    reset, _ = services.issue_password_reset(cast.supervisor, actor=cast.admin, now=NOW)
    assert reset.user_id == cast.supervisor.id and reset.issued_by_id == cast.admin.id


def test_resetting_sets_the_password_uses_the_link_and_lifts_the_lockout(db, cast):
    user = cast.director
    user.failed_login_count, user.locked_until = 3, NOW + timedelta(hours=1)
    reset, _ = services.issue_password_reset(user, actor=cast.admin, now=NOW)
    services.reset_password(reset, "nueva-contraseña-1", "nueva-contraseña-1", now=NOW + timedelta(minutes=5))
    assert user.check_password("nueva-contraseña-1") and not user.check_password(factories.PASSWORD)
    assert user.failed_login_count == 0 and user.locked_until is None
    assert as_utc(reset.used_at) == NOW + timedelta(minutes=5)
    with pytest.raises(ValidationError):
        services.reset_password(reset, "otra-contraseña-2", now=NOW + timedelta(minutes=6))


def test_an_expired_reset_link_is_refused(db, cast, app):
    reset, _ = services.issue_password_reset(cast.director, actor=cast.admin, now=NOW)
    with pytest.raises(ValidationError):
        services.reset_password(
            reset, "nueva-contraseña-1", now=NOW + app.config["PASSWORD_RESET_TTL"] + timedelta(seconds=1)
        )
    assert cast.director.check_password(factories.PASSWORD)


def test_a_new_reset_link_cancels_the_earlier_one(db, cast):
    first, _ = services.issue_password_reset(cast.director, actor=cast.admin, now=NOW)
    second, _ = services.issue_password_reset(cast.director, actor=cast.admin, now=NOW)
    assert not first.is_usable(NOW) and second.is_usable(NOW)


def test_a_short_new_password_is_refused(db, cast):
    reset, _ = services.issue_password_reset(cast.director, actor=cast.admin, now=NOW)
    with pytest.raises(ValidationError) as info:
        services.reset_password(reset, "123456789", now=NOW)
    assert "password" in info.value.errors and reset.used_at is None


# --- login -----------------------------------------------------------------------------------


def test_authenticate_success_clears_the_failure_count(db, cast):
    user = cast.docente
    user.failed_login_count = 2
    result = services.authenticate(user.email.upper(), factories.PASSWORD, now=NOW)
    assert result.user is user and user.failed_login_count == 0
    assert as_utc(user.last_login_at) == NOW


def test_the_account_locks_after_too_many_failures(db, cast, app):
    user = cast.docente
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert services.authenticate(user.email, "mala", now=NOW).user is None
    assert user.is_locked(NOW)
    locked = services.authenticate(user.email, factories.PASSWORD, now=NOW + timedelta(minutes=1))
    assert locked.user is None
    later = NOW + app.config["LOGIN_LOCKOUT"] + timedelta(seconds=1)
    assert services.authenticate(user.email, factories.PASSWORD, now=later).user is user


def test_unknown_email_wrong_password_and_locked_account_look_the_same(db, cast, app, monkeypatch):
    user = cast.docente
    unknown = services.authenticate("nadie@escuelas.test", "x", now=NOW)
    wrong = services.authenticate(user.email, "x", now=NOW)
    user.locked_until = NOW + timedelta(minutes=5)
    locked = services.authenticate(user.email, factories.PASSWORD, now=NOW)
    assert unknown.error == wrong.error == locked.error == services.GENERIC_LOGIN_ERROR


def test_an_unknown_email_still_costs_a_password_check(db, monkeypatch):
    calls = []
    real = login.check_password_hash
    monkeypatch.setattr(login, "check_password_hash", lambda h, p: calls.append(p) or real(h, p))
    services.authenticate("nadie@escuelas.test", "secreto", now=NOW)
    assert calls == ["secreto"]


def test_a_deactivated_account_is_told_only_with_the_right_password(db, cast):
    user = cast.docente
    user.is_active = False
    assert services.authenticate(user.email, "mala", now=NOW).error == services.GENERIC_LOGIN_ERROR
    result = services.authenticate(user.email, factories.PASSWORD, now=NOW)
    assert result.user is None and "desactivada" in result.error


def test_too_many_failures_from_one_address_are_refused(db, cast, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_IP_MAX_FAILURES", 3)
    monkeypatch.setitem(app.config, "LOGIN_IP_WINDOW", timedelta(seconds=1))
    for n in range(3):
        services.authenticate(f"nadie{n}@escuelas.test", "x", ip="10.0.0.1", now=NOW)
    blocked = services.authenticate(cast.docente.email, factories.PASSWORD, ip="10.0.0.1", now=NOW)
    assert blocked.user is None and blocked.rate_limited
    assert cast.docente.last_login_at is None
    other = services.authenticate(cast.docente.email, factories.PASSWORD, ip="10.0.0.2", now=NOW)
    assert other.user is cast.docente
    time.sleep(1.1)  # the moving window (app.ratelimits) reads the clock itself
    after = services.authenticate(cast.docente.email, factories.PASSWORD, ip="10.0.0.1", now=NOW)
    assert after.user is cast.docente


# --- people ----------------------------------------------------------------------------------


def _ids(query, db):
    return {u.id for u in db.session.execute(query).scalars()}


def test_people_for_a_supervisor_are_the_zone_staff(db, cast):
    everyone = [
        cast.admin,
        cast.supervisor,
        cast.supervisor_other,
        cast.director,
        cast.director_sibling,
        cast.director_far,
        cast.docente,
        cast.asesor_assigned,
    ]
    assert len(everyone) == 8
    seen = _ids(services.people_query(cast.supervisor), db)
    assert seen == {cast.director.id, cast.director_sibling.id, cast.docente.id}
    assert _ids(services.people_query(cast.supervisor, role="docente"), db) == {cast.docente.id}


def test_people_for_an_admin_are_everyone_with_filters(db, cast):
    _ = (
        cast.director,
        cast.director_far,
        cast.supervisor,
        cast.docente,
        cast.asesor_assigned,
    )  # created on first use
    assert len(_ids(services.people_query(cast.admin), db)) == 6
    assert _ids(services.people_query(cast.admin, zone=cast.zone), db) == {
        cast.supervisor.id,
        cast.director.id,
        cast.docente.id,
    }
    assert _ids(services.people_query(cast.admin, role="asesor"), db) == {cast.asesor_assigned.id}
    assert _ids(services.people_query(cast.admin, q=cast.docente.email[:8].upper()), db) == {cast.docente.id}


@pytest.mark.parametrize("who", ["director", "docente", "asesor_assigned"])
def test_others_have_no_people_list(db, cast, who):
    assert not services.can_see_people(cast.person(who))
    with pytest.raises(PermissionDenied):
        services.people_query(cast.person(who))


def test_admin_deactivates_and_reactivates_an_account(db, cast):
    services.set_user_active(cast.docente, False, actor=cast.admin)
    assert cast.docente.is_active is False
    services.set_user_active(cast.docente, True, actor=cast.admin)
    assert cast.docente.is_active is True
    with pytest.raises(ValidationError):
        services.set_user_active(cast.admin, False, actor=cast.admin)
    with pytest.raises(PermissionDenied):
        services.set_user_active(cast.docente, False, actor=cast.supervisor)


def test_assigning_an_advisor_replaces_schools_and_zones(db, cast):
    advisor = cast.asesor_assigned
    services.assign_advisor(advisor, f"{cast.zone.cct}\n{cast.far_school.cct}", actor=cast.admin)
    assert [s.id for s in advisor.advised_schools] == [cast.far_school.id]
    assert [z.id for z in advisor.advised_zones] == [cast.zone.id]
    with pytest.raises(ValidationError):
        services.assign_advisor(advisor, "22XXX0000X", actor=cast.admin)
    with pytest.raises(ValidationError):
        services.assign_advisor(cast.docente, cast.zone.cct, actor=cast.admin)
    with pytest.raises(PermissionDenied):
        services.assign_advisor(advisor, "", actor=cast.supervisor)


# --- API tokens ------------------------------------------------------------------------------


def test_an_api_token_authenticates_its_owner(db, cast):
    api_token, raw = services.create_api_token(" Tablero ", actor=cast.director)
    assert api_token.name == "Tablero" and api_token.token_hash == hash_token(raw)
    assert services.authenticate_token(raw, now=NOW) is cast.director
    assert as_utc(api_token.last_used_at) == NOW
    assert services.authenticate_token(f"Bearer {raw}") is cast.director


@pytest.mark.parametrize("raw", [None, "", "Bearer ", "no-existe"])
def test_unknown_api_tokens_authenticate_nobody(db, raw):
    assert services.authenticate_token(raw) is None


def test_a_revoked_token_or_a_deactivated_owner_is_refused(db, cast):
    api_token, raw = services.create_api_token("a", actor=cast.director)
    other, other_raw = services.create_api_token("b", actor=cast.director)
    with pytest.raises(PermissionDenied):
        services.revoke_api_token(api_token, actor=cast.docente)
    services.revoke_api_token(api_token, actor=cast.director, now=NOW)
    assert as_utc(api_token.revoked_at) == NOW
    assert services.authenticate_token(raw) is None
    cast.director.is_active = False
    assert services.authenticate_token(other_raw) is None
    assert other.last_used_at is None


def test_api_tokens_need_a_name_and_list_newest_first(db, cast):
    with pytest.raises(ValidationError):
        services.create_api_token("  ", actor=cast.docente)
    first, _ = services.create_api_token("uno", actor=cast.docente)
    second, _ = services.create_api_token("dos", actor=cast.docente)
    services.create_api_token("ajeno", actor=cast.director)
    assert [t.name for t in services.api_tokens_of(cast.docente)] == ["dos", "uno"]
    assert db.session.query(ApiToken).count() == 3
    assert db.session.query(PasswordReset).count() == 0


def test_a_zero_address_limit_turns_it_off(db, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_IP_MAX_FAILURES", 0)
    for _ in range(3):
        result = services.authenticate("nadie@escuelas.test", "x", ip="10.0.0.9", now=NOW)
    assert not result.rate_limited
    monkeypatch.setitem(app.config, "LOGIN_IP_MAX_FAILURES", 1)  # nothing was counted meanwhile
    assert not services.authenticate("nadie@escuelas.test", "x", ip="10.0.0.9", now=NOW).rate_limited
