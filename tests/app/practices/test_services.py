"""Services: recording and editing practices, their validation, the search text, adoptions."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.practices import services
from app.practices.models import Adoption
from app.validation import PermissionDenied, ValidationError
from tests import factories
from tests.app.practices.conftest import practice_data


def test_create_practice_stores_every_field(world, categories):
    problem = factories.create_problem(world.school)
    practice = services.create_practice(
        world.school, practice_data(problem_id=problem.id), actor=world.people["director"]
    )
    db.session.commit()
    assert practice.id is not None
    assert practice.title == "Matemáticas en la cocina"
    assert practice.school is world.school
    assert practice.author is world.people["director"]
    assert practice.grades == ["4°", "5°"]
    assert [c.code for c in practice.categories] == ["pensamiento-matematico"]
    assert [(r.description, r.criterion) for r in practice.resources] == [
        ("Tazas medidoras y recetas", "materiales")
    ]
    assert [(link.url, link.label) for link in practice.links] == [("https://www.gob.mx/sep", "SEP")]
    assert practice.problem_id == problem.id
    assert practice.visibility == "zona"


def test_search_text_is_folded_and_covers_every_source(world, categories):
    practice = services.create_practice(
        world.school,
        practice_data(
            title="ÁRBOL de Lectura",
            summary="Niñas y niños leen",
            steps="Préstamo a domicilio",
            results="Más participación",
            resources=[{"description": "Cuentos ilustrados", "criterion": "contenidos"}],
            categories=["lectura-escritura"],
        ),
        actor=world.people["director"],
    )
    text = practice.search_text
    assert text == services.practice_search_text(practice)
    for word in (
        "arbol de lectura",
        "ninas y ninos leen",
        "prestamo a domicilio",
        "mas participacion",
        "cuentos ilustrados",
        "lectura y escritura",
        "escuela primaria benito juarez",
        "queretaro",
    ):
        assert word in text
    assert text == text.lower()
    assert "á" not in text and "ñ" not in text


def test_search_text_is_recomputed_on_update(world, categories):
    practice = services.create_practice(world.school, practice_data(), actor=world.people["director"])
    services.update_practice(practice, {"title": "Huerto escolar"}, actor=world.people["docente"])
    assert "huerto escolar" in practice.search_text
    assert "matematicas en la cocina" not in practice.search_text
    assert practice.summary.startswith("Los alumnos")  # a partial update keeps the other fields


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"summary": "   "}, "summary"),
        ({"level": "universidad"}, "level"),
        ({"grades": ["7°"]}, "grades"),
        ({"grades": "4°"}, "grades"),
        ({"visibility": "publica"}, "visibility"),
        ({"categories": ["no-existe"]}, "categories"),
        ({"resources": [{"description": "Fichas", "criterion": "otro"}]}, "resources"),
        ({"resources": [{"description": "Fichas"}]}, "resources"),
        ({"resources": [{"description": "x" * 501, "criterion": "materiales"}]}, "resources"),
        ({"links": [{"url": "javascript:alert(1)", "label": "x"}]}, "links"),
        ({"links": [{"url": "ftp://example.org/a", "label": ""}]}, "links"),
        ({"links": [{"url": "www.example.org", "label": ""}]}, "links"),
        ({"problem_id": "abc"}, "problem_id"),
        ({"problem_id": 999999}, "problem_id"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_each_validation_error(world, categories, overrides, field):
    with pytest.raises(ValidationError) as info:
        services.create_practice(world.school, practice_data(**overrides), actor=world.people["director"])
    assert field in info.value.errors
    assert info.value.errors[field]  # a message for the person


def test_problem_must_belong_to_the_same_school(world, categories):
    other_problem = factories.create_problem(world.sibling)
    with pytest.raises(ValidationError) as info:
        services.create_practice(
            world.school, practice_data(problem_id=other_problem.id), actor=world.people["director"]
        )
    assert "misma escuela" in info.value.errors["problem_id"]


def test_empty_rows_are_ignored_and_level_defaults_to_the_school(world, categories):
    practice = services.create_practice(
        world.school,
        practice_data(
            level="",
            resources=[{"description": " ", "criterion": "materiales"}],
            links=[{"url": " "}],
        ),
        actor=world.people["director"],
    )
    assert practice.level == world.school.level
    assert practice.resources == [] and practice.links == []


def test_only_members_or_admin_record_practices(world, categories):
    for role in ("supervisor_zona", "director_misma_zona", "asesor_asignado"):
        with pytest.raises(PermissionDenied):
            services.create_practice(world.school, practice_data(), actor=world.people[role])
    assert services.create_practice(world.school, practice_data(), actor=world.people["admin"]).id


def test_update_refused_to_another_school(world, categories):
    practice = services.create_practice(world.school, practice_data(), actor=world.people["director"])
    with pytest.raises(PermissionDenied):
        services.update_practice(practice, {"title": "Otro"}, actor=world.people["director_misma_zona"])


def test_update_replaces_resources_and_links(world, categories):
    practice = services.create_practice(world.school, practice_data(), actor=world.people["director"])
    services.update_practice(
        practice,
        {
            "resources": [{"description": "Lotería de fracciones", "criterion": "estrategias"}],
            "links": [],
        },
        actor=world.people["director"],
    )
    db.session.commit()
    assert [r.description for r in practice.resources] == ["Lotería de fracciones"]
    assert practice.links == []
    assert "loteria de fracciones" in practice.search_text


# --- adoptions ---------------------------------------------------------------------------------


def test_adopting_twice_updates_the_same_adoption(world, categories):
    practice = services.create_practice(world.school, practice_data(), actor=world.people["director"])
    adopter = world.people["director_misma_zona"]
    first = services.adopt_practice(
        practice, world.sibling, {"outcome": "en_proceso", "notes": "Iniciamos"}, actor=adopter
    )
    db.session.commit()
    second = services.adopt_practice(
        practice, world.sibling, {"outcome": "bueno", "notes": "Funcionó"}, actor=adopter
    )
    db.session.commit()
    assert first.id == second.id
    assert db.session.query(Adoption).count() == 1
    assert second.outcome == "bueno" and second.notes == "Funcionó"


def test_adoption_validates_outcome(world, categories):
    practice = services.create_practice(world.school, practice_data(), actor=world.people["director"])
    with pytest.raises(ValidationError) as info:
        services.adopt_practice(
            practice, world.sibling, {"outcome": "excelente"}, actor=world.people["director_misma_zona"]
        )
    assert "outcome" in info.value.errors


@pytest.mark.parametrize(
    "role", ["director", "docente", "admin", "supervisor_zona", "director_otra_zona", "asesor_asignado"]
)
def test_who_may_not_adopt(world, categories, role):
    practice = services.create_practice(world.school, practice_data(), actor=world.people["director"])
    with pytest.raises(PermissionDenied):
        services.adopt_practice(
            practice,
            world.people[role].school or world.sibling,
            {"outcome": "bueno"},
            actor=world.people[role],
        )


def test_cannot_adopt_for_another_school(world, categories):
    practice = services.create_practice(
        world.school, practice_data(visibility="todos"), actor=world.people["director"]
    )
    with pytest.raises(PermissionDenied):
        services.adopt_practice(
            practice, world.far, {"outcome": "bueno"}, actor=world.people["director_misma_zona"]
        )


def test_update_adoption(world, categories):
    practice = services.create_practice(world.school, practice_data(), actor=world.people["director"])
    adoption = services.adopt_practice(practice, world.sibling, {}, actor=world.people["director_misma_zona"])
    assert adoption.outcome == "en_proceso"
    services.update_adoption(adoption, {"outcome": "regular"}, actor=world.people["director_misma_zona"])
    assert adoption.outcome == "regular"
    with pytest.raises(ValidationError):
        services.update_adoption(adoption, {"outcome": "??"}, actor=world.people["director_misma_zona"])
    with pytest.raises(PermissionDenied):
        services.update_adoption(adoption, {"outcome": "bueno"}, actor=world.people["director"])
