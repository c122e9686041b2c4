"""The library search: accent- and case-insensitive, filters, pagination, ranking, hostile input."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.extensions import db
from app.practices import library as library_module
from app.practices import services
from app.practices.models import Evidence
from tests import factories
from tests.app.practices.conftest import practice_data


@pytest.fixture
def library(world, categories):
    """Practices of three schools, written through the service so search_text is real."""
    director, sibling, far = (
        world.people[k] for k in ("director", "director_misma_zona", "director_otra_zona")
    )
    made = {
        "cocina": services.create_practice(world.school, practice_data(), actor=director),
        "lectura": services.create_practice(
            world.sibling,
            practice_data(
                title="Círculos de lectura en voz alta",
                summary="Lectura compartida con familias.",
                steps="Cada viernes leemos un cuento.",
                results="Más préstamos de libros.",
                categories=["lectura-escritura"],
                resources=[],
                level="primaria",
                visibility="todos",
            ),
            actor=sibling,
        ),
        "huerto": services.create_practice(
            world.far,
            practice_data(
                title="Huerto escolar",
                summary="Cuidamos plantas y medimos su crecimiento.",
                steps="Sembrar, regar y registrar.",
                results="Interés por las ciencias.",
                categories=[],
                resources=[],
                level="secundaria",
                visibility="todos",
            ),
            actor=far,
        ),
        "privada": services.create_practice(
            world.far,
            practice_data(
                title="Matemáticas con dominó",
                summary="Solo para nuestra escuela.",
                visibility="escuela",
                categories=["pensamiento-matematico"],
            ),
            actor=far,
        ),
    }
    db.session.add(
        Evidence(
            practice=made["lectura"],
            original_name="a.png",
            stored_name="x1.png",
            mime_type="image/png",
            size=10,
        )
    )
    db.session.commit()
    return made


def titles(result):
    practices, total = result
    assert len(practices) <= total
    return [p.title for p in practices]


@pytest.mark.parametrize(
    "query", ["MATEMATICAS", "matemáticas", "Matemáticas", "cocina", "COCINA", "matemat", "cocína en"]
)
def test_accent_and_case_insensitive(world, library, query):
    assert "Matemáticas en la cocina" in titles(services.search_practices(world.people["admin"], q=query))


def test_words_are_all_required(world, library):
    admin = world.people["admin"]
    assert titles(services.search_practices(admin, q="matemáticas cocina")) == ["Matemáticas en la cocina"]
    assert titles(services.search_practices(admin, q="matemáticas huerto")) == []


def test_school_name_and_category_names_are_searchable(world, library):
    admin = world.people["admin"]
    assert "Matemáticas en la cocina" in titles(services.search_practices(admin, q="benito juarez"))
    assert titles(services.search_practices(admin, q="Lectura y escritura")) == [
        "Círculos de lectura en voz alta"
    ]


def test_search_respects_visibility(world, library):
    found = titles(services.search_practices(world.people["director"], q="matematicas"))
    assert found == ["Matemáticas en la cocina"]  # the other school's private practice is not shown
    assert set(titles(services.search_practices(world.people["admin"], q="matematicas"))) == {
        "Matemáticas en la cocina",
        "Matemáticas con dominó",
    }


def test_filters(world, library):
    admin = world.people["admin"]
    assert set(titles(services.search_practices(admin, level="secundaria"))) == {"Huerto escolar"}
    assert set(titles(services.search_practices(admin, category="lectura-escritura"))) == {
        "Círculos de lectura en voz alta"
    }
    assert set(titles(services.search_practices(admin, zone_id=world.zone_b.id))) == {
        "Huerto escolar",
        "Matemáticas con dominó",
    }
    assert titles(services.search_practices(admin, with_evidence=True)) == ["Círculos de lectura en voz alta"]
    assert titles(services.search_practices(admin, q="matematicas", zone_id=world.zone_a.id)) == [
        "Matemáticas en la cocina"
    ]
    assert titles(services.search_practices(admin, q="huerto", level="primaria")) == []


def test_without_query_newest_first(world, library):
    practices, total = services.search_practices(world.people["admin"])
    assert total == 4
    stamps = [(p.created_at, p.id) for p in practices]
    assert stamps == sorted(stamps, reverse=True)


def test_pagination(world, categories):
    for n in range(7):
        factories.create_practice(
            world.school, title=f"Tutoría entre pares {n}", search_text=f"tutoria entre pares {n}"
        )
    admin = world.people["admin"]
    pages = [services.search_practices(admin, q="tutoría", page=n, per_page=3) for n in (1, 2, 3, 4)]
    assert [len(p) for p, _ in pages] == [3, 3, 1, 0]
    assert {total for _, total in pages} == {7}
    ids = [p.id for page, _ in pages for p in page]
    assert len(set(ids)) == 7
    plain = [services.search_practices(admin, page=n, per_page=3)[0] for n in (1, 2, 3)]
    assert len({p.id for page in plain for p in page}) == 7


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "OR (",
        "-",
        "'",
        'cocina"',
        "NEAR(a b)",
        "a:b",
        "^coc",
        "matemáticas -cocina",
        "AND",
        "NOT cocina",
        "\\",
        "%_",
        "{}[]",
        "cocina*",
        "🍳 cocina",
        "x" * 300,
    ],
)
def test_hostile_queries_never_fail(world, library, query):
    practices, total = services.search_practices(world.people["admin"], q=query)
    assert total >= len(practices) >= 0
    if "cocina" in query and "NOT" not in query:
        assert "Matemáticas en la cocina" in [p.title for p in practices]


def test_only_stop_words_find_nothing(world, library):
    assert services.search_practices(world.people["admin"], q="de la en") == ([], 0)


def test_title_match_ranks_first(world, categories):
    director = world.people["director"]
    services.create_practice(
        world.school,
        practice_data(
            title="Proyecto de convivencia",
            summary="Acuerdos de grupo para resolver conflictos.",
            steps="Asambleas semanales. Al final incluimos un rincón de ajedrez.",
            categories=[],
            resources=[],
        ),
        actor=director,
    )
    services.create_practice(
        world.school,
        practice_data(
            title="Ajedrez en el recreo",
            summary="Torneo de ajedrez para desarrollar el pensamiento.",
            categories=[],
            resources=[],
        ),
        actor=director,
    )
    services.create_practice(
        world.school,
        practice_data(
            title="Bitácora del grupo",
            summary="Registro diario de actividades y una partida de ajedrez.",
            categories=[],
            resources=[],
        ),
        actor=director,
    )
    db.session.commit()
    found = titles(services.search_practices(world.people["admin"], q="ajedrez"))
    assert found[0] == "Ajedrez en el recreo"
    assert len(found) == 3


def test_query_uses_the_full_text_index(world, library):
    from sqlalchemy import select

    from app.practices.models import Practice
    from app.practices.search import text_search

    dialect = db.engine.dialect.name
    stmt = text_search(select(Practice.id), dialect, ["cocina"], Practice.id).stmt
    compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    if dialect == "postgresql":
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(str(row[0]) for row in db.session.execute(text(f"EXPLAIN {compiled}")))
        assert "ix_practices_search_tsv" in plan
    else:
        plan = "\n".join(str(row[-1]) for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
        assert "VIRTUAL TABLE INDEX" in plan and "practices_fts" in plan


def test_rank_window_pages_cover_every_match_once(world, categories, monkeypatch):
    monkeypatch.setattr(library_module, "RANK_WINDOW", 3)
    occurrences = [5, 1, 1, 1, 3, 1, 2]
    made = [
        factories.create_practice(
            world.school, title=f"Tutoría {n}", search_text="tutoria " * k + f"entre pares numero{n}"
        )
        for n, k in enumerate(occurrences)
    ]
    admin = world.people["admin"]
    pages = [services.search_practices(admin, q="tutoria", page=n, per_page=2) for n in (1, 2, 3, 4, 5)]
    ids = [p.id for page, _ in pages for p in page]
    assert {total for _, total in pages} == {7}
    assert sorted(ids) == sorted(p.id for p in made) and len(ids) == 7
    # The three most recent are ranked (most occurrences first), the older four follow newest first,
    # even the oldest, which would rank first.
    assert ids[:3] == [made[4].id, made[6].id, made[5].id]
    assert ids[3:] == [made[3].id, made[2].id, made[1].id, made[0].id]
    # With a window that holds every match, the ranking is exact.
    monkeypatch.setattr(library_module, "RANK_WINDOW", 100)
    assert [p.id for p in services.search_practices(admin, q="tutoria", per_page=3)[0]] == [
        made[0].id,
        made[4].id,
        made[6].id,
    ]
