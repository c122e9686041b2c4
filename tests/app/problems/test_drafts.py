"""The server tells the browser when a form's draft was stored (app.drafts, static/js/drafts.js)."""

from __future__ import annotations

from tests.app.problems.test_routes import form_data


def _new_problem(client, school, **data):
    return client.post(f"/escuelas/{school.cct}/problematicas/nueva", data=data)


def test_an_accepted_form_marks_its_draft_saved(client, login_as, db, taxonomy):
    director = login_as("director")
    response = _new_problem(client, director.school, **form_data(), draft_key="problem")
    assert response.status_code == 302
    cookie = client.get_cookie("aee_draft_saved")
    assert cookie is not None and cookie.value == "problem" and not cookie.http_only


def test_a_refused_form_keeps_its_draft(client, login_as, db):
    director = login_as("director")
    response = _new_problem(client, director.school, title="", description="", draft_key="problem")
    assert response.status_code == 422
    assert client.get_cookie("aee_draft_saved") is None


def test_only_a_plain_key_is_echoed(client, login_as, db):
    login_as("director")
    response = client.post("/logout", data={"draft_key": "x; Domain=evil.example"})
    assert response.status_code == 302
    assert client.get_cookie("aee_draft_saved") is None
