"""The advisor's inbox of requests for outside advice (issue 11), on a phone and a desktop: the
requests of two schools on one topic under one heading, links to the school, problem and acta; the
advisor answers one (en atención, with a reply) and it shows; zero axe-core violations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from app.commitments import services as commitments
from app.encounters.closing import close_encounter
from app.extensions import db
from app.logbook import services as logbook
from tests import factories
from tests.app.logbook.world import build_world
from tests.e2e.browser import DESKTOP, PHONE_390, axe_violations, login, shot
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

MATH = {"amb-aprovechamiento": "alta", "pensamiento-matematico": "alta"}


@pytest.mark.parametrize("viewport", [PHONE_390, DESKTOP], ids=["phone-390x844", "desktop-1366x900"])
def test_the_advisor_sees_and_answers_the_requests(live_server, new_page, viewport):
    w = build_world()
    due = (date.today() + timedelta(days=20)).isoformat()
    for school, action in (
        (w.a, "Taller de resolución de problemas en 4°"),
        (w.b, "Cálculo mental en 5° y 6°"),
    ):
        problem = factories.create_problem(school, title=f"Matemáticas en {school.name}", categories=MATH)
        commitments.record_commitment(
            w.encounter,
            school,
            {
                "action": action,
                "responsible": "Dirección",
                "due_date": due,
                "needs_external_advice": True,
                "problem_id": problem.id,
            },
            actor=w.supervisor,
        )
    logbook.record_agreement(
        w.encounter,
        w.g1,
        {"kind": "asesoria", "text": "Evaluación formativa en grupos multigrado"},
        actor=w.supervisor,
    )
    close_encounter(w.encounter, actor=w.supervisor)
    db.session.commit()

    page = new_page(viewport=viewport)
    login(page, live_server, w.asesor.email, PASSWORD)
    page.goto(f"{live_server}/avisos")
    page.goto(f"{live_server}/asesoria")
    expect(page.get_by_role("heading", name="Solicitudes de asesoría", level=1)).to_be_visible()
    topic = page.locator(".advice-topic").first
    expect(topic).to_contain_text("2 solicitud(es) de 2 escuela(s)")
    expect(topic.locator(".advice-request")).to_have_count(2)
    expect(topic).to_contain_text(w.a.name)
    expect(topic).to_contain_text(w.b.name)
    expect(topic.get_by_role("link", name="Ver el acta").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert axe_violations(page) == []
    shot(page, f"advice-inbox-{viewport['width']}")

    first = topic.locator(".advice-request").first
    first.get_by_label("Estado").select_option("en_atencion")
    first.get_by_label("Respuesta").fill("Visita conjunta a ambas escuelas el 12 de enero.")
    first.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Solicitud actualizada.")).to_be_visible()
    answered = page.locator(".advice-request[data-status='en_atencion']")
    expect(answered).to_contain_text("Visita conjunta a ambas escuelas")
    expect(answered.locator(".badge")).to_have_text("En atención")

    # Marking another as attended without a reply is refused under its field, nothing lost.
    other = page.locator(".advice-request[data-status='recibida']").first
    other.get_by_label("Estado").select_option("atendida")
    other.get_by_role("button", name="Guardar").click()
    expect(page.locator(".field-error").first).to_contain_text("Escribe qué se hizo")
    assert axe_violations(page) == []
    shot(page, f"advice-inbox-error-{viewport['width']}")
