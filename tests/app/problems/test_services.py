"""Services of the problems area: create, validation, update history, status, queries."""

from __future__ import annotations

import pytest

from app.problems.models import Problem, ProblemChange
from app.problems.services import (
    category_counts_for_zone,
    category_labels,
    change_status,
    create_problem,
    grades_for_level,
    problems_for_school,
    update_problem,
)
from app.validation import PermissionDenied, ValidationError


@pytest.fixture
def director(taxonomy, create_user):
    return create_user("director")


def test_create_problem_stores_everything(db, director, valid_data):
    problem = create_problem(director.school, valid_data(), actor=director)
    db.session.commit()
    stored = db.session.get(Problem, problem.id)
    assert stored.school_id == director.school_id
    assert stored.title == "Bajo logro en resolución de problemas"
    assert stored.grades == ["4°", "5°", "6°"]
    assert stored.status == "abierta"
    assert stored.school_year == "2025-2026"
    assert stored.created_by_id == director.id
    assert stored.ambito.category.code == "amb-aprovechamiento"
    assert {pc.category.code: pc.priority for pc in stored.areas} == {
        "pensamiento-matematico": "alta",
        "lectura-escritura": "media",
    }
    assert category_labels(stored) == [
        "amb-aprovechamiento:alta",
        "lectura-escritura:media",
        "pensamiento-matematico:alta",
    ]


def test_create_writes_a_creado_history_entry(db, director, valid_data):
    problem = create_problem(director.school, valid_data(causes=""), actor=director)
    db.session.commit()
    [change] = problem.changes
    assert change.action == "creado"
    assert change.user_id == director.id
    assert change.changes["title"] == [None, "Bajo logro en resolución de problemas"]
    assert change.changes["categories"][1][0] == "amb-aprovechamiento:alta"
    assert "causes" not in change.changes  # empty fields are not "changes"


def test_create_defaults_status_and_school_year(db, director, valid_data):
    data = valid_data()
    del data["status"], data["school_year"]
    problem = create_problem(director.school, data, actor=director)
    assert problem.status == "abierta"
    assert problem.school_year[:4].isdigit() and problem.school_year[4] == "-"


def test_create_normalises_grades_and_strips_text(db, director, valid_data):
    problem = create_problem(
        director.school,
        valid_data(grades=["6", "1°", "4º", "1°"], title="  Con espacios  ", status="En atención"),
        actor=director,
    )
    assert problem.grades == ["1°", "4°", "6°"]
    assert problem.title == "Con espacios"
    assert problem.status == "en_atencion"


@pytest.mark.parametrize(
    "override, field, fragment",
    [
        ({"title": ""}, "title", "título"),
        ({"title": "x" * 201}, "title", "máximo"),
        ({"description": "   "}, "description", "Describe"),
        ({"grades": ["7°"]}, "grades", "Grado no válido"),
        ({"grades": "4°"}, "grades", "lista"),
        ({"causes": "x" * 10_001}, "causes", "máximo"),
        ({"status": "cerrada"}, "status", "estado"),
        ({"school_year": ""}, "school_year", "ciclo escolar"),
        ({"school_year": "2025"}, "school_year", "2025-2026"),
        ({"school_year": "2025-2027"}, "school_year", "consecutivos"),
        ({"categories": []}, "categories", "ámbito"),
        ({"categories": [{"code": "pensamiento-matematico", "priority": "alta"}]}, "categories", "ámbito"),
        (
            {
                "categories": [
                    {"code": "amb-aprovechamiento", "priority": "alta"},
                    {"code": "amb-practicas", "priority": "media"},
                    {"code": "pensamiento-matematico", "priority": "alta"},
                ]
            },
            "categories",
            "exactamente un ámbito",
        ),
        (
            {"categories": [{"code": "amb-aprovechamiento", "priority": "alta"}]},
            "categories",
            "al menos un área",
        ),
        (
            {
                "categories": [
                    {"code": "amb-aprovechamiento", "priority": "alta"},
                    {"code": "no-existe", "priority": "alta"},
                ]
            },
            "categories",
            "desconocida",
        ),
        (
            {
                "categories": [
                    {"code": "amb-aprovechamiento", "priority": "urgente"},
                    {"code": "convivencia", "priority": "alta"},
                ]
            },
            "categories",
            "prioridad",
        ),
        (
            {
                "categories": [
                    {"code": "amb-aprovechamiento", "priority": "alta"},
                    {"code": "convivencia", "priority": "alta"},
                    {"code": "convivencia", "priority": "baja"},
                ]
            },
            "categories",
            "dos veces",
        ),
        ({"categories": "amb-aprovechamiento"}, "categories", "lista"),
    ],
)
def test_create_refuses_invalid_data(db, director, valid_data, override, field, fragment):
    with pytest.raises(ValidationError) as info:
        create_problem(director.school, valid_data(**override), actor=director)
    assert field in info.value.errors
    assert fragment.lower() in info.value.errors[field].lower()
    assert db.session.execute(db.select(Problem)).first() is None


def test_create_reports_every_bad_field_at_once(db, director, valid_data):
    with pytest.raises(ValidationError) as info:
        create_problem(director.school, valid_data(title="", school_year="x", categories=[]), actor=director)
    assert set(info.value.errors) == {"title", "school_year", "categories"}


def test_grades_follow_the_school_level(db, taxonomy, create_school, create_user, valid_data):
    kinder = create_school(level="preescolar")
    director = create_user("director", school=kinder)
    data = valid_data(
        categories=[
            {"code": "amb-aprovechamiento", "priority": "alta"},
            {"code": "lectura-escritura", "priority": "alta"},
        ]
    )
    with pytest.raises(ValidationError) as info:
        create_problem(kinder, data | {"grades": ["4°"]}, actor=director)
    assert "1°, 2°, 3°" in info.value.errors["grades"]
    assert create_problem(kinder, data | {"grades": ["3°"]}, actor=director).grades == ["3°"]
    assert grades_for_level("primaria") == ("1°", "2°", "3°", "4°", "5°", "6°")
    assert grades_for_level("inicial") == ()


def test_category_not_applicable_to_the_level_is_refused(
    db, taxonomy, create_school, create_user, valid_data
):
    cai = create_school(level="inicial")
    director = create_user("director", school=cai)
    with pytest.raises(ValidationError) as info:  # pensamiento-matematico: not inicial
        create_problem(cai, valid_data(grades=[]), actor=director)
    assert "no aplica" in info.value.errors["categories"]
    ok = create_problem(
        cai,
        valid_data(
            grades=[],
            categories=[
                {"code": "amb-comunidad", "priority": "media"},
                {"code": "familias-crianza", "priority": "alta"},
            ],
        ),
        actor=director,
    )
    assert ok.ambito.category.code == "amb-comunidad"


def test_inicial_has_no_grades(db, taxonomy, create_school, create_user, valid_data):
    cai = create_school(level="inicial")
    director = create_user("director", school=cai)
    with pytest.raises(ValidationError) as info:
        create_problem(
            cai,
            valid_data(
                categories=[
                    {"code": "amb-comunidad", "priority": "media"},
                    {"code": "familias-crianza", "priority": "alta"},
                ]
            ),
            actor=director,
        )
    assert "inicial" in info.value.errors["grades"]


@pytest.mark.parametrize("role", ["supervisor", "asesor", "other-director"])
def test_create_refused_to_who_may_not_record(db, taxonomy, create_user, valid_data, role):
    school_director = create_user("director")
    school = school_director.school
    if role == "supervisor":
        actor = create_user("supervisor", zone=school.zone)
    elif role == "asesor":
        actor = create_user("asesor")
        actor.advised_schools.append(school)
    else:
        actor = create_user("director")
    with pytest.raises(PermissionDenied):
        create_problem(school, valid_data(), actor=actor)


def test_admin_and_docente_may_record(db, taxonomy, create_user, valid_data):
    docente = create_user("docente")
    admin = create_user("admin")
    assert create_problem(docente.school, valid_data(), actor=docente).created_by_id == docente.id
    assert create_problem(docente.school, valid_data(), actor=admin).created_by_id == admin.id


def test_update_history_has_only_the_changed_fields(db, director, valid_data, create_user):
    problem = create_problem(director.school, valid_data(), actor=director)
    db.session.commit()
    docente = create_user("docente", school=director.school)
    update_problem(
        problem,
        valid_data(
            results="Ya resuelven problemas de una operación.",
            categories=[
                {"code": "amb-aprovechamiento", "priority": "media"},
                {"code": "pensamiento-matematico", "priority": "alta"},
            ],
        ),
        actor=docente,
    )
    db.session.commit()
    change = problem.changes[-1]
    assert change.action == "editado"
    assert change.user_id == docente.id
    assert change.changes == {
        "results": ["Mejoró el cálculo, no la resolución.", "Ya resuelven problemas de una operación."],
        "categories": [
            ["amb-aprovechamiento:alta", "lectura-escritura:media", "pensamiento-matematico:alta"],
            ["amb-aprovechamiento:media", "pensamiento-matematico:alta"],
        ],
    }
    assert category_labels(db.session.get(Problem, problem.id)) == [
        "amb-aprovechamiento:media",
        "pensamiento-matematico:alta",
    ]


def test_update_can_swap_categories_and_readd_one(db, director, valid_data):
    problem = create_problem(director.school, valid_data(), actor=director)
    db.session.commit()
    update_problem(
        problem,
        {
            "categories": [
                {"code": "amb-practicas", "priority": "baja"},
                {"code": "convivencia", "priority": "alta"},
            ]
        },
        actor=director,
    )
    db.session.commit()
    update_problem(
        problem,
        {
            "categories": [
                {"code": "amb-aprovechamiento", "priority": "alta"},
                {"code": "convivencia", "priority": "baja"},
            ]
        },
        actor=director,
    )
    db.session.commit()
    assert category_labels(problem) == ["amb-aprovechamiento:alta", "convivencia:baja"]


def test_update_with_partial_data_and_no_change_writes_nothing(db, director, valid_data):
    problem = create_problem(director.school, valid_data(), actor=director)
    db.session.commit()
    update_problem(problem, {"title": "Bajo logro en resolución de problemas"}, actor=director)
    update_problem(problem, valid_data(), actor=director)
    db.session.commit()
    assert [c.action for c in problem.changes] == ["creado"]
    update_problem(problem, {"grades": ["6°"]}, actor=director)
    db.session.commit()
    assert problem.changes[-1].changes == {"grades": [["4°", "5°", "6°"], ["6°"]]}


def test_update_refuses_bad_data_and_changes_nothing(db, director, valid_data):
    problem = create_problem(director.school, valid_data(), actor=director)
    db.session.commit()
    with pytest.raises(ValidationError) as info:
        update_problem(problem, {"title": "Nuevo", "description": ""}, actor=director)
    assert "description" in info.value.errors
    db.session.rollback()
    assert db.session.get(Problem, problem.id).title == "Bajo logro en resolución de problemas"


def test_update_refused_to_another_school(db, director, valid_data, create_user):
    problem = create_problem(director.school, valid_data(), actor=director)
    stranger = create_user("director")
    supervisor = create_user("supervisor", zone=director.school.zone)
    for actor in (stranger, supervisor):
        with pytest.raises(PermissionDenied):
            update_problem(problem, {"title": "Otro"}, actor=actor)
        with pytest.raises(PermissionDenied):
            change_status(problem, "resuelta", actor=actor)


def test_change_status_records_estado(db, director, valid_data):
    problem = create_problem(director.school, valid_data(), actor=director)
    db.session.commit()
    change_status(problem, "en_atencion", actor=director)
    change_status(problem, "en_atencion", actor=director)  # same status: nothing to record
    change_status(problem, "resuelta", actor=director)
    db.session.commit()
    assert problem.status == "resuelta"
    history = (
        db.session.execute(
            db.select(ProblemChange)
            .filter_by(problem_id=problem.id, action="estado")
            .order_by(ProblemChange.id)
        )
        .scalars()
        .all()
    )
    assert [h.changes for h in history] == [
        {"status": ["abierta", "en_atencion"]},
        {"status": ["en_atencion", "resuelta"]},
    ]


def test_change_status_refuses_unknown_status(db, director, valid_data):
    problem = create_problem(director.school, valid_data(), actor=director)
    with pytest.raises(ValidationError) as info:
        change_status(problem, "archivada", actor=director)
    assert "status" in info.value.errors
    assert problem.status == "abierta"


def test_problems_for_school_filters(db, taxonomy, create_school, create_problem):
    school = create_school()
    old = create_problem(school, school_year="2024-2025", status="resuelta")
    current = create_problem(school, school_year="2025-2026")
    create_problem(create_school())  # another school
    assert {p.id for p in problems_for_school(school)} == {old.id, current.id}
    assert [p.id for p in problems_for_school(school, school_year="2024-2025")] == [old.id]
    assert [p.id for p in problems_for_school(school, status="abierta")] == [current.id]
    assert problems_for_school(school, status="en_atencion") == []


def test_category_counts_for_zone_counts_open_problems(
    db, taxonomy, create_zone, create_school, create_problem
):
    zone = create_zone()
    a, b = create_school(zone), create_school(zone)
    create_problem(a, categories={"amb-aprovechamiento": "alta", "pensamiento-matematico": "alta"})
    create_problem(
        b, categories={"amb-aprovechamiento": "media", "convivencia": "alta"}, status="en_atencion"
    )
    create_problem(b, categories={"amb-comunidad": "alta", "convivencia": "alta"}, status="resuelta")
    create_problem(create_school(), categories={"amb-comunidad": "alta", "convivencia": "alta"})
    counts = {category.code: n for category, n in category_counts_for_zone(zone)}
    assert counts == {"amb-aprovechamiento": 2, "pensamiento-matematico": 1, "convivencia": 1}
    assert category_counts_for_zone(zone)[0][0].code == "amb-aprovechamiento"
    assert category_counts_for_zone(zone, school_year="1999-2000") == []
