"""Pages of the problems area: new, detail, edit, status, list; typed values kept; escaping."""

from __future__ import annotations

import re

import pytest

from app.problems.models import Problem
from app.problems.services import category_labels, create_problem


@pytest.fixture
def director(taxonomy, login_as):
    return login_as("director")


def form_data(**overrides):
    data = {
        "title": "Ausentismo los lunes",
        "description": "Uno de cada cinco alumnos falta los lunes.",
        "grades": ["1°", "2°"],
        "causes": "Trabajo agrícola familiar.",
        "actions_tried": "Llamadas a las familias.",
        "results": "Sin cambio.",
        "status": "abierta",
        "school_year": "2025-2026",
        "ambito": "amb-aprovechamiento",
        "ambito_priority": "alta",
        "area_asistencia_permanencia": "alta",
        "area_familias_crianza": "media",
        "area_convivencia": "",
    }
    data.update(overrides)
    return data


def test_new_page_shows_the_category_picker(client, director):
    response = client.get(f"/escuelas/{director.school.cct}/problematicas/nueva")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="ambito"' in html and 'name="ambito_priority"' in html
    # every área applicable to primaria has its own priority select starting with "no aplica"
    assert 'name="area_pensamiento_matematico"' in html
    assert 'name="area_desarrollo_integral"' not in html  # inicial/preescolar only
    select = re.search(r'<select[^>]*name="area_convivencia".*?</select>', html, re.S).group(0)
    assert re.search(r'<option[^>]*value="">— no aplica —</option>', select)
    assert html.count('type="checkbox" name="grades"') == 6
    assert "<script" not in html.split("</main>")[0].split("<main")[1]  # no JS needed


def test_new_page_for_preescolar_offers_three_grades(client, taxonomy, login_as, create_school):
    kinder = create_school(level="preescolar")
    login_as("director", school=kinder)
    html = client.get(f"/escuelas/{kinder.cct}/problematicas/nueva").get_data(as_text=True)
    assert html.count('type="checkbox" name="grades"') == 3
    assert 'name="area_desarrollo_integral"' in html
    assert 'name="area_pensamiento_critico"' not in html


def test_new_creates_the_problem_and_redirects(client, db, director):
    response = client.post(f"/escuelas/{director.school.cct}/problematicas/nueva", data=form_data())
    assert response.status_code == 302
    problem = db.session.execute(db.select(Problem)).scalar_one()
    assert response.headers["Location"].endswith(f"/problematicas/{problem.id}")
    assert problem.school_id == director.school_id
    assert problem.grades == ["1°", "2°"]
    assert category_labels(problem) == [
        "amb-aprovechamiento:alta",
        "asistencia-permanencia:alta",
        "familias-crianza:media",
    ]
    assert problem.changes[0].action == "creado"


def test_new_with_errors_keeps_what_was_typed(client, db, director):
    response = client.post(
        f"/escuelas/{director.school.cct}/problematicas/nueva",
        data=form_data(
            title="",
            school_year="2025-2027",
            area_asistencia_permanencia="",
            area_familias_crianza="",
            causes="Causa <tecleada> con ñ",
        ),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Escribe el título de la problemática." in html
    assert "dos años consecutivos" in html
    assert "Elige al menos un área" in html
    assert 'value="2025-2027"' in html
    assert "Causa &lt;tecleada&gt; con ñ" in html
    assert re.search(
        r'<option selected value="amb-aprovechamiento">|'
        r'<option value="amb-aprovechamiento" selected>',
        html,
    )
    assert re.search(r'value="1°"\s+checked', html) and not re.search(r'value="3°"\s+checked', html)
    assert db.session.execute(db.select(Problem)).first() is None


def test_new_keeps_area_priorities_on_error(client, director):
    response = client.post(
        f"/escuelas/{director.school.cct}/problematicas/nueva", data=form_data(description="")
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    select = re.search(r'<select[^>]*name="area_familias_crianza".*?</select>', html, re.S).group(0)
    assert re.search(r'<option selected value="media">|<option value="media" selected>', select)


def test_new_unknown_school_is_404(client, director):
    assert client.get("/escuelas/22XXX9999Z/problematicas/nueva").status_code == 404


def test_detail_shows_everything(client, db, director, create_user):
    problem = create_problem(
        director.school,
        {
            "title": "Convivencia en el recreo",
            "description": "Peleas frecuentes.",
            "grades": ["5°"],
            "causes": "Patio pequeño",
            "actions_tried": "Juegos organizados",
            "results": "Menos peleas",
            "status": "en_atencion",
            "school_year": "2025-2026",
            "categories": [
                {"code": "amb-comunidad", "priority": "media"},
                {"code": "convivencia", "priority": "alta"},
            ],
        },
        actor=director,
    )
    db.session.commit()
    html = client.get(f"/problematicas/{problem.id}").get_data(as_text=True)
    for text in (
        "Convivencia en el recreo",
        "Peleas frecuentes.",
        "5°",
        "Patio pequeño",
        "Juegos organizados",
        "Menos peleas",
        "2025-2026",
        "Participación de la comunidad",
        "Convivencia escolar",
        "Historial de cambios",
        director.name,
    ):
        assert text in html
    assert 'class="badge badge-en_atencion"' in html
    assert 'class="badge badge-alta"' in html and 'class="badge badge-media"' in html
    assert 'id="recomendaciones"' in html
    assert f'href="/problematicas/{problem.id}/editar"' in html
    assert f'action="/problematicas/{problem.id}/estado"' in html


def test_detail_hides_edit_buttons_from_viewers(client, db, taxonomy, login_as, create_user, create_problem):
    problem = create_problem()
    login_as("supervisor", zone=problem.school.zone)
    html = client.get(f"/problematicas/{problem.id}").get_data(as_text=True)
    assert problem.title in html
    assert "/editar" not in html and "/estado" not in html


def test_detail_of_unknown_problem_is_404(client, director):
    assert client.get("/problematicas/999999").status_code == 404


def test_title_with_script_is_escaped(client, db, director):
    problem = create_problem(
        director.school,
        {
            "title": "<script>alert('x')</script>",
            "description": "<b>negrita</b>",
            "categories": [
                {"code": "amb-comunidad", "priority": "media"},
                {"code": "convivencia", "priority": "alta"},
            ],
        },
        actor=director,
    )
    db.session.commit()
    html = client.get(f"/problematicas/{problem.id}").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(" in html
    assert "<b>negrita</b>" not in html


def test_edit_prefills_and_saves_history(client, db, director, create_problem):
    problem = create_problem(
        director.school, categories={"amb-aprovechamiento": "alta", "pensamiento-matematico": "media"}
    )
    html = client.get(f"/problematicas/{problem.id}/editar").get_data(as_text=True)
    assert f'value="{problem.title}"' in html
    select = re.search(r'<select[^>]*name="area_pensamiento_matematico".*?</select>', html, re.S).group(0)
    assert re.search(r'<option selected value="media">|<option value="media" selected>', select)
    assert re.search(r'value="4°"\s+checked', html)

    response = client.post(
        f"/problematicas/{problem.id}/editar",
        data=form_data(
            title=problem.title,
            description=problem.description,
            grades=["4°", "5°", "6°"],
            causes="",
            actions_tried="",
            results="",
            school_year=problem.school_year,
            ambito="amb-aprovechamiento",
            ambito_priority="alta",
            area_pensamiento_matematico="alta",
            area_asistencia_permanencia="",
            area_familias_crianza="",
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    problem = db.session.get(Problem, problem.id)
    change = problem.changes[-1]
    assert change.action == "editado"
    assert change.user_id == director.id
    assert change.changes == {
        "categories": [
            ["amb-aprovechamiento:alta", "pensamiento-matematico:media"],
            ["amb-aprovechamiento:alta", "pensamiento-matematico:alta"],
        ]
    }
    html = client.get(f"/problematicas/{problem.id}").get_data(as_text=True)
    assert "pensamiento-matematico:media" in html and "pensamiento-matematico:alta" in html


def test_edit_with_errors_is_422_and_keeps_values(client, db, director, create_problem):
    problem = create_problem(director.school)
    response = client.post(
        f"/problematicas/{problem.id}/editar", data=form_data(title="Título nuevo tecleado", grades=["9°"])
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="Título nuevo tecleado"' in html
    assert "Grado no válido" in html
    db.session.expire_all()
    assert db.session.get(Problem, problem.id).title != "Título nuevo tecleado"


def test_set_status(client, db, director, create_problem):
    problem = create_problem(director.school)
    response = client.post(f"/problematicas/{problem.id}/estado", data={"status": "resuelta"})
    assert response.status_code == 302
    db.session.expire_all()
    problem = db.session.get(Problem, problem.id)
    assert problem.status == "resuelta"
    assert problem.changes[-1].action == "estado"
    html = client.get(f"/problematicas/{problem.id}").get_data(as_text=True)
    assert "Cambió el estado" in html and "badge badge-resuelta" in html


def test_set_status_refuses_unknown_status(client, db, director, create_problem):
    problem = create_problem(director.school)
    response = client.post(f"/problematicas/{problem.id}/estado", data={"status": "perdida"})
    assert response.status_code == 422
    assert "Elige un estado" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Problem, problem.id).status == "abierta"


def test_set_status_is_post_only(client, director, create_problem):
    problem = create_problem(director.school)
    assert client.get(f"/problematicas/{problem.id}/estado").status_code == 405


def test_school_list_filters_by_status(client, director, create_problem):
    open_one = create_problem(director.school, title="Abierta uno")
    create_problem(director.school, title="Ya resuelta", status="resuelta")
    html = client.get(f"/escuelas/{director.school.cct}/problematicas?estado=abierta").get_data(as_text=True)
    assert open_one.title in html and "Ya resuelta" not in html
    html = client.get(f"/escuelas/{director.school.cct.lower()}/problematicas").get_data(as_text=True)
    assert "Ya resuelta" in html


def test_forms_carry_and_require_the_csrf_token(app, client, db, director, create_problem, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    url = f"/escuelas/{director.school.cct}/problematicas/nueva"
    html = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    assert client.post(url, data=form_data()).status_code == 400
    assert client.post(url, data=form_data(csrf_token=token)).status_code == 302
    problem = create_problem(director.school)
    detail = client.get(f"/problematicas/{problem.id}").get_data(as_text=True)
    assert re.search(r'id="cambiar-estado".*?name="csrf_token"', detail, re.S)
    assert client.post(f"/problematicas/{problem.id}/estado", data={"status": "resuelta"}).status_code == 400
