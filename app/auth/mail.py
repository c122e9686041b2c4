"""E-mail for the auth area: invitation and password-reset links, sent with smtplib.

Mail is optional: without ``MAIL_SERVER`` nothing is sent and the person who issued the link
copies it by hand (WhatsApp, a printed note...). Sending happens after the commit, and a failure
never undoes the invitation: the caller tells the person to copy the link instead.
"""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

from app.auth.models import Invitation, ROLE_LABELS


def mail_enabled() -> bool:
    """True when an SMTP server is configured."""
    return bool(current_app.config.get("MAIL_SERVER"))


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send a plain-text message; False (and a log line) when mail is off or the server fails."""
    config = current_app.config
    if not mail_enabled():
        return False
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config.get("MAIL_PORT", 25), timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError):
        current_app.logger.exception("No se pudo enviar el correo a %s", to)
        return False
    return True


def send_invitation_email(invitation: Invitation, link: str) -> bool:
    """Tell the invited person how to create their account."""
    where = ""
    if invitation.school is not None:
        where = f" en {invitation.school.name} ({invitation.school.cct})"
    elif invitation.zone is not None:
        where = f" en la {invitation.zone.label} ({invitation.zone.cct})"
    inviter = invitation.invited_by.name if invitation.invited_by else "La administración"
    body = (
        f"Hola{', ' + invitation.name if invitation.name else ''}:\n\n"
        f"{inviter} te invita a Aprendizaje entre Escuelas con el rol de "
        f"{ROLE_LABELS.get(invitation.role, invitation.role)}{where}.\n\n"
        f"Para crear tu cuenta abre este enlace:\n{link}\n\n"
        f"El enlace vence el {invitation.expires_at:%d/%m/%Y} y solo se puede usar una vez.\n"
        "Si no esperabas esta invitación, ignora este mensaje.\n"
    )
    return send_mail(invitation.email, "Invitación a Aprendizaje entre Escuelas", body)


def send_password_reset_email(email: str, name: str, link: str) -> bool:
    """Send a password-reset link to its owner."""
    body = (
        f"Hola, {name}:\n\n"
        "Se emitió un enlace para que elijas una nueva contraseña en Aprendizaje entre Escuelas:\n"
        f"{link}\n\n"
        "El enlace solo se puede usar una vez. Si no lo pediste, avisa a tu supervisión.\n"
    )
    return send_mail(email, "Restablecer tu contraseña", body)
