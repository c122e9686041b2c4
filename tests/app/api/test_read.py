"""The read side: zones, schools, problems, practices, categories, me; pagination and shapes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from app.extensions import db
from app.practices.models import Evidence

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


@pytest.fixture
def admin(client, login_as, world):
    return login_as(world.users["admin"])


def test_me(client, login_as, world):
    asesor = world.users["asesor"]
    login_as(asesor)
    body = client.get("/api/v1/me").get_json()
    assert body["email"] == asesor.email
    assert body["role"] == "asesor"
    assert [s["cct"] for s in body["advised_schools"]] == [world.school.cct]
    assert body["school"] is None and body["zone"] is None


def test_zone_detail(client, admin, world):
    body = client.get(f"/api/v1/zones/{world.zone.cct.lower()}").get_json()
    assert body["cct"] == world.zone.cct
    assert body["school_count"] == 2
    assert body["url"] == f"/api/v1/zones/{world.zone.cct}"
    assert ISO_UTC.match(body["created_at"])


def test_zone_schools(client, admin, world):
    body = client.get(f"/api/v1/zones/{world.zone.cct}/schools").get_json()
    assert [s["cct"] for s in body["items"]] == [world.school.cct, world.sibling.cct]
    assert body["items"][0]["zone"]["cct"] == world.zone.cct


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"zone": "22FIZ0002B"}, ["22DPR0003C"]),
        ({"zone": "22fiz0001a"}, ["22DPR0001A", "22DPR0002B"]),
        ({"zone": "22FIZ9999X"}, []),
        ({"q": "hidalgo"}, ["22DPR0002B"]),
        ({"q": "Juárez"}, ["22DPR0001A"]),
        ({"q": "0003"}, ["22DPR0003C"]),
        ({"q": "100%"}, []),
        ({"level": "secundaria"}, []),
        ({"level": "primaria", "zone": "22FIZ0001A"}, ["22DPR0001A", "22DPR0002B"]),
    ],
)
def test_school_filters(client, admin, world, query, expected):
    body = client.get("/api/v1/schools", query_string=query).get_json()
    assert [s["cct"] for s in body["items"]] == expected
    assert body["total"] == len(expected)


def test_school_detail(client, admin, world):
    body = client.get(f"/api/v1/schools/{world.school.cct}").get_json()
    assert body["name"] == "ESCUELA BENITO JUAREZ"
    assert body["problems_url"] == f"/api/v1/schools/{world.school.cct}/problems"


def test_school_problems_and_filters(client, admin, world, create_problem):
    resolved = create_problem(world.school, title="Resuelta", status="resuelta", school_year="2020-2021")
    create_problem(world.sibling, title="De otra escuela")
    body = client.get(f"/api/v1/schools/{world.school.cct}/problems").get_json()
    assert [p["id"] for p in body["items"]] == sorted([world.problem.id, resolved.id], reverse=True)
    only = client.get(f"/api/v1/schools/{world.school.cct}/problems?status=resuelta").get_json()
    assert [p["title"] for p in only["items"]] == ["Resuelta"]
    year = client.get(f"/api/v1/schools/{world.school.cct}/problems?school_year=2020-2021")
    assert year.get_json()["total"] == 1


def test_problem_detail(client, admin, world):
    body = client.get(f"/api/v1/problems/{world.problem.id}").get_json()
    assert body["school"]["cct"] == world.school.cct
    assert body["status"] == "abierta"
    assert body["grades"] == ["4°", "5°", "6°"]
    assert {(c["code"], c["priority"], c["facet"]) for c in body["categories"]} == {
        ("amb-aprovechamiento", "alta", "ambito"),
        ("pensamiento-matematico", "alta", "area"),
    }
    assert ISO_UTC.match(body["updated_at"])


def test_practice_detail(client, admin, world):
    db.session.add(
        Evidence(
            practice=world.practice,
            original_name="foto.jpg",
            stored_name="abc.jpg",
            mime_type="image/jpeg",
            size=10,
        )
    )
    db.session.commit()
    body = client.get(f"/api/v1/practices/{world.practice.id}").get_json()
    assert body["title"] == world.practice.title
    assert body["visibility"] == "zona"
    assert [c["code"] for c in body["categories"]] == ["pensamiento-matematico"]
    assert body["evidence"][0]["mime_type"] == "image/jpeg"
    assert body["adoptions"] == [] and body["resources"] == [] and body["links"] == []


def test_practice_search_filters(client, admin, world, create_practice):
    other = create_practice(
        world.far_school,
        title="Huerto escolar",
        summary="Sembramos y medimos.",
        categories=["lectura-escritura"],
        visibility="todos",
    )
    db.session.add(
        Evidence(
            practice=other, original_name="f.pdf", stored_name="f.pdf", mime_type="application/pdf", size=3
        )
    )
    db.session.commit()

    def ids(**query):
        response = client.get("/api/v1/practices", query_string=query)
        assert response.status_code == 200, response.get_json()
        return [p["id"] for p in response.get_json()["items"]]

    assert set(ids()) == {world.practice.id, other.id}
    assert ids(q="huerto") == [other.id]
    assert ids(category="lectura-escritura") == [other.id]
    assert ids(zone=world.zone.cct) == [world.practice.id]
    assert ids(zone="22FIZ9999X") == []
    assert ids(with_evidence="true") == [other.id]
    item = client.get("/api/v1/practices?q=huerto").get_json()["items"][0]
    assert (item["evidence_count"], item["adoption_count"]) == (1, 0)
    assert "steps" not in item  # the summary; the detail has steps, resources, links...
    assert ids(level="secundaria") == []


def test_categories(client, admin, world):
    body = client.get("/api/v1/categories").get_json()
    # ordered by facet, then code
    assert [c["code"] for c in body["items"]] == [
        "amb-aprovechamiento",
        "lectura-escritura",
        "pensamiento-matematico",
    ]
    assert [c["facet"] for c in body["items"]] == ["ambito", "area", "area"]
    areas = client.get("/api/v1/categories?facet=area").get_json()
    assert areas["total"] == 2


def test_pagination_envelope_and_link_header(client, admin, world, create_school):
    for n in range(5):
        create_school(world.zone, cct=f"22DPR010{n}Z", name=f"ESCUELA Z{n}")
    first = client.get(f"/api/v1/zones/{world.zone.cct}/schools?per_page=3")
    body = first.get_json()
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (1, 3, 7, 3)
    assert len(body["items"]) == 3
    links = first.headers["Link"]
    assert 'rel="next"' in links and 'rel="prev"' not in links
    assert "page=2" in links.split('rel="next"')[0].rsplit("<", 1)[1]
    seen = []
    for page in (1, 2, 3):
        response = client.get(f"/api/v1/zones/{world.zone.cct}/schools?per_page=3&page={page}")
        seen += [s["cct"] for s in response.get_json()["items"]]
    assert len(seen) == 7 and len(set(seen)) == 7  # stable order: no repeats, none lost
    last = client.get(f"/api/v1/zones/{world.zone.cct}/schools?per_page=3&page=3")
    assert 'rel="prev"' in last.headers["Link"] and 'rel="next"' not in last.headers["Link"]
    beyond = client.get(f"/api/v1/zones/{world.zone.cct}/schools?per_page=3&page=9").get_json()
    assert beyond["items"] == [] and beyond["total"] == 7


def test_link_header_keeps_filters(client, admin, world, create_school):
    for n in range(3):
        create_school(world.zone, cct=f"22DPR020{n}Z", name=f"ESCUELA Q{n}")
    response = client.get("/api/v1/schools?q=escuela+q&per_page=1")
    next_link = [part for part in response.headers["Link"].split(", ") if 'rel="next"' in part][0]
    assert "q=escuela+q" in next_link or "q=escuela%20q" in next_link


def test_per_page_is_capped(app, client, admin, world):
    body = client.get("/api/v1/schools?per_page=100000").get_json()
    assert body["per_page"] == app.config["API_MAX_PAGE_SIZE"]


def test_default_page_size(app, client, admin, world):
    assert client.get("/api/v1/schools").get_json()["per_page"] == app.config["API_PAGE_SIZE"]


def test_datetimes_are_utc_iso(client, admin, world):
    problem = world.problem
    problem.created_at = datetime(2025, 9, 1, 8, 30, tzinfo=UTC)
    db.session.commit()
    body = client.get(f"/api/v1/problems/{problem.id}").get_json()
    assert body["created_at"] == "2025-09-01T08:30:00Z"
