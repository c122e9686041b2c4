"""The zones list, the zone page and the school page: content, filters, no N+1."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from app.extensions import db as _db


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_zones_list_for_admin_with_school_counts(client, login_as, create_zone, create_school):
    zone = create_zone(
        number=5, level="primaria", name="SUPERVISION DE ZONA DE EDUCACION PRIMARIA GENERAL NUM. 5"
    )
    other = create_zone(
        number=12, level="preescolar", name="SUPERVISION DE ZONA DE EDUCACION PREESCOLAR GENERAL NUM. 12"
    )
    for _ in range(3):
        create_school(zone)
    create_school(other)
    login_as("admin")
    html = text_of(client.get("/zonas"))
    assert "Zona 5" in html and "Zona 12" in html
    row = re.search(r"Zona 5</a>.*?</tr>", html, re.S).group(0)
    assert "<td>3</td>" in row


def test_zones_filter_by_level_and_search(client, login_as, create_zone):
    create_zone(number=5, level="primaria", name="SUPERVISION PRIMARIA NUM. 5")
    create_zone(number=12, level="preescolar", name="SUPERVISION PREESCOLAR NUM. 12")
    login_as("admin")
    html = text_of(client.get("/zonas?nivel=preescolar"))
    assert "Zona 12" in html and "Zona 5<" not in html
    html = text_of(client.get("/zonas?q=5"))
    assert "Zona 5" in html and "Zona 12" not in html
    html = text_of(client.get("/zonas?q=preescolar"))
    assert "Zona 12" in html and "Zona 5<" not in html
    html = text_of(client.get("/zonas?q=nada-parecido"))
    assert "No hay zonas que coincidan" in html


def test_zones_list_for_asesor_shows_only_assigned(client, login_as, create_zone, create_school, create_user):
    mine = create_zone(number=7)
    via_school = create_zone(number=8)
    create_zone(number=9)
    advised_school = create_school(via_school)
    asesor = create_user("asesor")
    asesor.advised_zones.append(mine)
    asesor.advised_schools.append(advised_school)
    _db.session.commit()
    login_as(asesor)
    html = text_of(client.get("/zonas"))
    assert "Zona 7" in html and "Zona 8" in html and "Zona 9" not in html


def test_asesor_without_assignments_sees_an_empty_list(client, login_as, create_zone):
    create_zone(number=7)
    login_as("asesor")
    html = text_of(client.get("/zonas"))
    assert "Zona 7" not in html and "Aún no tiene zonas asignadas" in html


@pytest.fixture
def busy_zone(create_zone, create_school, create_problem, create_user):
    zone = create_zone(number=3)
    schools = [create_school(zone, name=f"ESCUELA {n}") for n in range(3)]
    create_problem(
        schools[0],
        title="Lectura de comprensión",
        categories={"amb-aprovechamiento": "alta", "lectura": "media"},
    )
    create_problem(schools[0], title="Resuelto hace tiempo", status="resuelta")
    create_problem(schools[1], title="Cálculo mental", categories={"amb-aprovechamiento": "media"})
    create_user("director", school=schools[0], name="Directora Ana")
    return zone, schools


def test_zone_page_shows_schools_problems_categories_and_people(client, login_as, busy_zone):
    zone, schools = busy_zone
    login_as("supervisor", zone=zone, name="Supervisor Beto")
    html = text_of(client.get(f"/zonas/{zone.cct}"))
    for school in schools:
        assert school.name in html
    row = re.search(rf"{schools[0].name}</a>.*?</tr>", html, re.S).group(0)
    assert "<td>1</td>" in row  # one open problem (the resolved one is not counted)
    assert "Lectura de comprensión" in html and "Cálculo mental" in html
    assert html.index("Cálculo mental") < html.index("Resuelto hace tiempo")  # open first
    bars = re.search(r'class="category-bars">.*?</table>', html, re.S).group(0)
    assert "Amb Aprovechamiento" in bars and 'style="width: 100.0%"' in bars
    assert "Lectura" in bars and 'style="width: 50.0%"' in bars
    assert "Directora Ana" in html and "Supervisor Beto" in html


def count_queries(app, url: str, client) -> int:
    """Statements run by one GET of ``url``, starting from an empty identity map (the test client
    shares the test's session)."""
    statements = []
    _db.session.expunge_all()

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = _db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def test_zone_page_query_count_does_not_grow_with_schools(
    app, client, login_as, create_zone, create_school, create_problem
):
    small = create_zone()
    big = create_zone()
    create_problem(create_school(small))
    for _ in range(6):
        create_problem(create_school(big), categories={"amb-convivencia": "alta", "lectura": "baja"})
    login_as("admin")
    few_url, many_url = f"/zonas/{small.cct}", f"/zonas/{big.cct}"
    client.get(few_url)  # warm up: Flask-Login keeps the user on the shared app context's g
    few = count_queries(app, few_url, client)
    many = count_queries(app, many_url, client)
    assert few == many


def test_school_page_info_and_problems(client, login_as, create_school, create_problem):
    school = create_school(
        name="NIÑOS HÉROES",
        locality="EL MASTRANTO",
        shift="MATUTINO",
        enlace_math6=417.83,
        enlace_evaluated=4,
        marginalization="MUY ALTO",
    )
    create_problem(school, title="Resuelta antes", status="resuelta")
    create_problem(school, title="<b>Abierta ahora</b>")
    login_as("director", school=school)
    html = text_of(client.get(f"/escuelas/{school.cct.lower()}"))
    assert school.cct in html and "Primaria" in html and "El Mastranto" in html
    assert "417.8" in html and "Muy alto" in html and "Matutino" in html
    assert "&lt;b&gt;Abierta ahora&lt;/b&gt;" in html  # escaped
    assert html.index("Abierta ahora") < html.index("Resuelta antes")
    assert "badge-alta" in html and "badge-abierta" in html
    assert "Registrar problemática" in html


def test_school_page_links_problems_and_practices_when_endpoints_exist(
    app, client, login_as, create_school, create_problem, create_practice
):
    school = create_school()
    problem = create_problem(school)
    practice = create_practice(school, title="Rincón de lectura", visibility="zona")
    login_as("admin")
    html = text_of(client.get(f"/escuelas/{school.cct}"))
    assert "Rincón de lectura" in html
    if "problems.detail" in app.view_functions:
        assert f'/problematicas/{problem.id}"' in html
    if "practices.detail" in app.view_functions:
        with app.test_request_context():
            from flask import url_for

            assert url_for("practices.detail", practice_id=practice.id) in html


def test_school_page_hides_practices_the_viewer_may_not_see(client, login_as, create_school, create_practice):
    school = create_school()
    neighbour = create_school(school.zone)
    create_practice(school, title="Solo de la escuela", visibility="escuela")
    create_practice(school, title="Para la zona", visibility="zona")
    login_as("director", school=neighbour)
    html = text_of(client.get(f"/escuelas/{school.cct}"))
    assert "Para la zona" in html and "Solo de la escuela" not in html
    assert "Registrar problemática" not in html  # not their school
    assert "Personas de la escuela" not in html


def test_school_people_for_director_and_supervisor_only(client, login_as, create_school, create_user):
    school = create_school()
    create_user("docente", school=school, name="Maestra Carmen")
    login_as("director", school=school)
    assert "Maestra Carmen" in text_of(client.get(f"/escuelas/{school.cct}"))
    login_as("docente", school=school)
    html = text_of(client.get(f"/escuelas/{school.cct}"))
    assert "Maestra Carmen" not in html and "Registrar problemática" in html
    login_as("supervisor", zone=school.zone)
    html = text_of(client.get(f"/escuelas/{school.cct}"))
    assert "Maestra Carmen" in html and "Registrar problemática" not in html


def test_school_page_query_count_does_not_grow_with_problems(
    app, client, login_as, create_school, create_problem
):
    few_school = create_school()
    many_school = create_school()
    create_problem(few_school)
    for n in range(6):
        create_problem(many_school, title=f"Problema {n}")
    login_as("admin")
    few_url, many_url = f"/escuelas/{few_school.cct}", f"/escuelas/{many_school.cct}"
    client.get(few_url)  # warm up: Flask-Login keeps the user on the shared app context's g
    few = count_queries(app, few_url, client)
    many = count_queries(app, many_url, client)
    assert few == many
