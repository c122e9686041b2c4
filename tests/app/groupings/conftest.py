import pytest

from tests import factories


@pytest.fixture
def zone_with_problems(db):
    """A zone of six primarias: two pairs share problems, two schools share another."""
    zone = factories.create_zone(cct="22FIZ0101A")
    math = {"amb-aprovechamiento": "alta", "pensamiento-matematico": "alta"}
    reading = {"amb-aprovechamiento": "media", "lectura-escritura": "alta"}
    coexist = {"amb-comunidad": "alta", "convivencia": "alta"}
    schools = []
    for k, cats in enumerate([math, math, reading, reading, coexist, coexist]):
        school = factories.create_school(zone, cct=f"22DPR01{k:02d}A", name=f"ESCUELA {k}")
        factories.create_problem(school, categories=cats)
        schools.append(school)
    practice = factories.create_practice(
        schools[1], categories=["pensamiento-matematico"], title="Tianguis de matemáticas"
    )
    return zone, schools, practice
