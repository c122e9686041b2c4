"""The practices pages: library, detail, new, edit, evidence, adoption; and who may use each."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest

from app.dates import local_today
from app.extensions import db
from app.practices import services
from app.practices.models import Adoption, Evidence, Practice
from tests import factories
from tests.app.practices.conftest import png_bytes, practice_data

ROLES = [
    "anonymous",
    "admin",
    "supervisor_zona",
    "supervisor_otra",
    "director",
    "director_misma_zona",
    "director_otra_zona",
    "docente",
    "asesor_asignado",
    "asesor_no_asignado",
]
EVERYONE = set(ROLES) - {"anonymous"}
OVERSEE = {"admin", "supervisor_zona", "director", "docente", "asesor_asignado"}
MEMBERS = {"admin", "director", "docente"}

# (action, roles allowed). The practice under test belongs to world.school (zone A).
TABLE = {
    "library": EVERYONE,
    "new_form": MEMBERS,
    "new_post": MEMBERS,
    "detail_escuela": OVERSEE,
    "detail_zona": OVERSEE | {"director_misma_zona"},
    "detail_todos": EVERYONE,
    "edit_form": MEMBERS,
    "edit_post": MEMBERS,
    "add_evidence": MEMBERS,
    "remove_evidence": MEMBERS,
    "evidence_file": OVERSEE,
    "adopt_zona": {"director_misma_zona"},
    "adopt_todos": {"director_misma_zona", "director_otra_zona"},
}
CASES = [(action, role, role in allowed) for action, allowed in TABLE.items() for role in ROLES]


def _do(client, world, action: str):
    """Perform one action; return the response and the status expected when it is allowed."""
    visibility = {
        "detail_escuela": "escuela",
        "evidence_file": "escuela",
        "detail_todos": "todos",
        "adopt_todos": "todos",
    }.get(action, "zona")
    practice = factories.create_practice(world.school, visibility=visibility)
    if action == "library":
        return client.get("/practicas"), 200
    if action == "new_form":
        return client.get(f"/escuelas/{world.school.cct}/practicas/nueva"), 200
    if action == "new_post":
        return client.post(
            f"/escuelas/{world.school.cct}/practicas/nueva",
            data={"title": "Nueva", "summary": "Resumen", "level": "primaria", "visibility": "zona"},
        ), 302
    if action.startswith("detail"):
        return client.get(f"/practicas/{practice.id}"), 200
    if action == "edit_form":
        return client.get(f"/practicas/{practice.id}/editar"), 200
    if action == "edit_post":
        return client.post(
            f"/practicas/{practice.id}/editar",
            data={"title": "Cambiada", "summary": "Resumen", "level": "primaria", "visibility": "zona"},
        ), 302
    if action == "add_evidence":
        return client.post(
            f"/practicas/{practice.id}/evidencias",
            data={"file": (io.BytesIO(png_bytes()), "a.png")},
            content_type="multipart/form-data",
        ), 302
    if action in ("remove_evidence", "evidence_file"):
        evidence = services.add_evidence(practice, _file(), actor=world.people["admin"])
        db.session.commit()
        if action == "remove_evidence":
            return client.post(f"/evidencias/{evidence.id}/eliminar"), 302
        return client.get(f"/evidencias/{evidence.id}"), 200
    if action.startswith("adopt"):  # the page's one adopt action: with the bitácora commitment
        due = (local_today() + timedelta(days=7)).isoformat()
        return client.post(
            f"/practicas/{practice.id}/la-adoptamos", data={"responsible": "Mtra. Ana", "due_date": due}
        ), 302
    raise AssertionError(action)


def _file():
    from werkzeug.datastructures import FileStorage

    return FileStorage(io.BytesIO(png_bytes()), filename="a.png")


@pytest.mark.parametrize(
    "action, role, allowed", CASES, ids=[f"{a}-{r}-{'si' if ok else 'no'}" for a, r, ok in CASES]
)
def test_permission_table(client, login_as, world, action, role, allowed):
    if role != "anonymous":
        login_as(world.people[role])
    response, ok_status = _do(client, world, action)
    if role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif allowed:
        assert response.status_code == ok_status, response.get_data(as_text=True)[:500]
    else:
        assert response.status_code == 403


# --- the library -------------------------------------------------------------------------------


def test_library_lists_cards_with_counts_and_thumbnail(client, login_as, world, categories):
    practice = services.create_practice(world.school, practice_data(), actor=world.people["director"])
    evidence = services.add_evidence(practice, _file(), actor=world.people["director"])
    services.adopt_practice(
        practice, world.sibling, {"outcome": "bueno"}, actor=world.people["director_misma_zona"]
    )
    db.session.commit()
    login_as(world.people["docente"])
    page = client.get("/practicas?q=MATEMATICAS").get_data(as_text=True)
    assert "Matemáticas en la cocina" in page
    assert world.school.name in page
    assert "Pensamiento matemático" in page
    assert "1 evidencia" in page and "1 escuela la adoptó" in page
    assert f"/evidencias/{evidence.id}" in page
    assert "1 práctica" in page


def test_library_filters_from_the_query_string(client, login_as, world, categories):
    services.create_practice(world.school, practice_data(), actor=world.people["director"])
    services.create_practice(
        world.far,
        practice_data(
            title="Huerto", visibility="todos", level="secundaria", categories=["lectura-escritura"]
        ),
        actor=world.people["director_otra_zona"],
    )
    db.session.commit()
    login_as(world.people["admin"])
    assert "Huerto" not in client.get("/practicas?nivel=primaria").get_data(as_text=True)
    page = client.get(f"/practicas?zona={world.zone_b.cct}").get_data(as_text=True)
    assert "Huerto" in page and "Matemáticas en la cocina" not in page
    page = client.get("/practicas?categoria=lectura-escritura").get_data(as_text=True)
    assert "Huerto" in page and "cocina" not in page
    assert "No hay prácticas" in client.get("/practicas?evidencias=1").get_data(as_text=True)
    assert "No encontramos esa zona" in client.get("/practicas?zona=22XXX9999Z").get_data(as_text=True)


def test_library_pagination(client, login_as, world):
    for n in range(23):
        factories.create_practice(world.school, title=f"Práctica número {n:02d}")
    login_as(world.people["director"])
    first = client.get("/practicas").get_data(as_text=True)
    assert "23 prácticas" in first and "Página 1 de 2" in first and "page=2" in first
    second = client.get("/practicas?page=2").get_data(as_text=True)
    assert second.count('class="practice-card"') == 3
    assert client.get("/practicas?page=abc").status_code == 200
    assert client.get("/practicas?page=-3").status_code == 200


@pytest.mark.parametrize("query", ['"', "*", "OR (", "-", "'", "<script>alert(1)</script>"])
def test_library_hostile_queries(client, login_as, world, query):
    factories.create_practice(world.school)
    login_as(world.people["director"])
    response = client.get("/practicas", query_string={"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


# --- new and edit ------------------------------------------------------------------------------


def _form(**overrides):
    data = {
        "title": "Lotería de fracciones",
        "summary": "Jugamos lotería con fracciones.",
        "steps": "Repartir tarjetas.",
        "results": "Más participación.",
        "level": "primaria",
        "grades": ["4°", "5°"],
        "categories": ["pensamiento-matematico"],
        "visibility": "todos",
        "resources-0-description": "Tarjetas de lotería",
        "resources-0-criterion": "materiales",
        "resources-3-description": "Guía de juego",
        "resources-3-criterion": "estrategias",
        "links-1-url": "https://example.org/loteria",
        "links-1-label": "Plantilla",
    }
    data.update(overrides)
    return data


def test_new_practice_full_flow(client, login_as, world, categories):
    problem = factories.create_problem(world.school)
    login_as(world.people["director"])
    form_page = client.get(f"/escuelas/{world.school.cct}/practicas/nueva?problem_id={problem.id}")
    html = form_page.get_data(as_text=True)
    assert form_page.status_code == 200
    assert re.search(rf'<option selected value="{problem.id}"|<option value="{problem.id}" selected', html)
    assert html.count('name="resources-') == 10 and html.count('name="links-') == 6
    response = client.post(
        f"/escuelas/{world.school.cct}/practicas/nueva",
        data=_form(
            problem_id=str(problem.id),
            evidence_file=(io.BytesIO(png_bytes()), "foto.png"),
            evidence_caption="Alumnos jugando",
        ),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    practice = db.session.query(Practice).one()
    assert response.headers["Location"].endswith(f"/practicas/{practice.id}")
    assert practice.problem_id == problem.id
    assert [(r.description, r.criterion) for r in practice.resources] == [
        ("Tarjetas de lotería", "materiales"),
        ("Guía de juego", "estrategias"),
    ]
    assert [link.url for link in practice.links] == ["https://example.org/loteria"]
    assert practice.grades == ["4°", "5°"] and practice.visibility == "todos"
    assert db.session.query(Evidence).one().caption == "Alumnos jugando"

    detail = client.get(f"/practicas/{practice.id}").get_data(as_text=True)
    assert "Elaboración de materiales didácticos" in detail and "Estrategias didácticas" in detail
    assert 'class="thumbs"' in detail and "Alumnos jugando" in detail
    assert 'href="https://example.org/loteria"' in detail
    assert "A quién preguntar" in detail and world.school.name in detail
    assert "Adoptamos esta práctica" not in detail  # its own school does not adopt it


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"title": ""}, "Escribe el título."),
        ({"links-1-url": "javascript:alert(1)"}, "empiece con http:// o https://"),
        ({"resources-0-criterion": ""}, "criterio"),
        ({"visibility": "nadie"}, "quién puede ver"),
    ],
)
def test_new_practice_errors_keep_the_form(client, login_as, world, categories, overrides, message):
    login_as(world.people["docente"])
    response = client.post(f"/escuelas/{world.school.cct}/practicas/nueva", data=_form(**overrides))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "Jugamos lotería con fracciones." in page and 'value="Guía de juego"' in page
    assert db.session.query(Practice).count() == 0


def test_edit_shows_and_saves(client, login_as, world, categories):
    practice = services.create_practice(world.school, practice_data(), actor=world.people["director"])
    db.session.commit()
    login_as(world.people["docente"])
    page = client.get(f"/practicas/{practice.id}/editar").get_data(as_text=True)
    assert 'value="Matemáticas en la cocina"' in page and 'value="Tazas medidoras y recetas"' in page
    response = client.post(f"/practicas/{practice.id}/editar", data=_form(title="Fracciones en la cocina"))
    assert response.status_code == 302
    db.session.expire_all()
    practice = db.session.get(Practice, practice.id)
    assert practice.title == "Fracciones en la cocina"
    assert "fracciones en la cocina" in practice.search_text


def test_unknown_ids_are_404(client, login_as, world):
    login_as(world.people["admin"])
    assert client.get("/practicas/999999").status_code == 404
    assert client.get("/practicas/999999/editar").status_code == 404
    assert client.post("/practicas/999999/la-adoptamos").status_code == 404
    assert client.get("/escuelas/22XXX0000Z/practicas/nueva").status_code == 404


# --- adoption ----------------------------------------------------------------------------------


def test_adopt_from_the_page(client, login_as, world, categories):
    """One adopt action on the page, the one that writes the commitment in the bitácora."""
    practice = services.create_practice(world.school, practice_data(), actor=world.people["director"])
    db.session.commit()
    login_as(world.people["director_misma_zona"])
    page = client.get(f"/practicas/{practice.id}").get_data(as_text=True)
    assert page.count(f"/practicas/{practice.id}/la-adoptamos") == 1
    assert f"/practicas/{practice.id}/adoptar" not in page
    due = (local_today() + timedelta(days=7)).isoformat()
    response = client.post(
        f"/practicas/{practice.id}/la-adoptamos",
        data={"responsible": "Mtra. Ana", "due_date": due, "notes": "En 5°"},
    )
    assert response.status_code == 302
    adoption = db.session.query(Adoption).one()
    assert adoption.school_id == world.sibling.id and adoption.commitment_id is not None
    page = client.get(f"/practicas/{practice.id}").get_data(as_text=True)
    assert world.sibling.name in page and "En proceso" in page and "En 5°" in page
    assert f"/practicas/{practice.id}/la-adoptamos" not in page  # adopted: follow the commitment up


def test_user_text_is_escaped(client, login_as, world, categories):
    practice = services.create_practice(
        world.school,
        practice_data(title="<script>alert(1)</script>", summary="<b>negrita</b>"),
        actor=world.people["director"],
    )
    db.session.commit()
    login_as(world.people["director"])
    page = client.get(f"/practicas/{practice.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<b>negrita</b>" not in page
