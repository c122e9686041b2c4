"""visible_practices (SQL) must agree with permissions.can_view_practice (Python) everywhere."""

from __future__ import annotations

import itertools

from app.extensions import db
from app.permissions import can_view_practice
from app.practices import services
from tests import factories


def test_sql_visibility_agrees_with_can_view_practice(world):
    no_zone_school = factories.create_school(with_zone=False)
    schools = [world.school, world.sibling, world.far, no_zone_school]
    practices = [
        factories.create_practice(school, visibility=visibility, title=f"{school.cct} {visibility}")
        for school, visibility in itertools.product(schools, ("escuela", "zona", "todos"))
    ]
    people = dict(world.people)
    people["docente_sin_zona"] = factories.create_user("docente", school=no_zone_school)
    people["supervisor_sin_zona"] = factories.create_user("supervisor", zone=None)
    people["supervisor_sin_zona"].zone = None
    people["asesor_zona_b"] = factories.create_user("asesor")
    people["asesor_zona_b"].advised_zones.append(world.zone_b)
    people["asesor_escuela_lejana"] = factories.create_user("asesor")
    people["asesor_escuela_lejana"].advised_schools.append(world.far)
    people["asesor_sin_asignar"] = factories.create_user("asesor")
    people["director_inactivo"] = factories.create_user("director", school=world.school, is_active=False)
    people["director_sin_escuela"] = factories.create_user("director")
    people["director_sin_escuela"].school = None
    db.session.commit()

    checked = 0
    for name, user in people.items():
        visible_ids = {p.id for p in db.session.execute(services.visible_practices(user)).scalars()}
        # The library search applies the same rule.
        found, total = services.search_practices(user, per_page=100)
        assert {p.id for p in found} == visible_ids and total == len(visible_ids), name
        for practice in practices:
            expected = can_view_practice(user, practice)
            assert (practice.id in visible_ids) == expected, (name, practice.title)
            checked += 1
    assert checked == len(people) * 12
    # The grid is not trivial: some see everything, some see only the 'todos' practices.
    assert (
        len({p.id for p in db.session.execute(services.visible_practices(people["admin"])).scalars()}) == 12
    )
    assert {
        p.visibility
        for p in db.session.execute(services.visible_practices(people["asesor_sin_asignar"])).scalars()
    } == {"todos"}


def test_anonymous_sees_nothing(world):
    from flask_login import AnonymousUserMixin

    factories.create_practice(world.school, visibility="todos")
    assert db.session.execute(services.visible_practices(AnonymousUserMixin())).scalars().all() == []
