"""Mentoring's pages (issue 14): who may open each page and press each button (the permission
table), and the forms keeping what was typed under a Spanish error."""

from __future__ import annotations

import re

import pytest
from flask import g

from app.extensions import db
from app.mentoring import services
from tests import factories

ROLES = ("anonymous", "teacher", "director", "other_zone_supervisor", "leader", "admin", "mentor", "mentee")
_WHO = {
    "teacher": "teacher_a2",
    "director": "dir_a",
    "other_zone_supervisor": "sup_b",
    "leader": "sup_a",
    "admin": "admin",
    "mentor": "mentor_b",
    "mentee": "teacher_a",
}
# Page -> the status each role gets (302 to the login for anonymous; 403 refused).
GET_TABLE = {
    "/mentoria": (302, 200, 200, 200, 200, 200, 200, 200),
    "/mentoria/ofrecer": (302, 200, 200, 403, 403, 403, 200, 200),
    "/mentoria/pedir": (302, 200, 200, 403, 403, 403, 200, 200),
    "/mentoria/red": (302, 403, 403, 200, 200, 200, 403, 403),
    "/mentoria/parejas/{pair}": (302, 403, 403, 403, 200, 200, 200, 200),
}
# Buttons on a pair waiting for acceptance / an active pair, and the leader's confirmation.
POST_TABLE = {
    "confirm": (302, 403, 403, 403, 302, 302, 403, 403),
    "accept": (302, 403, 403, 403, 403, 403, 302, 302),
    "decline": (302, 403, 403, 403, 403, 403, 302, 302),
    "plan": (302, 403, 403, 403, 403, 403, 302, 302),
    "session": (302, 403, 403, 403, 403, 403, 302, 302),
    "close": (302, 403, 403, 403, 403, 403, 302, 302),
}


def _login(client, user):
    with client.session_transaction() as sess:
        if user is None:
            sess.clear()
        else:
            factories.log_in(sess, user)
    # Test requests share the test's app context (hence ``g``): forget the cached user and locale.
    g.pop("_login_user", None)
    g.pop("_flask_babel", None)


def _pair(w, *, active=False):
    offer = services.save_offer({"categories": [str(w["reading"].id)], "capacity": 2}, actor=w["mentor_b"])
    request = services.create_request(
        {"kind": "docente_novel", "about": f"problema-{w['problem_a'].id}"}, actor=w["teacher_a"]
    )
    pair = services.confirm_pair(request, offer, actor=w["sup_a"])
    if active:
        services.answer_pair(pair, True, actor=w["mentor_b"])
        services.answer_pair(pair, True, actor=w["teacher_a"])
    db.session.commit()
    return pair


@pytest.mark.parametrize("page", list(GET_TABLE))
def test_who_may_open_each_page(client, world, page):
    pair = _pair(world)
    url = page.format(pair=pair.id)
    for role, expected in zip(ROLES, GET_TABLE[page], strict=True):
        _login(client, world[_WHO[role]] if role != "anonymous" else None)
        response = client.get(url)
        assert response.status_code == expected, (page, role, response.status_code)
        if expected == 302:
            assert "/login" in response.headers["Location"] or "/entrar" in response.headers["Location"]


@pytest.mark.parametrize("button", list(POST_TABLE))
def test_who_may_press_each_button(client, world, button):
    w = world
    for role, expected in zip(ROLES, POST_TABLE[button], strict=True):
        if button == "confirm":
            offer = services.save_offer(
                {"categories": [str(w["reading"].id)], "capacity": 5}, actor=w["mentor_b"]
            )
            request = services.create_request(
                {"kind": "escuela", "about": f"categoria-{w['reading'].id}"}, actor=w["teacher_a"]
            )
            db.session.commit()
            url, data = "/mentoria/red/confirmar", {"request_id": request.id, "offer_id": offer.id}
        else:
            pair = _pair(w, active=button in ("plan", "session", "close"))
            url, data = {
                "accept": (f"/mentoria/parejas/{pair.id}/aceptar", {}),
                "decline": (f"/mentoria/parejas/{pair.id}/declinar", {}),
                "plan": (
                    f"/mentoria/parejas/{pair.id}/plan",
                    {"goals": "Leer", "starts_on": "2027-01-10", "ends_on": "2027-02-10"},
                ),
                "session": (
                    f"/mentoria/parejas/{pair.id}/sesiones",
                    {"held_on": "2027-01-12", "done": "Clase"},
                ),
                "close": (f"/mentoria/parejas/{pair.id}/cerrar", {"outcome": "logrado"}),
            }[button]
        _login(client, w[_WHO[role]] if role != "anonymous" else None)
        response = client.post(url, data=data)
        assert response.status_code == expected, (button, role, response.status_code)
        # Start the next role from a clean slate: no pair or request left behind.
        db.session.rollback()
        for table in ("mentoring_sessions", "mentoring_pairs", "mentoring_requests"):
            db.session.execute(db.text(f"DELETE FROM {table}"))
        db.session.commit()


def test_the_leader_sees_the_suggested_pair_in_words_and_confirms_it(client, world):
    w = world
    services.save_offer({"categories": [str(w["reading"].id)], "capacity": 1}, actor=w["mentor_b"])
    request = services.create_request(
        {"kind": "docente_novel", "about": f"problema-{w['problem_a'].id}"}, actor=w["teacher_a"]
    )
    db.session.commit()
    _login(client, w["sup_a"])
    page = client.get("/mentoria/red").get_data(as_text=True)
    section = page.split('id="sugerencia-')[1].split("</li>\n    \n  </ul>")[0]
    assert "Maestra Sol" in section and "Ana Novel" in section
    assert "Tienen en común: lenguaje comunicacion." in section and "Mismo nivel: primaria." in section
    assert not re.search(r"\d\.\d", re.sub(r"<[^>]+>", "", section))
    offer = services.offer_of(w["mentor_b"])
    response = client.post("/mentoria/red/confirmar", data={"request_id": request.id, "offer_id": offer.id})
    assert response.status_code == 302 and "/mentoria/parejas/" in response.headers["Location"]
    again = client.post("/mentoria/red/confirmar", data={"request_id": request.id, "offer_id": offer.id})
    assert again.status_code == 302
    assert "ya tiene mentor" in client.get("/mentoria/red").get_data(as_text=True)


def test_a_bad_offer_keeps_what_was_typed(client, world):
    _login(client, world["mentor_b"])
    response = client.post(
        "/mentoria/ofrecer",
        data={"categories": [str(world["reading"].id)], "capacity": "9", "note": "Prefiero llamadas"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "de 1 a 5" in text and "Prefiero llamadas" in text and 'value="9"' in text
    assert re.search(rf'value="{world["reading"].id}" checked', text)


def test_a_bad_request_keeps_what_was_typed(client, world):
    _login(client, world["teacher_a"])
    response = client.post(
        "/mentoria/pedir", data={"kind": "docente_novel", "about": "", "note": "Grupo de 1°"}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Elige una problemática de tu escuela" in text and "Grupo de 1°" in text
    assert 'value="docente_novel" checked' in text


def test_a_bad_session_keeps_what_was_typed(client, world):
    pair = _pair(world, active=True)
    _login(client, world["mentor_b"])
    response = client.post(
        f"/mentoria/parejas/{pair.id}/sesiones", data={"held_on": "mañana", "done": "Observé la clase"}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "AAAA-MM-DD" in text and "Observé la clase" in text


def test_the_pages_read_in_english_for_an_english_account(client, world):
    w = world
    pair = _pair(w, active=True)
    services.log_session(pair, {"held_on": "2027-01-15", "done": "Observé una clase"}, actor=w["mentor_b"])
    services.save_offer({"categories": [str(w["reading"].id)], "capacity": 2}, actor=w["mentor_c"])
    services.create_request(
        {"kind": "escuela", "about": f"categoria-{w['reading'].id}"}, actor=w["teacher_a2"]
    )
    for user in (w["sup_a"], w["mentor_b"]):
        user.locale = "en"
    db.session.commit()
    _login(client, w["sup_a"])
    page = client.get("/mentoria/red").get_data(as_text=True)
    assert "Suggested pairs" in page and "In common: lenguaje comunicacion." in page
    assert "1 practice with good results" in page and "Same level: primary." in page
    assert "Tienen en común" not in page and "Parejas sugeridas" not in page
    _login(client, w["mentor_b"])
    page = client.get(f"/mentoria/parejas/{pair.id}").get_data(as_text=True)
    assert "Sessions" in page and "Record the session" in page and "Conclude the mentoring" in page
    page = client.get("/mentoria").get_data(as_text=True)
    assert "My offer to mentor" in page and "1 practice with good results, 1 problem solved" in page
