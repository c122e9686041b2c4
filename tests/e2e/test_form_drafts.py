"""A long form keeps its draft in the browser (issue 13): a closed tab or a dropped connection loses
nothing; the page offers to restore it; the draft is gone once the server has accepted the form, and
logging out removes every draft of a shared computer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.problems.models import Problem
from app.problems.taxonomy import sync_categories
from tests import factories
from tests.e2e.browser import PHONE_390, axe_violations, login, shot

pytestmark = pytest.mark.browser

TITLE = "Ausentismo los lunes en 4°"
DESCRIPTION = "Uno de cada cinco alumnos de 4° falta los lunes desde que empezó la cosecha."


def _fill(page):
    page.get_by_label("Título").fill(TITLE)
    page.get_by_label("Descripción").fill(DESCRIPTION)


def test_a_closed_tab_and_a_dropped_connection_lose_nothing(live_server, new_page):
    sync_categories()
    director = factories.create_user("director", password=factories.PASSWORD)
    db.session.commit()
    form_url = f"{live_server}/escuelas/{director.school.cct}/problematicas/nueva"
    page = new_page(viewport=PHONE_390, is_mobile=True, has_touch=True)
    login(page, live_server, director.email, factories.PASSWORD)
    page.goto(form_url)
    _fill(page)

    # The tab is closed; a new one opens the form again and is offered the draft.
    context = page.context
    page.close()
    page = context.new_page()
    page.goto(form_url)
    note = page.locator(".draft-note")
    expect(note).to_contain_text("Tienes un borrador de este formulario sin enviar")
    assert page.get_by_label("Título").input_value() == ""
    shot(page, "draft-offered-390")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Recuperar").click()
    assert page.get_by_label("Título").input_value() == TITLE
    assert page.get_by_label("Descripción").input_value() == DESCRIPTION
    expect(note).to_have_count(0)

    # The connection drops as the form is sent: the browser shows its error page.
    context.set_offline(True)
    page.locator("form[data-draft] button[type=submit]").last.click()
    page.wait_for_timeout(500)
    context.set_offline(False)
    page.goto(form_url)
    expect(page.locator(".draft-note")).to_be_visible()
    page.get_by_role("button", name="Recuperar").click()
    assert page.get_by_label("Título").input_value() == TITLE
    assert db.session.query(Problem).count() == 0


def test_an_accepted_form_forgets_its_draft_and_logout_forgets_them_all(live_server, new_page):
    sync_categories()
    director = factories.create_user("director", password=factories.PASSWORD)
    db.session.commit()
    form_url = f"{live_server}/escuelas/{director.school.cct}/problematicas/nueva"
    page = new_page(viewport={"width": 1366, "height": 900})
    login(page, live_server, director.email, factories.PASSWORD)
    page.goto(form_url)
    _fill(page)
    # A refused submit (no category chosen) comes back with the text kept and no offer to restore.
    page.locator("form[data-draft] button[type=submit]").last.click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_label("Título").input_value() == TITLE
    expect(page.locator(".draft-note")).to_have_count(0)
    keys = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('aee-draft:'))")
    assert len(keys) == 1

    # Completed and accepted: the next page removes the draft; the form opens clean.
    page.select_option("select[name=ambito]", "amb-aprovechamiento")
    page.select_option("select[name=ambito_priority]", "alta")
    page.select_option("select[name=area_asistencia_permanencia]", "alta")
    page.locator("input[name=grades]").first.check()
    page.locator("form[data-draft] button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/problematicas/\d+$"))
    assert db.session.query(Problem).filter_by(title=TITLE).count() == 1
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('aee-draft:'))") == []
    assert "aee_draft_saved" not in page.evaluate("document.cookie")
    page.goto(form_url)
    expect(page.locator(".draft-note")).to_have_count(0)

    # A draft left on the form, then logging out removes it.
    _fill(page)
    assert len(page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('aee-draft:'))")) == 1
    with page.expect_navigation():
        page.locator("form[data-clears-drafts] button").first.evaluate("b => b.form.requestSubmit()")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('aee-draft:'))") == []
