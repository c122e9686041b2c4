"""Links in what leaves the platform are absolute, also when made outside a request."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.commitments.models import Commitment
from app.dates import local_today
from tests import factories


@pytest.fixture
def mailbox(app, monkeypatch):
    """Mail on (a server name that is never contacted): the messages sent, captured."""
    from app.auth import mail

    sent: list[tuple[str, str, str]] = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.invalid")
    monkeypatch.setattr(mail, "send_mail", lambda to, subject, body: sent.append((to, subject, body)) or True)
    return sent


@pytest.mark.parametrize(
    "area, base",
    [("commitments", "https://example.org"), ("logbook", "https://example.org/")],  # logbook: the old name
)
def test_mailed_notices_of_the_notify_command_carry_absolute_links(app, db, mailbox, monkeypatch, area, base):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", base)
    school = factories.create_school()
    factories.create_user("director", school=school)
    commitment = Commitment(
        school_id=school.id,
        action="Leer en voz alta",
        responsible="Dirección",
        due_date=local_today() + timedelta(days=2),
        status="pendiente",
        school_year="2026-2027",
    )
    db.session.add(commitment)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=[area, "notify"])
    assert result.exit_code == 0, result.output
    assert mailbox, "the director was mailed"
    body = mailbox[0][2]
    assert f"https://example.org/compromisos/{commitment.id}" in body
    assert "…/compromisos" not in body and " /compromisos" not in body


def test_without_a_public_address_a_link_outside_a_request_stays_a_path(app, db):
    from app.urls import absolute_url

    assert app.config["PUBLIC_BASE_URL"] is None
    assert absolute_url("compromisos/3") == "/compromisos/3"


def test_inside_a_request_the_request_address_is_used(app, db):
    from app.urls import absolute_url

    with app.test_request_context("/", base_url="https://escuela.example.mx"):
        assert absolute_url("/compromisos/3") == "https://escuela.example.mx/compromisos/3"
