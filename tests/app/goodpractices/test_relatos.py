"""The relatos index (issue 12): a relato without a practice was listed nowhere, and relatos had no
index or search. Now /relatos finds them by words (accents aside) and filters by category, level and
zone, a page at a time; each relato is linked from its school's page and, where linked, from its
practice and its encounter."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.encounters import services as encounters
from app.extensions import db
from app.goodpractices import services
from app.goodpractices.models import Narrative
from app.permissions import can_view_narrative
from app.utils import utcnow
from tests import factories
from tests.app.goodpractices.helpers import published

SECTIONS = {
    "faced": "Muchas faltas.",
    "tried": "Llamadas a casa.",
    "happened": "Volvieron.",
    "learned": "Escuchar.",
}


def _relato(world, school=None, *, title="Cómo volvieron a la escuela", author=None, **data) -> Narrative:
    school = school or world.school_a
    author = (
        author
        or {
            world.school_a.id: world.people["director"],
            world.school_a2.id: world.people["director_same_zone"],
            world.school_b.id: world.people["director_other_zone"],
        }[school.id]
    )
    narrative = services.create_narrative(school, {"title": title, **SECTIONS, **data}, actor=author)
    db.session.commit()
    return narrative


def _titles(actor, **filters) -> list[str]:
    return [n.title for n in services.search_narratives(actor, **filters).items]


def test_a_relato_without_practice_is_in_the_index_and_found_by_its_words(world):
    _relato(world, title="Asistencia: cómo volvieron a la escuela")
    _relato(world, title="Comprensión lectora en 4°", faced="Pocos comprendían lo que leían.")
    reader = world.people["director_same_zone"]
    assert _titles(reader) == ["Comprensión lectora en 4°", "Asistencia: cómo volvieron a la escuela"]
    assert _titles(reader, q="COMPRENSION") == ["Comprensión lectora en 4°"]
    assert _titles(reader, q="comprendian leian") == ["Comprensión lectora en 4°"]
    assert _titles(reader, q="comprension asistencia") == []
    assert _titles(reader, q="100%_") == []  # LIKE's wildcards are plain characters here


def test_filters_by_category_of_practice_or_problem_level_and_zone(world):
    practice = published(world)  # categories: lectura-escritura
    problem = factories.create_problem(world.school_a2, title="Faltas", categories={"convivencia": "alta"})
    _relato(world, title="Con práctica", practice_id=practice.id)
    _relato(world, world.school_a2, title="Con problemática", problem_id=problem.id)
    _relato(world, world.school_b, title="De otra zona")
    admin = world.people["admin"]
    assert _titles(admin, category="lectura-escritura") == ["Con práctica"]
    assert _titles(admin, category="convivencia") == ["Con problemática"]
    assert sorted(_titles(admin, zone_id=world.zone_a.id)) == ["Con problemática", "Con práctica"]
    assert _titles(admin, zone_id=world.zone_b.id) == ["De otra zona"]
    world.school_b.level = "secundaria"
    db.session.commit()
    assert _titles(admin, level="secundaria") == ["De otra zona"]


def test_the_index_pages_and_counts(world):
    for n in range(23):
        narrative = _relato(world, title=f"Relato {n:02d}")
        narrative.created_at = utcnow() - timedelta(minutes=100 - n)
    db.session.commit()
    first = services.search_narratives(world.people["docente"], per_page=20)
    second = services.search_narratives(world.people["docente"], page=2, per_page=20)
    assert first.total == second.total == 23
    assert [n.title for n in first.items][:2] == ["Relato 22", "Relato 21"]
    assert [n.title for n in second.items] == ["Relato 02", "Relato 01", "Relato 00"]


def test_the_sql_rule_agrees_with_can_view_narrative(world):
    hidden = factories.create_practice(world.school_a, title="Solo de la escuela", visibility="escuela")
    open_to_all = factories.create_practice(world.school_b, title="Para todos", visibility="todos")
    narratives = [
        _relato(world, title="A sin práctica"),
        _relato(world, title="A con práctica de escuela", practice_id=hidden.id),
        _relato(world, world.school_b, title="B sin práctica"),
        _relato(world, world.school_b, title="B con práctica para todos", practice_id=open_to_all.id),
    ]
    for name, person in world.people.items():
        expected = sorted(n.title for n in narratives if can_view_narrative(person, n))
        assert sorted(_titles(person)) == expected, name
    assert _titles(world.people["director_same_zone"]) != []  # the check above is not vacuous
    assert "B con práctica para todos" in _titles(world.people["director_same_zone"])
    assert "B sin práctica" not in _titles(world.people["director_same_zone"])


# --- pages -----------------------------------------------------------------------------------------


def test_relatos_page_searches_filters_and_pages(client, login_as, world):
    """Before: /relatos did not exist (404) and a relato without practice had no page listing it."""
    _relato(world, title="Comprensión lectora en 4°")
    _relato(world, world.school_a2, title="Asistencia en 6°")
    login_as(world.people["director_same_zone"])
    html = client.get("/relatos").get_data(as_text=True)
    assert "2 relatos" in html and "Comprensión lectora en 4°" in html and "Asistencia en 6°" in html
    html = client.get("/relatos?q=comprension").get_data(as_text=True)
    assert "1 relato" in html and "Asistencia en 6°" not in html and 'value="comprension"' in html
    html = client.get(f"/relatos?zona={world.zone_b.cct}").get_data(as_text=True)
    assert "0 relatos" in html and f'value="{world.zone_b.cct}" selected' in html
    html = client.get("/relatos?zona=22XXX9999Z").get_data(as_text=True)
    assert "No encontramos esa zona escolar." in html
    for query in (
        "page=abc",
        "page=-3",
        "page=99999999999999999999",
        "categoria=<script>",
        "nivel=x",
        "q=" + "a" * 5000,
    ):
        response = client.get(f"/relatos?{query}")
        assert response.status_code == 200, query
        assert "<script>" not in response.get_data(as_text=True).split("<main")[-1]


def test_every_relato_is_reachable_from_its_school_practice_and_encounter(client, login_as, world):
    practice = published(world)
    encounter = encounters.create_encounter(
        {
            "title": "Encuentro de lectura",
            "starts_at": utcnow() + timedelta(days=3),
            "ends_at": utcnow() + timedelta(days=3, hours=3),
            "modality": "presencial",
            "zone_ids": [world.zone_a.id],
        },
        actor=world.people["supervisor"],
    )
    encounters.add_group(
        encounter,
        {
            "school_ids": [world.school_a.id, world.school_a2.id],
            "host_school_id": world.school_a.id,
            "room": "A",
        },
        actor=world.people["supervisor"],
    )
    db.session.commit()
    alone = _relato(world, title="Relato sin práctica")
    linked = _relato(world, title="Relato con todo", practice_id=practice.id, encounter_id=encounter.id)
    login_as(world.people["director_same_zone"])
    school_page = client.get(f"/escuelas/{world.school_a.cct}").get_data(as_text=True)
    assert f"/relatos/{alone.id}" in school_page and f"/relatos/{linked.id}" in school_page
    assert f"/relatos/{linked.id}" in client.get(f"/practicas/{practice.id}").get_data(as_text=True)
    login_as(world.people["supervisor"])
    encounter_page = client.get(f"/encuentros/{encounter.id}").get_data(as_text=True)
    assert f"/relatos/{linked.id}" in encounter_page and f"/relatos/{alone.id}" not in encounter_page
    relato_page = client.get(f"/relatos/{linked.id}").get_data(as_text=True)
    assert f"/escuelas/{world.school_a.cct}#relatos" in relato_page
    assert f"/encuentros/{encounter.id}#relatos" in relato_page


@pytest.mark.parametrize("who", ["director_other_zone", "asesor_other"])
def test_the_index_hides_what_one_may_not_read(client, login_as, world, who):
    _relato(world, title="Relato de la zona A")
    login_as(world.people[who])
    html = client.get("/relatos").get_data(as_text=True)
    assert "Relato de la zona A" not in html and "0 relatos" in html
