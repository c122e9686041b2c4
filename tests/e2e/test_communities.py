"""Communities of practice in the browser (issue 14): a teacher of one zone joins a community with a
school of another zone, posts about her school's practice, gets a reply and a *me sirvió*; the
leader pins it as a resource and hides an off-topic post with its reason. 390x844 and 1366x900,
axe-core on every page."""

from __future__ import annotations

import pytest

from app.communities import services
from tests import factories
from tests.e2e.browser import DESKTOP, PHONE_390, check_page, login

pytestmark = pytest.mark.browser
PASSWORD = factories.PASSWORD


@pytest.mark.parametrize("viewport", [PHONE_390, DESKTOP], ids=["390x844", "1366x900"])
def test_join_post_reply_pin_and_hide(live_server, new_page, db, viewport):
    zone_a, zone_b = factories.create_zone(number=5), factories.create_zone(number=9)
    a = factories.create_school(zone_a, name="NIÑOS HÉROES")
    b = factories.create_school(zone_b, name="JUSTO SIERRA")
    factories.get_category("lectura-escritura")
    ana = factories.create_user("docente", school=a, name="Ana Ruiz", email="ana@escuelas.example.mx")
    beto = factories.create_user("docente", school=b, name="Beto Gil", email="beto@escuelas.example.mx")
    practice = factories.create_practice(a, title="Parejas lectoras", visibility="todos")
    leader = factories.create_user("asesor", name="Luz Mena", email="luz@escuelas.example.mx")
    community = services.propose_community(
        {
            "name": "Lectura en escuelas multigrado",
            "description": "Para quienes enseñan a leer en grupos multigrado.",
            "categories": ["lectura-escritura"],
        },
        actor=leader,
    )
    services.join(community, actor=beto)
    db.session.commit()

    # 1. Ana finds it in the list and joins; names appear once she is a member.
    page = new_page(viewport=viewport)
    login(page, live_server, ana.email, PASSWORD)
    page.goto(f"{live_server}/comunidades")
    check_page(page, "communities-list")
    page.get_by_role("link", name="Lectura en escuelas multigrado").click()
    assert "Beto Gil" not in page.content() and "JUSTO SIERRA" in page.content()
    page.get_by_role("button", name="Unirse a la comunidad").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Beto Gil" in page.locator("#miembros").inner_text()

    # 2. An empty post is refused in Spanish; a post tied to her practice is published.
    page.get_by_role("button", name="Publicar", exact=True).click()
    page.wait_for_load_state("domcontentloaded")
    assert "Escribe tu publicación." in page.locator(".field-error").first.inner_text()
    page.get_by_label("Publicación").fill("Así formamos parejas lectoras de 5° y 2°.")
    page.locator("summary", has_text="Relacionar").click()
    page.get_by_label("Sobre la práctica").select_option(label="Parejas lectoras")
    page.get_by_role("button", name="Publicar", exact=True).click()
    page.wait_for_load_state("domcontentloaded")
    post = page.locator(".board > li").first
    assert "parejas lectoras de 5° y 2°" in post.inner_text() and "Parejas lectoras" in post.inner_text()
    check_page(page, "community-board-member")

    # 3. Beto replies and marks it useful; Ana was notified? (Beto follows: he is told of her post.)
    other = new_page(viewport=viewport)
    login(other, live_server, beto.email, PASSWORD)
    other.goto(f"{live_server}/comunidades/{community.id}")
    first = other.locator(".board > li").first
    first.get_by_label("Respuesta").fill("¿Cuántos minutos al día?")
    first.get_by_role("button", name="Responder").click()
    other.wait_for_load_state("domcontentloaded")
    other.locator(".board > li").first.get_by_role("button", name="Me sirvió (0)").click()
    other.wait_for_load_state("domcontentloaded")
    assert "Me sirvió (1)" in other.locator(".board > li").first.inner_text()
    services.add_post(community, {"body": "Vendo cursos en línea"}, actor=beto)
    db.session.commit()

    # 4. The leader pins Ana's post as a resource and hides the off-topic one, with a reason.
    lead = new_page(viewport=viewport)
    login(lead, live_server, leader.email, PASSWORD)
    lead.goto(f"{live_server}/comunidades/{community.id}")
    spam = lead.locator(".board > li", has_text="Vendo cursos")
    spam.get_by_label("Motivo para ocultar").fill("No es del tema de la comunidad")
    spam.get_by_role("button", name="Ocultar").click()
    lead.wait_for_load_state("domcontentloaded")
    lead.locator(".board > li", has_text="parejas lectoras").get_by_role(
        "button", name="Fijar como recurso"
    ).click()
    lead.wait_for_load_state("domcontentloaded")
    top = lead.locator(".board > li").first
    assert "Recurso fijado" in top.inner_text() and "¿Cuántos minutos al día?" in top.inner_text()
    board = lead.locator("#tablero").inner_text()
    assert "Publicación ocultada por la moderación: No es del tema de la comunidad" in board
    assert "Vendo cursos" not in board
    check_page(lead, "community-board-leader")
    assert practice.id  # the practice linked above is the school's own
