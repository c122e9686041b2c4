"""E-mail of invitation and reset links: a tiny SMTP server on localhost, and a fake smtplib.SMTP."""

from __future__ import annotations

import socket
import socketserver
import threading
from email import message_from_bytes
from email.policy import default

import pytest

from app.auth import mail
from app.auth.models import Invitation


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: greet, accept everything, keep each message."""

    def handle(self):
        self.wfile.write(b"220 stub ESMTP\r\n")
        rcpts, lines, in_data = [], [], False
        for line in self.rfile:
            if in_data:
                if line == b".\r\n":
                    self.server.messages.append((rcpts, message_from_bytes(b"".join(lines), policy=default)))
                    rcpts, lines, in_data = [], [], False
                    self.wfile.write(b"250 OK\r\n")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].upper()
            if verb == b"RCPT":
                rcpts.append(line.split(b":", 1)[1].strip(b" <>\r\n").decode())
            if verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


@pytest.fixture
def smtp_server(app, monkeypatch):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", server.server_address[1])
    monkeypatch.setitem(app.config, "MAIL_FROM", "plataforma@escuelas.test")
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_an_invitation_is_emailed_when_smtp_is_configured(client, act_as, cast, smtp_server, db):
    act_as("director")
    response = client.post(
        "/invitaciones", data={"email": "maestra@escuelas.test", "name": "Lucía", "role": "docente"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "También se envió por correo." in html
    [(rcpts, message)] = smtp_server.messages
    assert rcpts == ["maestra@escuelas.test"] and message["To"] == "maestra@escuelas.test"
    assert message["From"] == "plataforma@escuelas.test"
    body = message.get_content().replace("\r\n", "\n")
    token_url = body.split("abre este enlace:\n", 1)[1].split("\n", 1)[0]
    assert token_url.startswith("http://localhost/invitacion/") and token_url in html
    assert cast.school.name in body and "Docente" in body and "Hola, Lucía" in body
    assert db.session.query(Invitation).count() == 1


def test_a_reset_link_is_emailed_to_its_owner(client, act_as, cast, smtp_server):
    target = cast.director
    act_as("supervisor")
    response = client.post(f"/personas/{target.id}/restablecer")
    assert "También se envió por correo" in response.get_data(as_text=True)
    [(rcpts, message)] = smtp_server.messages
    assert rcpts == [target.email] and "/restablecer/" in message.get_content()


def test_without_smtp_nothing_is_sent_and_nothing_is_said(client, act_as, cast, monkeypatch):
    def refuse(*a, **kw):
        raise AssertionError("no SMTP without MAIL_SERVER")

    monkeypatch.setattr(mail.smtplib, "SMTP", refuse)
    act_as("director")
    html = client.post("/invitaciones", data={"email": "m@escuelas.test", "role": "docente"}).get_data(
        as_text=True
    )
    assert "/invitacion/" in html and "por correo" not in html


def test_a_mail_failure_keeps_the_invitation_and_says_to_copy_the_link(
    client, act_as, cast, app, db, monkeypatch, caplog
):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", closed_port)
    act_as("director")
    response = client.post("/invitaciones", data={"email": "m@escuelas.test", "role": "docente"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "No se pudo enviar el correo" in html and "/invitacion/" in html
    assert db.session.query(Invitation).count() == 1
    assert "No se pudo enviar el correo a m@escuelas.test" in caplog.text


def test_send_mail_uses_tls_and_login_when_configured(app, monkeypatch):
    sent = {}

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent["server"] = (host, port, timeout)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            sent["tls"] = True

        def login(self, user, password):
            sent["login"] = (user, password)

        def send_message(self, message):
            sent["message"] = message

    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    for key, value in {
        "MAIL_SERVER": "smtp.example",
        "MAIL_PORT": 587,
        "MAIL_USE_TLS": True,
        "MAIL_USERNAME": "u",
        "MAIL_PASSWORD": "p",
    }.items():
        monkeypatch.setitem(app.config, key, value)
    with app.app_context():
        assert mail.send_mail("a@escuelas.test", "Asunto ñ", "Cuerpo con acentos: canción") is True
    assert sent["server"] == ("smtp.example", 587, 10) and sent["tls"] and sent["login"] == ("u", "p")
    assert sent["message"]["Subject"] == "Asunto ñ"
    assert "canción" in sent["message"].get_content()
