"""Issue 11 on a 390 px phone: a contribution names its problem with one tap. While a school
presents its problem is chosen; the person picks another school's problem, sends, and sees it filed
under that problem on the board and, after the close, in the acta. After the presentations nothing
is chosen for them; a problem the server refuses gives the typed text back to correct."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.encounters.closing import close_encounter
from app.extensions import db
from app.live import services
from tests.e2e.browser import DESKTOP, PHONE_390, check_page, login, shot
from tests.e2e.test_live_room import open_room, show_tab
from tests.factories import PASSWORD, create_problem
from tests.realtime.world import build_room, restore_real_transport

pytestmark = pytest.mark.browser


def test_a_contribution_about_a_problem_that_is_not_presented(live_server, new_page):
    restore_real_transport()
    room = build_room(password=PASSWORD)
    problem_b = create_problem(room.school_b, title="Asistencia irregular en 5°")
    foreign = create_problem(room.school_c, title="Problema de otro grupo")
    services.control_timer(room.group, "next", actor=room.people["facilitador"])  # A presents
    db.session.commit()

    page = open_room(new_page, live_server, room, "docente_a", viewport=PHONE_390)
    show_tab(page, "Aportaciones")
    choice = page.get_by_label("¿Sobre qué problemática?")
    expect(choice).to_have_value(str(room.problem.id))  # the presented one, by default
    expect(page.locator("#contribution-problem-hint")).to_contain_text("Comprensión lectora en 3°")
    assert choice.bounding_box()["height"] >= 44
    expect(choice.locator("optgroup")).to_have_count(2)  # the group's schools, not school C
    expect(choice.locator(f'option[value="{foreign.id}"]')).to_have_count(0)

    choice.select_option(label="Asistencia irregular en 5°")  # one tap: B's problem
    page.get_by_label("Tipo de aportación").select_option("propuesta")
    page.get_by_label("Tu aportación").fill("Llamar a las familias el mismo día de la falta")
    page.get_by_role("button", name="Aportar").click()
    item = page.locator("#contributions li[data-id]", has_text="Llamar a las familias")
    expect(item).to_have_attribute("data-problem-id", str(problem_b.id))
    expect(item.locator(".filed")).to_have_text(f"Sobre: Asistencia irregular en 5° ({room.school_b.name})")
    expect(item).to_contain_text("Actividad 2")
    check_page(page, "live-contribution-problem")

    # After the presentations (activity 4) nothing is chosen for you; the text stays until you choose.
    services.control_timer(room.group, "next", actor=room.people["facilitador"])
    services.control_timer(room.group, "next", actor=room.people["facilitador"])
    db.session.commit()
    expect(choice).to_have_value("")
    page.get_by_label("Tu aportación").fill("Club de lectura de los viernes")
    page.get_by_role("button", name="Aportar").click()
    expect(page.locator("#contribution-error")).to_have_text("Elige la problemática de tu aportación.")
    expect(page.get_by_label("Tu aportación")).to_have_value("Club de lectura de los viernes")

    # A problem the server refuses (not of this group): the Spanish error, and the text comes back.
    page.evaluate(
        """(id) => { const s = document.getElementById('contribution-problem');
                     s.append(new Option('Otro grupo', String(id))); s.value = String(id);
                     s.dispatchEvent(new Event('change')); }""",
        foreign.id,
    )
    page.get_by_role("button", name="Aportar").click()
    refused = page.locator("#contributions li.pending")
    expect(refused).to_contain_text("La problemática no es de una escuela del grupo.")
    refused.get_by_role("button", name="Corregir").click()
    expect(page.get_by_label("Tu aportación")).to_have_value("Club de lectura de los viernes")
    choice.select_option(label="Comprensión lectora en 3°")
    page.get_by_role("button", name="Aportar").click()
    second = page.locator("#contributions li[data-id]", has_text="Club de lectura")
    expect(second).to_have_attribute("data-problem-id", str(room.problem.id))
    expect(second).to_contain_text("Actividad 4")
    expect(page.locator("#contributions li.pending")).to_have_count(0)
    shot(page, "live-contribution-problem-after-presentations-390")

    # The acta files each one under its problem, with the problem's school.
    close_encounter(room.encounter, actor=room.people["supervisor"])
    db.session.commit()
    acta = new_page(viewport=DESKTOP)
    login(acta, live_server, room.people["supervisor"].email, PASSWORD)
    acta.goto(f"{live_server}/encuentros/{room.encounter.id}/acta")
    section_b = acta.locator(f'article.problem-contributions[data-problem-id="{problem_b.id}"]')
    expect(section_b).to_contain_text("Asistencia irregular en 5°")
    expect(section_b).to_contain_text(room.school_b.name)
    expect(section_b).to_contain_text("Llamar a las familias el mismo día de la falta")
    expect(section_b).not_to_contain_text("Club de lectura")
    section_a = acta.locator(f'article.problem-contributions[data-problem-id="{room.problem.id}"]')
    expect(section_a).to_contain_text("Club de lectura de los viernes")
    expect(section_a).not_to_contain_text(re.compile("Llamar a las familias"))
    shot(acta, "live-contribution-problem-acta")
