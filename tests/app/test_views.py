import pytest
from werkzeug.exceptions import Forbidden, NotFound

from app.auth.models import User
from app.extensions import db
from app.validation import PermissionDenied, ValidationError
from app.views import get_or_404, run_service, school_or_404, zone_or_404


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


def test_run_service_commits_refuses_or_forbids(app, db, create_user):
    user = create_user("docente")
    with app.test_request_context():
        def rename():
            user.name = "Nombre nuevo"
            return user

        done = run_service(rename, success="Listo.", category="success")
        assert done and done.value is user

        def refuse():
            user.name = "No debe quedar"
            raise ValidationError({"name": "Nombre no válido."})

        refused = run_service(refuse)
        assert not refused and refused.value is None
        from flask import get_flashed_messages
        assert get_flashed_messages(with_categories=True) == [
            ("success", "Listo."), ("error", "Nombre no válido.")]

        def forbid():
            raise PermissionDenied()

        with pytest.raises(Forbidden):
            run_service(forbid)
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Nombre nuevo"
