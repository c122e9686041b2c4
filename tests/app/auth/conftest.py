"""Fixtures of the auth tests: a small cast of people around two zones, created on demand."""

from __future__ import annotations

from functools import cached_property

import pytest

from tests import factories


class Cast:
    """Zone A with two schools, zone B with one; people are created the first time they are used
    (hashing a password costs ~0.1 s, and each test needs only two or three people)."""

    def __init__(self) -> None:
        self.zone = factories.create_zone()
        self.other_zone = factories.create_zone()
        self.school = factories.create_school(self.zone)
        self.sibling_school = factories.create_school(self.zone)
        self.far_school = factories.create_school(self.other_zone)

    @cached_property
    def admin(self):
        return factories.create_user("admin")

    @cached_property
    def supervisor(self):
        return factories.create_user("supervisor", zone=self.zone)

    @cached_property
    def supervisor_other(self):
        return factories.create_user("supervisor", zone=self.other_zone)

    @cached_property
    def director(self):
        return factories.create_user("director", school=self.school)

    @cached_property
    def director_sibling(self):
        return factories.create_user("director", school=self.sibling_school)

    @cached_property
    def director_far(self):
        return factories.create_user("director", school=self.far_school)

    @cached_property
    def docente(self):
        return factories.create_user("docente", school=self.school)

    @cached_property
    def asesor_assigned(self):
        user = factories.create_user("asesor")
        user.advised_schools = [self.school]
        factories.db.session.commit()
        return user

    @cached_property
    def asesor_unassigned(self):
        return factories.create_user("asesor")

    def person(self, name: str):
        """The person called ``name``, or None for 'anonymous'."""
        return None if name == "anonymous" else getattr(self, name)


@pytest.fixture
def cast(db):
    return Cast()


@pytest.fixture
def act_as(client, login_as, cast):
    """act_as('supervisor') logs the client in as that member of the cast (or stays anonymous)."""

    def _act(name: str):
        person = cast.person(name)
        if person is not None:
            login_as(person)
        return person

    return _act
