from app.extensions import db
from app.groupings import services
from app.practices.models import Adoption
from tests import factories


def test_problem_recommendations_rank_and_explain(zone_with_problems):
    zone, schools, practice = zone_with_problems
    director = factories.create_user("director", school=schools[0])
    from app.problems.models import Problem

    problem = db.session.execute(db.select(Problem).filter_by(school_id=schools[0].id)).scalar_one()
    factories.create_practice(
        schools[4], categories=["convivencia", "pensamiento-matematico"], title="Asambleas y cálculo mental"
    )
    hidden = factories.create_practice(
        schools[2], categories=["pensamiento-matematico"], title="Práctica privada", visibility="escuela"
    )
    db.session.add(Adoption(practice=practice, school=schools[3], outcome="bueno"))
    db.session.commit()
    recs = services.recommend_practices_for_problem(problem, actor=director)
    titles = [r["practice"].title for r in recs]
    assert titles[0] == "Tianguis de matemáticas"
    assert "Asambleas y cálculo mental" in titles
    assert "Práctica privada" not in titles  # visibility 'escuela' of another school
    top = recs[0]
    assert top["good_adoptions"] == 1 and top["same_level"] is True
    assert any("Pensamiento" in name for name in top["shared"])
    assert hidden.id not in {r["practice"].id for r in recs}


def test_partner_recommendations_inside_and_beyond_zone(zone_with_problems):
    zone, schools, practice = zone_with_problems
    elsewhere = factories.create_school(factories.create_zone(), cct="22DPR0999Z", name="ESCUELA LEJANA")
    factories.create_problem(
        elsewhere, categories={"amb-aprovechamiento": "alta", "pensamiento-matematico": "alta"}
    )
    director = factories.create_user("director", school=schools[0])
    result = services.recommend_partners_for_school(schools[0], actor=director)
    assert result["in_zone"][0]["school"].cct == "22DPR0101A"
    assert result["in_zone"][0]["practices"] == [practice]
    # Named beyond the zone with its shared categories, though the director cannot open its page.
    assert [p["school"].cct for p in result["beyond_zone"]] == ["22DPR0999Z"]
    admin = factories.create_user("admin")
    result = services.recommend_partners_for_school(schools[0], actor=admin)
    assert result["beyond_zone"][0]["school"].cct == "22DPR0999Z"
    # Same problems (similarity 1), no practice for the other (complementarity 0): (1 + 0) / 2.
    assert result["beyond_zone"][0]["score"] == 0.5


def test_problem_page_shows_recommendations(client, login_as, zone_with_problems):
    zone, schools, practice = zone_with_problems
    from app.problems.models import Problem

    problem = db.session.execute(db.select(Problem).filter_by(school_id=schools[0].id)).scalar_one()
    login_as("director", school=schools[0])
    page = client.get(f"/problematicas/{problem.id}").get_data(as_text=True)
    assert "Prácticas que pueden ayudar" in page
    assert "Tianguis de matemáticas" in page
