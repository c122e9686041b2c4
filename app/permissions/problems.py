"""Who may record, see and edit a school's problems."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.catalogue.models import School
    from app.problems.models import Problem
from app.permissions.roles import is_admin, is_member_of_school
from app.permissions.schools import can_view_school


def can_record_problem(user, school: School) -> bool:
    """Record a new problem for this school."""
    return is_admin(user) or is_member_of_school(user, school)


def can_view_problem(user, problem: Problem) -> bool:
    return can_view_school(user, problem.school)


def can_edit_problem(user, problem: Problem) -> bool:
    return is_admin(user) or is_member_of_school(user, problem.school)
