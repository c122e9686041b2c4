"""Helpers that every area's routes share: loading a row (404) that the person may see (403), and
running a service for a page.

A route parses input, checks access, calls one service, then renders or redirects; these helpers keep
the look-up, the permission and the refuse steps the same everywhere.

**Where the commit happens.** Services flush; they never commit. For HTTP, one request boundary
(``register_commit_boundary`` in ``app/__init__.py``, Indico's ``RH.process``) commits after a view
that wrote something (``has_writes``) and answered a success or a redirect (status below 400), and
rolls back on an error response (4xx, 5xx) or an exception. So no route commits, and none can forget to: the JSON API included,
once per request. Work that must follow the commit (room events, e-mail, file clean-up) is
registered with ``app.transactions.on_commit``, which the boundary's commit runs. Socket.IO events
run no request hooks: they commit in ``realtime.namespaces.live_event``. CLI commands commit
themselves. The few writes that must be stored before the response is made, whatever it is, call
``commit_before_responding`` (a refused login's count, a used API token, an invitation whose
e-mail the page reports on).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, abort, flash, send_file
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from app import transactions
from app.extensions import db
from app.validation import PermissionDenied, ValidationError

T = TypeVar("T")
_WROTE = "views.wrote"  # session.info: this transaction has flushed a change


def has_writes(session=None) -> bool:
    """Whether the transaction in progress changed anything (flushed or not) or awaits its commit."""
    s = session or db.session()
    return bool(s.info.get(_WROTE) or s.new or s.dirty or s.deleted or transactions.pending(s))


# A read-only request is left alone by the boundary: no COMMIT round trip, and the rows it loaded
# are not expired (the test client shares one session across requests).
@event.listens_for(Session, "after_flush")
def _note_write(session: Session, _flush_context) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_writes(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_WROTE, None)


def get_or_404(model: type[T], object_id: int, *options) -> T:
    """The row of ``model`` with this id, or a 404 page."""
    obj = db.session.get(model, object_id, options=list(options) or None)
    if obj is None:
        abort(404)
    return obj


def load_or_abort(
    source: type[T] | Callable[[Any], T | None],
    key: Any,
    *,
    check: Callable[..., bool] | None = None,
    actor=None,
) -> T:
    """The row ``source`` gives for ``key``, or a 404 page; a 403 page unless ``check`` allows it.

    ``source`` is a model (looked up by primary key) or a function that returns the row or None (a
    service's loader with its eager loads, a look-up by CCT). ``check(actor, row)`` is a permission
    function (``permissions.can_view_commitment``); ``actor`` defaults to the signed-in person.
    This is the route skeleton "load, 404, permission, 403" (flaskr's ``get_post``) in one place.
    """
    row = db.session.get(source, key) if isinstance(source, type) else source(key)
    if row is None:
        abort(404)
    if check is not None and not check(current_user if actor is None else actor, row):
        abort(403)
    return row


def _by_cct(model, cct: str):
    return db.session.execute(
        db.select(model).filter_by(cct=(cct or "").strip().upper())
    ).scalar_one_or_none()


def school_or_404(cct: str, *, check: Callable[..., bool] | None = None, actor=None):
    """The school with this CCT (case and spaces ignored), or a 404 page; 403 unless ``check``."""
    from app.catalogue.models import School  # here: area packages import this module while loading

    return load_or_abort(lambda key: _by_cct(School, key), cct, check=check, actor=actor)


def zone_or_404(cct: str, *, check: Callable[..., bool] | None = None, actor=None):
    """The zone whose supervision has this CCT, or a 404 page; 403 unless ``check`` allows it."""
    from app.catalogue.models import Zone

    return load_or_abort(lambda key: _by_cct(Zone, key), cct, check=check, actor=actor)


def send_private(
    data: bytes,
    mimetype: str,
    name: str,
    *,
    inline: bool = True,
    cache: str = "private, no-store",
    **options,
) -> Response:
    """Send a file that only people allowed may see: never sniffed, never kept by a shared cache.

    ``cache`` is the Cache-Control for the browser of that person; ``options`` go to ``send_file``
    (``etag``, ``last_modified``, ``conditional``). The bytes are read whole (uploads are capped), so
    no file handle outlives the request.
    """
    response = send_file(
        io.BytesIO(data),
        mimetype=mimetype,
        as_attachment=not inline,
        download_name=name,
        max_age=0,
        **options,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = cache
    return response


def commit_before_responding() -> None:
    """Commit what the request wrote so far: for a write that an error response must not undo, or
    that must be stored before the view acts on it (sends its e-mail). The boundary does the rest."""
    db.session.commit()


class ServiceRun:
    """What ``run_service`` did: true when the service succeeded; ``value`` is what it returned."""

    __slots__ = ("ok", "value")

    def __init__(self, ok: bool, value: object = None):
        self.ok, self.value = ok, value

    def __bool__(self) -> bool:
        return self.ok


def run_service(
    action: Callable[[], object],
    *,
    success: str | None = None,
    on_errors: Callable[[dict], None] | None = None,
    category: str = "info",
) -> ServiceRun:
    """Run a service for a button or a form: flash ``success``; or roll back its refusal.

    The request boundary commits what the service did (see the module's docstring). A refusal's
    messages go to ``on_errors`` (e.g. a form's ``set_errors``, which puts each under its field) or,
    without it, to a flash. ``PermissionDenied`` answers 403. The result is true when the service
    succeeded, and carries what it returned (``.value``: the new row, say).
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
    if success:
        flash(success, category)
    return ServiceRun(True, value)
