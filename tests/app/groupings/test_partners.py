"""Partners per problem (issue 12): on a problem's page, the schools that already solved its
categories come first, in plain words, inside and beyond the zone, each reachable."""

from __future__ import annotations

from flask import g

from app.extensions import db
from app.groupings.partners import partners_for_problem
from tests import factories

READING = {"lectura-escritura": "alta"}


def _world():
    zone_a, zone_b = factories.create_zone(), factories.create_zone()
    mine = factories.create_school(zone_a, name="NIÑOS HÉROES")
    peer = factories.create_school(zone_a, name="CUAUHTÉMOC")
    solver = factories.create_school(zone_b, name="JUSTO SIERRA")
    unrelated = factories.create_school(zone_b, name="FRANCISCO VILLA")
    problem = factories.create_problem(mine, categories=READING, title="Lectoescritura en primero")
    factories.create_problem(peer, categories=READING, title="Leer en voz alta")
    solved = factories.create_problem(solver, categories=READING, title="Lectoescritura", status="resuelta")
    practice = factories.create_practice(
        solver,
        categories=["lectura-escritura"],
        title="Tutoría entre pares",
        outcome="bueno",
        visibility="todos",
    )
    practice.problem_id = solved.id
    factories.create_problem(unrelated, categories={"convivencia": "alta"}, title="Asistencia")
    db.session.commit()
    return {"mine": mine, "peer": peer, "solver": solver, "problem": problem, "practice": practice}


def test_the_school_that_solved_it_comes_first_with_its_practice_in_words(db):
    w = _world()
    director = factories.create_user("director", school=w["mine"])
    result = partners_for_problem(w["problem"], actor=director)
    [beyond] = result["solved"]
    [in_zone] = result["working"]
    assert beyond.school == w["solver"] and beyond.has_solved and not beyond.in_zone
    assert str(beyond.sentence).startswith("Ya resolvió <em>lectura")
    assert "<em>Tutoría entre pares</em>" in str(beyond.sentence) and "con buenos resultados" in str(
        beyond.sentence
    )
    assert beyond.practices == [w["practice"]]
    assert in_zone.school == w["peer"] and not in_zone.has_solved and in_zone.in_zone
    assert str(in_zone.sentence).startswith("Trabaja, como ustedes, en <em>lectura")


def test_a_practice_the_reader_may_not_see_is_not_named(db):
    w = _world()
    w["practice"].visibility = "escuela"
    db.session.commit()
    director = factories.create_user("director", school=w["mine"])
    [beyond] = partners_for_problem(w["problem"], actor=director)["solved"]
    assert beyond.has_solved and beyond.practices == []
    assert "Tutoría" not in str(beyond.sentence)


def test_names_are_escaped(db):
    w = _world()
    w["practice"].title = "<b>Pares</b>"
    db.session.commit()
    director = factories.create_user("director", school=w["mine"])
    [beyond] = partners_for_problem(w["problem"], actor=director)["solved"]
    assert "&lt;b&gt;Pares&lt;/b&gt;" in str(beyond.sentence) and "<b>" not in str(beyond.sentence)


def test_problem_page_lists_them_with_profile_and_contact_links(client, db):
    w = _world()
    director = factories.create_user("director", school=w["mine"])
    factories.create_user("director", school=w["solver"])
    with client.session_transaction() as sess:
        factories.log_in(sess, director)
    g.pop("_login_user", None)
    html = client.get(f"/problematicas/{w['problem'].id}").get_data(as_text=True)
    section = html[html.index('id="escuelas-que-ayudan"') :]
    assert section.index("JUSTO SIERRA") < section.index("Trabaja, como ustedes")
    assert f'href="/escuelas/{w["solver"].cct}"' in section
    assert f"/escuelas/{w['solver'].cct}/contacto?problema={w['problem'].id}" in section
    # the partner's profile opens for a director of another zone (it answered 403 before)
    assert client.get(f"/escuelas/{w['solver'].cct}").status_code == 200
