"""A reset link used by two requests at once sets one password, not two (issue 16, finding 9)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from app.auth import services
from app.auth.models import PasswordReset, User
from app.extensions import db
from app.validation import ValidationError


def test_the_second_of_two_racing_uses_is_refused(cast):
    reset, token = services.issue_password_reset(cast.director, actor=cast.supervisor)
    db.session.commit()
    mine = services.find_password_reset(token)  # this request read the link: still unused
    assert mine.used_at is None
    # Meanwhile another request, on its own connection, uses the same link and commits.
    with Session(db.engine) as other:
        theirs = other.get(PasswordReset, reset.id)
        theirs.used_at = db.func.now()
        other.get(User, cast.director.id).password_hash = "puesto-por-la-otra-solicitud"
        other.commit()
    with pytest.raises(ValidationError):
        services.reset_password(mine, "mi-contraseña-larga-nueva", "mi-contraseña-larga-nueva")
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(User, cast.director.id).password_hash == "puesto-por-la-otra-solicitud"


def test_an_unused_link_still_works_once(cast):
    reset, token = services.issue_password_reset(cast.director, actor=cast.supervisor)
    db.session.commit()
    user = services.reset_password(
        services.find_password_reset(token), "nueva-contraseña-larga", "nueva-contraseña-larga"
    )
    db.session.commit()
    assert user.check_password("nueva-contraseña-larga")
    with pytest.raises(ValidationError):
        services.reset_password(
            services.find_password_reset(token), "otra-contraseña-larga", "otra-contraseña-larga"
        )
