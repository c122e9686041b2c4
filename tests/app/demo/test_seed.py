"""``flask demo seed`` on the test database, with the real Querétaro catalogue (about 5,000 rows).

The seed runs once for the module (through the CLI, as a person would run it); the tests read what
it left, log in as its accounts and run it a second time. The module cleans the database at the end.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.auth.models import ROLES, User
from app.catalogue.models import School
from app.commitments.models import Commitment
from app.demo import services
from app.extensions import db as _db
from app.practices.models import Adoption, Evidence, Practice
from app.problems.models import Category, Problem
from tests.conftest import _empty_all_tables

TABLE_ROW = re.compile(r"^(admin|supervisor|asesor|director|docente)\s+(\S+@\S+)\s+(\S+)\s+(.+)$")


def _table(output: str) -> list[tuple[str, ...]]:
    return [m.groups() for m in map(TABLE_ROW.match, output.splitlines()) if m]


def _counts() -> dict[str, int]:
    rows = {}
    for table in reversed(_db.metadata.sorted_tables):
        rows[table.name] = _db.session.execute(select(func.count()).select_from(table)).scalar_one()
    return rows


@pytest.fixture(scope="module")
def seeded(app):
    """Run ``flask demo seed`` once on an empty test database; empty it again afterwards."""
    with app.app_context():
        assert _db.session.execute(select(func.count(School.id))).scalar_one() == 0
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    yield result.output
    with app.app_context():
        _empty_all_tables()


@pytest.fixture
def ctx(app, seeded):
    with app.app_context():
        yield
        _db.session.rollback()


def test_seed_imports_the_real_catalogue_taxonomy_and_enlace(ctx):
    assert _db.session.execute(select(func.count(School.id))).scalar_one() > 3000
    assert _db.session.execute(select(func.count(Category.id))).scalar_one() == 23
    with_score = _db.session.execute(
        select(func.count(School.id)).where(School.enlace_math6.is_not(None))
    ).scalar_one()
    assert with_score > 1000


def test_at_least_two_real_zones_with_schools_and_problems(ctx, seeded):
    zones = services.demo_zones()
    assert len(zones) >= 2
    for zone in zones:
        assert zone.cct in seeded
        schools = _db.session.execute(select(School).filter_by(zone_id=zone.id)).scalars().all()
        assert len(schools) >= 10
        with_problems = {
            p.school_id
            for p in _db.session.execute(
                select(Problem).join(School).where(School.zone_id == zone.id)
            ).scalars()
        }
        assert len(with_problems) == len(schools)


def test_every_role_has_an_account_in_the_printed_table(ctx, seeded):
    table = _table(seeded)
    assert {row[0] for row in table} == set(ROLES)
    for role, email, password, place in table:
        user = _db.session.execute(select(User).filter_by(email=email)).scalar_one()
        assert user.role == role
        assert password == services.DEFAULT_PASSWORD
        assert place.strip()
    zones = services.demo_zones()
    supervisors = {
        u.zone_id for u in _db.session.execute(select(User).filter_by(role="supervisor")).scalars()
    }
    assert supervisors == {z.id for z in zones}
    assert "supervisor.zona5@demo.aprendizaje.mx" in seeded
    advisor = _db.session.execute(select(User).filter_by(role="asesor")).scalar_one()
    assert {z.id for z in advisor.advised_zones} == {z.id for z in zones}
    for zone in zones:
        teachers = (
            _db.session.execute(
                select(User)
                .join(School, User.school_id == School.id)
                .where(User.role == "docente", School.zone_id == zone.id)
            )
            .scalars()
            .all()
        )
        assert len(teachers) >= 3


@pytest.mark.parametrize("role", ROLES)
def test_each_role_can_log_in_through_the_form(app, ctx, seeded, role):
    email = next(row[1] for row in _table(seeded) if row[0] == role)
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": services.DEFAULT_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert "/login" not in response.headers["Location"]
    home = client.get("/")
    assert home.status_code == 200
    user = _db.session.execute(select(User).filter_by(email=email)).scalar_one()
    assert user.name in home.get_data(as_text=True)


def test_wrong_password_is_refused_for_a_demo_account(app, ctx):
    client = app.test_client()
    response = client.post("/login", data={"email": services.ADMIN_EMAIL, "password": "otra-cosa-123"})
    assert response.status_code != 302


def test_low_enlace_primarias_have_a_math_problem_citing_their_score(ctx, seeded):
    cut = services.low_enlace_cut()
    assert cut is not None and f"{cut:.1f}" in seeded
    low = []
    for zone in services.demo_zones():
        for school in _db.session.execute(select(School).filter_by(zone_id=zone.id)).scalars():
            if school.level == "primaria" and school.enlace_math6 is not None and school.enlace_math6 < cut:
                low.append(school)
    assert len(low) >= 10
    for school in low:
        problems = _db.session.execute(select(Problem).filter_by(school_id=school.id)).scalars().all()
        math = [
            p
            for p in problems
            if any(
                pc.category.code == "pensamiento-matematico" and pc.priority == "alta" for pc in p.categories
            )
        ]
        assert math, school.cct
        score = f"{school.enlace_math6:.1f}"
        assert any(
            f"ENLACE 2011 la escuela obtuvo {score} puntos en Matemáticas de 6°" in p.description
            for p in math
        ), (school.cct, score)
    # Schools above the cut do not get the ENLACE text.
    high = (
        _db.session.execute(
            select(Problem)
            .join(School)
            .where(School.enlace_math6 >= cut, Problem.description.contains("ENLACE 2011"))
        )
        .scalars()
        .all()
    )
    assert high == []


def test_problems_are_complete_and_shared_between_schools(ctx):
    problems = _db.session.execute(select(Problem)).scalars().all()
    assert len(problems) >= 60
    for problem in problems:
        assert problem.ambito is not None and problem.areas, problem.title
        assert problem.causes and problem.actions_tried and problem.results
        assert problem.created_by is not None and problem.created_by.school_id == problem.school_id
    by_title: dict[str, set[int]] = {}
    for problem in problems:
        by_title.setdefault(problem.title, set()).add(problem.school_id)
    shared = [title for title, schools in by_title.items() if len(schools) >= 3]
    assert len(shared) >= 5
    assert {p.status for p in problems} >= {"abierta", "en_atencion", "resuelta"}
    assert len({tuple(p.grades) for p in problems}) >= 4


def test_schools_with_progress_have_practices_evidence_and_adoptions(ctx):
    practices = _db.session.execute(select(Practice)).scalars().all()
    assert len(practices) >= 6
    for practice in practices:
        assert practice.problem is not None and practice.problem.school_id == practice.school_id
        assert practice.problem.status in ("en_atencion", "resuelta")
        assert practice.resources and practice.categories and practice.search_text
    assert _db.session.execute(select(func.count(Evidence.id))).scalar_one() >= 3
    evidence = _db.session.execute(select(Evidence)).scalars().first()
    assert evidence.mime_type == "image/png"
    adoptions = _db.session.execute(select(Adoption)).scalars().all()
    assert len(adoptions) >= 4
    assert {a.outcome for a in adoptions} >= {"bueno", "en_proceso"}
    for adoption in adoptions:
        assert adoption.school_id != adoption.practice.school_id
        assert adoption.school.zone_id == adoption.practice.school.zone_id
        # Seeded through the one adopt action: the commitment is in the school's bitácora, and the
        # outcome already reported set its status.
        commitment = _db.session.get(Commitment, adoption.commitment_id)
        assert commitment is not None and commitment.school_id == adoption.school_id
        expected = {"bueno": "cumplido", "regular": "cumplido", "en_proceso": "pendiente"}[adoption.outcome]
        assert commitment.status == expected, (adoption.outcome, commitment.status)


def test_second_run_changes_nothing_and_prints_the_same_accounts(app, seeded):
    with app.app_context():
        before = _counts()
        updated = _db.session.execute(select(func.max(Problem.updated_at))).scalar_one()
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert _table(result.output) == _table(seeded)
    assert "Nada nuevo" in result.output
    with app.app_context():
        assert _counts() == before
        assert _db.session.execute(select(func.max(Problem.updated_at))).scalar_one() == updated


def test_demo_password_comes_from_the_environment(app, seeded, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "otra-clave-de-demo-1")
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    try:
        assert result.exit_code == 0, result.output
        assert {row[2] for row in _table(result.output)} == {"otra-clave-de-demo-1"}
        response = app.test_client().post(
            "/login", data={"email": services.ADMIN_EMAIL, "password": "otra-clave-de-demo-1"}
        )
        assert response.status_code == 302
    finally:
        monkeypatch.delenv("DEMO_PASSWORD")
        again = app.test_cli_runner().invoke(args=["demo", "seed"])
        assert again.exit_code == 0


def test_a_too_short_demo_password_is_refused(app, seeded):
    result = app.test_cli_runner().invoke(args=["demo", "seed", "--password", "corta"])
    assert result.exit_code != 0
    assert "al menos" in result.output


def test_a_community_joins_schools_of_both_demo_zones(ctx):
    """Issue 14: the demo shows a community of practice across the two zones, with a post and a reply."""
    from app.communities.models import Community, CommunityPost
    from app.demo.network import COMMUNITY_NAME

    community = _db.session.execute(select(Community).filter_by(name=COMMUNITY_NAME)).scalar_one()
    zones = {m.school.zone_id for m in community.members if m.school}
    assert len(zones) == 2
    posts = _db.session.execute(select(CommunityPost).filter_by(community_id=community.id)).scalars().all()
    assert len(posts) == 2 and sum(1 for p in posts if p.parent_id) == 1
