"""Counting the matches of a search: exact by default, stopped past a bound for the library."""

from __future__ import annotations

import pytest

from app.practices import library, services
from tests import factories


@pytest.fixture
def seven(world, categories):
    """Seven practices of one school that all match "tutoría"."""
    return [
        factories.create_practice(
            world.school,
            title=f"Tutoría entre pares {n}",
            search_text=f"tutoria entre pares {n}",
            visibility="todos",
        )
        for n in range(7)
    ]


def test_total_is_exact_without_a_limit(world, seven):
    practices, total = services.search_practices(world.people["admin"], q="tutoría", per_page=3)
    assert (len(practices), total, total.is_estimate) == (3, 7, False)


@pytest.mark.parametrize("q", ["tutoría", None], ids=["query", "no-query"])
def test_counting_stops_past_the_limit(world, seven, q):
    practices, total = services.search_practices(world.people["admin"], q=q, per_page=2, count_limit=3)
    # "More than 3": the bound plus one, flagged as an estimate; the page itself is complete.
    assert (len(practices), total, total.is_estimate) == (2, 4, True)


@pytest.mark.parametrize("q", ["tutoría", None], ids=["query", "no-query"])
def test_a_limit_above_the_matches_gives_the_exact_total(world, seven, q):
    _, total = services.search_practices(world.people["director_otra_zona"], q=q, count_limit=7)
    assert (total, total.is_estimate) == (7, False)


def test_the_bound_grows_with_the_page_so_the_pager_always_knows_if_more_follow(world, seven):
    admin = world.people["admin"]
    pages = [
        services.search_practices(admin, q="tutoria", page=n, per_page=2, count_limit=3) for n in (1, 2, 3, 4)
    ]
    # Pages 1-2: bound max(3, 4) = 4, seven found: "more than 4". Page 3: bound 6, still more.
    # Page 4: bound 8 holds them all: exact.
    assert [(int(t), t.is_estimate) for _, t in pages] == [(4, True), (5, True), (7, True), (7, False)]
    ids = [p.id for page, _ in pages for p in page]
    assert sorted(ids) == sorted(p.id for p in seven)


def test_the_limit_counts_only_what_the_person_may_see(world, categories):
    for n in range(4):
        factories.create_practice(
            world.far, title=f"Privada {n}", search_text=f"tutoria privada {n}", visibility="escuela"
        )
    factories.create_practice(
        world.school, title="Pública", search_text="tutoria publica", visibility="todos"
    )
    _, total = services.search_practices(world.people["director"], q="tutoria", per_page=1, count_limit=1)
    assert (total, total.is_estimate) == (1, False)  # the other school's private ones are not counted
    _, total = services.search_practices(
        world.people["director_otra_zona"], q="tutoria", per_page=1, count_limit=1
    )
    assert (total, total.is_estimate) == (2, True)


def test_library_shows_more_than_the_limit(client, world, seven, login_as, monkeypatch):
    monkeypatch.setattr(library, "COUNT_LIMIT", 3)
    monkeypatch.setattr("app.practices.routes.COUNT_LIMIT", 3)  # the page says the same limit
    monkeypatch.setattr("app.practices.routes.PER_PAGE", 2)
    login_as(world.people["director"])
    page = client.get("/practicas?q=tutoria").get_data(as_text=True)
    assert "Más de 3 prácticas" in page
    assert "7 prácticas" not in page


def test_library_shows_the_exact_count_below_the_limit(client, world, seven, login_as):
    login_as(world.people["director"])
    page = client.get("/practicas?q=tutoria").get_data(as_text=True)
    assert "7 prácticas" in page and "Más de" not in page


def test_library_pager_with_an_estimate_offers_the_next_page_without_a_last_page(
    client, world, seven, login_as, monkeypatch
):
    monkeypatch.setattr(library, "COUNT_LIMIT", 3)
    monkeypatch.setattr("app.practices.routes.COUNT_LIMIT", 3)  # the page says the same limit
    monkeypatch.setattr("app.practices.routes.PER_PAGE", 2)
    login_as(world.people["director"])
    page = client.get("/practicas?q=tutoria").get_data(as_text=True)
    assert "Página 1</span>" in page and "Página 1 de" not in page
    assert "page=2" in page
    last = client.get("/practicas?q=tutoria&page=4").get_data(as_text=True)
    assert "Página 4 de 4" in last and "Más de" not in last


@pytest.mark.parametrize("window,limit", [(3, 3), (5, 3), (100, 3), (7, 7), (100, 1000)])
def test_one_walk_gives_what_counting_apart_gives(world, categories, monkeypatch, window, limit):
    """On PostgreSQL the window of recent matches is also the count (one walk over the matches);
    totals and pages must be those of a separate count plus the ranked window."""
    made = [
        factories.create_practice(
            world.school,
            title=f"Tutoría {n}",
            visibility="todos",
            search_text="tutoria " * (n % 4 + 1) + f"pares numero{n}",
        )
        for n in range(7)
    ]
    monkeypatch.setattr(library, "RANK_WINDOW", window)
    director = world.people["director_otra_zona"]

    def pages():
        return [
            (int(total), total.is_estimate, [p.id for p in found])
            for found, total in (
                services.search_practices(director, q="tutoria pares", page=n, per_page=2, count_limit=limit)
                for n in (1, 2, 3, 4)
            )
        ]

    one_walk = pages()
    monkeypatch.setattr(
        library,
        "_counted_and_ranked",
        lambda search, bound, offset, per_page: (
            services._count(search.stmt, bound),
            services._ranked_ids(search, offset, per_page),
        ),
    )
    assert one_walk == pages()
    assert sorted(i for *_, ids in one_walk for i in ids) == sorted(p.id for p in made)
