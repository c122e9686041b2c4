"""A commitment as the session card asks, in the room (issue 11): per school and classroom/grade, tied
to one of its problems; one the server refuses (a past deadline) goes back into the form as typed,
with the error under its field, in Spanish, and is stored once corrected."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from app.commitments.models import Commitment
from app.extensions import db
from app.problems.models import Problem
from tests.e2e.browser import PHONE_390, check_page
from tests.e2e.test_live_room import open_room, show_tab
from tests.factories import PASSWORD
from tests.realtime.world import build_room, restore_real_transport

pytestmark = pytest.mark.browser


def test_classroom_problem_and_a_refused_commitment_corrected(live_server, new_page):
    restore_real_transport()
    room = build_room(password=PASSWORD)
    problem = db.session.execute(db.select(Problem).filter_by(school_id=room.school_a.id)).scalars().first()
    assert problem is not None
    page = open_room(new_page, live_server, room, "director_sede", viewport=PHONE_390)
    show_tab(page, "Compromisos")
    page.get_by_label("Escuela", exact=True).select_option(str(room.school_a.id))
    page.get_by_label("Problemática", exact=True).select_option(str(problem.id))
    page.get_by_label("Grupo o grado").fill("2.º A")
    page.get_by_label("Acción").fill("Lectura en parejas diez minutos diarios")
    page.get_by_label("Responsable").fill("Mtra. Rosa Díaz")
    page.get_by_label("Fecha límite").fill((date.today() - timedelta(days=3)).isoformat())  # in the past
    page.get_by_role("button", name="Registrar compromiso").click()

    pending = page.locator("#commitments li.pending")
    expect(pending).to_contain_text("No se envió")
    pending.get_by_role("button", name="Corregir").click()
    # What was typed is back, with the error under the deadline.
    assert page.get_by_label("Acción").input_value() == "Lectura en parejas diez minutos diarios"
    assert page.get_by_label("Grupo o grado").input_value() == "2.º A"
    assert page.get_by_label("Problemática", exact=True).input_value() == str(problem.id)
    due_error = page.locator("[data-error-for='due_date']")
    expect(due_error).not_to_be_empty()
    check_page(page, "live-commitment-refused")

    page.get_by_label("Fecha límite").fill((date.today() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Registrar compromiso").click()
    stored = page.locator("#commitments li:not(.pending)").first
    expect(stored).to_contain_text("Lectura en parejas diez minutos diarios")
    expect(stored).to_contain_text("2.º A")
    expect(stored).to_contain_text(problem.title)
    db.session.expire_all()
    [commitment] = db.session.execute(db.select(Commitment)).scalars().all()
    assert commitment.classroom == "2.º A" and commitment.problem_id == problem.id
