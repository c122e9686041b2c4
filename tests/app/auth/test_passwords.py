"""Easy-to-guess passwords are refused wherever a password is set, with a Spanish reason (issue 16)."""

from __future__ import annotations

import pytest

from app.auth import services
from app.auth.passwords import MAX_PASSWORD_LENGTH, check_new_password, personal_words
from app.validation import ValidationError
from tests import factories


@pytest.mark.parametrize(
    "password",
    ["Contraseña2026", "password123456", "qwertyuiop123", "Escuela2026", "1234567890", "maestra.2026"],
)
def test_common_passwords_and_patterns_are_refused(app, password):
    with app.test_request_context(), pytest.raises(ValidationError) as refused:
        check_new_password(password, password)
    assert "fácil de adivinar" in refused.value.errors["password"]


def test_a_password_made_of_the_persons_name_says_so(app):
    words = personal_words("maria.lopez@escuelas.mx", "María López")
    with app.test_request_context(), pytest.raises(ValidationError) as refused:
        check_new_password("maria.lopez2026", user_inputs=words)
    assert "tu nombre ni tu correo" in refused.value.errors["password"]
    with app.test_request_context(), pytest.raises(ValidationError):
        check_new_password("MaríaLópez-2026", user_inputs=words)  # accents and case do not hide it


def test_a_phrase_of_uncommon_words_passes_and_the_lengths_are_bounded(app):
    with app.test_request_context():
        check_new_password("nube-tortuga-lámpara", "nube-tortuga-lámpara")
        check_new_password("x" * 10 + "-tortuga-lámpara-río" * 5)  # long passphrases are fine
        with pytest.raises(ValidationError) as short:
            check_new_password("Tq8#", "Tq8#")
        assert "al menos 10" in short.value.errors["password"]
        with pytest.raises(ValidationError) as long:
            check_new_password("a" * (MAX_PASSWORD_LENGTH + 1))
        assert f"hasta {MAX_PASSWORD_LENGTH}" in long.value.errors["password"]
        with pytest.raises(ValidationError) as unlike:
            check_new_password("nube-tortuga-lámpara", "nube-tortuga-lampara")
        assert "no coinciden" in unlike.value.errors["confirm"]


def test_the_reset_page_refuses_a_common_password_in_spanish_and_keeps_the_link(app, client, db):
    user = factories.create_user("docente")
    supervisor = factories.create_user("supervisor", zone=user.school.zone)
    _reset, token = services.issue_password_reset(user, actor=supervisor)
    db.session.commit()
    old_hash = user.password_hash
    response = client.post(
        f"/restablecer/{token}", data={"password": "Contraseña2026", "confirm": "Contraseña2026"}
    )
    assert response.status_code in (200, 422)
    assert "fácil de adivinar" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == old_hash  # nothing changed
    done = client.post(
        f"/restablecer/{token}", data={"password": "nube-tortuga-lámpara", "confirm": "nube-tortuga-lámpara"}
    )
    assert done.status_code == 302  # the link still works after the refused try
