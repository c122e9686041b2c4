import pytest
from flask import Response
from werkzeug.exceptions import Forbidden, NotFound

from app.auth.models import User
from app.transactions import on_commit
from app.validation import PermissionDenied, ValidationError
from app.views import get_or_404, load_or_abort, run_service, school_or_404, send_private, zone_or_404


def test_lookups_answer_404(app, db, create_school):
    school = create_school(cct="22DPR0500Z")
    with app.test_request_context():
        assert school_or_404(" 22dpr0500z ") == school
        assert zone_or_404(school.zone.cct.lower()) == school.zone
        with pytest.raises(NotFound):
            school_or_404("22XXX0000X")
        with pytest.raises(NotFound):
            zone_or_404("")
        with pytest.raises(NotFound):
            get_or_404(User, 99999)


def test_run_service_keeps_refuses_or_forbids(app, db, create_user):
    user = create_user("docente")
    with app.test_request_context():

        def rename():
            user.name = "Nombre nuevo"
            return user

        done = run_service(rename, success="Listo.", category="success")
        assert done and done.value is user
        _commit_boundary(app)(Response(status=302))  # the request that ran it ends in a redirect

        def refuse():
            user.name = "No debe quedar"
            raise ValidationError({"name": "Nombre no válido."})

        refused = run_service(refuse)
        assert not refused and refused.value is None
        from flask import get_flashed_messages

        assert get_flashed_messages(with_categories=True) == [
            ("success", "Listo."),
            ("error", "Nombre no válido."),
        ]

        def forbid():
            raise PermissionDenied()

        with pytest.raises(Forbidden):
            run_service(forbid)
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Nombre nuevo"


def _commit_boundary(app):
    return next(f for f in app.after_request_funcs[None] if f.__name__ == "_commit_or_roll_back")


@pytest.mark.parametrize("status, kept", [(200, True), (302, True), (403, False), (422, False)])
def test_the_request_boundary_commits_a_success_and_drops_an_error_response(
    app, db, create_user, status, kept
):
    user = create_user("docente")
    committed = []
    with app.test_request_context():
        user.name = "Cambiado en la vista"
        on_commit(lambda: committed.append(True))
        assert _commit_boundary(app)(Response(status=status)).status_code == status
    db.session.expire_all()
    assert (db.session.get(User, user.id).name == "Cambiado en la vista") is kept
    assert committed == ([True] if kept else [])


def test_load_or_abort_answers_404_then_403(app, db, create_user, create_school):
    user, other = create_user("docente"), create_user("docente")
    school = create_school(cct="22DPR0501Z")
    is_self = lambda actor, row: actor.id == row.id  # noqa: E731
    with app.test_request_context():
        assert load_or_abort(User, user.id, check=is_self, actor=user) is user
        with pytest.raises(Forbidden):
            load_or_abort(User, other.id, check=is_self, actor=user)
        with pytest.raises(NotFound):
            load_or_abort(User, 99999, check=is_self, actor=user)
        assert load_or_abort(lambda key: user if key == "yo" else None, "yo") is user
        assert school_or_404("22dpr0501z", check=lambda actor, s: True, actor=user) == school
        with pytest.raises(Forbidden):
            school_or_404("22DPR0501Z", check=lambda actor, s: False, actor=user)


def test_the_request_boundary_leaves_a_read_only_request_alone(app, db, create_user):
    from sqlalchemy import inspect

    user = db.session.get(User, create_user("docente").id)
    with app.test_request_context():
        _commit_boundary(app)(Response(status=200))
    assert not inspect(user).expired_attributes  # no COMMIT, so nothing loaded was expired


def test_send_private_is_never_sniffed_nor_kept_by_a_shared_cache(app):
    with app.test_request_context():
        pdf = send_private(b"%PDF-1.4", "application/pdf", "acta.pdf")
        csv = send_private(b"a,b\n", "text/csv", "bitacora.csv", inline=False, cache="private, max-age=60")
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
    assert pdf.headers["Cache-Control"] == "private, no-store"
    assert pdf.headers["Content-Disposition"].startswith("inline")
    assert csv.headers["Cache-Control"] == "private, max-age=60"
    assert csv.headers["Content-Disposition"].startswith("attachment")
