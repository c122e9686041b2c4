"""Helpers that every area's routes share: look-ups that answer 404, and running a service for a page.

A route parses input, checks access, calls one service, then renders or redirects; these helpers keep
the look-up and the commit-or-refuse steps the same everywhere.
"""
from __future__ import annotations

from typing import Callable, TypeVar

from flask import abort, flash

from app.extensions import db
from app.validation import PermissionDenied, ValidationError

T = TypeVar("T")


def get_or_404(model: type[T], object_id: int, *options) -> T:
    """The row of ``model`` with this id, or a 404 page."""
    obj = db.session.get(model, object_id, options=list(options) or None)
    if obj is None:
        abort(404)
    return obj


def school_or_404(cct: str):
    """The school with this CCT (case and spaces ignored), or a 404 page."""
    from app.schools.models import School  # here: area packages import this module while loading

    school = db.session.execute(
        db.select(School).filter_by(cct=(cct or "").strip().upper())
    ).scalar_one_or_none()
    if school is None:
        abort(404)
    return school


def zone_or_404(cct: str):
    """The zone whose supervision has this CCT, or a 404 page."""
    from app.schools.models import Zone

    zone = db.session.execute(
        db.select(Zone).filter_by(cct=(cct or "").strip().upper())
    ).scalar_one_or_none()
    if zone is None:
        abort(404)
    return zone


class ServiceRun:
    """What ``run_service`` did: true when the service succeeded; ``value`` is what it returned."""

    __slots__ = ("ok", "value")

    def __init__(self, ok: bool, value: object = None):
        self.ok, self.value = ok, value

    def __bool__(self) -> bool:
        return self.ok


def run_service(action: Callable[[], object], *, success: str | None = None,
                on_errors: Callable[[dict], None] | None = None, category: str = "info") -> ServiceRun:
    """Run a service for a button or a form: commit and flash ``success``; or roll back its refusal.

    A refusal's messages go to ``on_errors`` (e.g. a form's ``set_errors``, which puts each under its
    field) or, without it, to a flash. ``PermissionDenied`` answers 403. The result is true when the
    service succeeded, and carries what it returned (``.value``: the new row, say).
    """
    try:
        value = action()
    except PermissionDenied:
        db.session.rollback()
        abort(403)
    except ValidationError as exc:
        db.session.rollback()
        if on_errors is not None:
            on_errors(exc.errors)
        else:
            flash(" ".join(exc.errors.values()), "error")
        return ServiceRun(False)
    db.session.commit()
    if success:
        flash(success, category)
    return ServiceRun(True, value)
