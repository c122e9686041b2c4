"""E-mail for the auth area: invitation and password-reset links, sent with smtplib.

Mail is optional: without ``MAIL_SERVER`` nothing is sent and the person who issued the link
copies it by hand (WhatsApp, a printed note...). Sending happens after the commit, and a failure
never undoes the invitation: the caller tells the person to copy the link instead. Invitation and
reset links are sent from their request, whose page says whether the mail left (under gevent the
wait blocks only that request); notices, mailed to many, go through ``app.jobs`` (the RQ worker).
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.auth.models import ROLE_LABELS, Invitation
from app.dates import day_text


def mail_enabled() -> bool:
    """True when an SMTP server is configured."""
    return bool(current_app.config["MAIL_SERVER"])


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
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError):
        current_app.logger.exception("No se pudo enviar el correo a %s", to)
        return False
    return True


def send_invitation_email(invitation: Invitation, link: str) -> bool:
    """Tell the invited person how to create their account (in the platform's default language)."""
    # The invited person has no account, hence no chosen language yet.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        role = str(ROLE_LABELS.get(invitation.role, invitation.role))
        inviter = invitation.invited_by.name if invitation.invited_by else _("La administración")
        if invitation.school is not None:
            intro = _(
                "%(inviter)s te invita a Aprendizaje entre Escuelas con el rol de %(role)s "
                "en %(place)s (%(cct)s).",
                inviter=inviter,
                role=role,
                place=invitation.school.name,
                cct=invitation.school.cct,
            )
        elif invitation.zone is not None:
            intro = _(
                "%(inviter)s te invita a Aprendizaje entre Escuelas con el rol de %(role)s "
                "en la %(place)s (%(cct)s).",
                inviter=inviter,
                role=role,
                place=invitation.zone.label,
                cct=invitation.zone.cct,
            )
        else:
            intro = _(
                "%(inviter)s te invita a Aprendizaje entre Escuelas con el rol de %(role)s.",
                inviter=inviter,
                role=role,
            )
        greeting = _("Hola, %(name)s:", name=invitation.name) if invitation.name else _("Hola:")
        body = (
            f"{greeting}\n\n{intro}\n\n"
            + _("Para crear tu cuenta abre este enlace:")
            + f"\n{link}\n\n"
            + _(
                "El enlace vence el %(date)s y solo se puede usar una vez.",
                date=day_text(invitation.expires_at),
            )
            + "\n"
            + _("Si no esperabas esta invitación, ignora este mensaje.")
            + "\n"
        )
        subject = _("Invitación a Aprendizaje entre Escuelas")
    return send_mail(invitation.email, subject, body)


def send_password_reset_email(email: str, name: str, link: str, locale: str | None = None) -> bool:
    """Send a password-reset link to its owner, in their language (``locale``) or the default one."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = (
            _("Hola, %(name)s:", name=name)
            + "\n\n"
            + _("Se emitió un enlace para que elijas una nueva contraseña en Aprendizaje entre Escuelas:")
            + f"\n{link}\n\n"
            + _("El enlace solo se puede usar una vez. Si no lo pediste, avisa a tu supervisión.")
            + "\n"
        )
        subject = _("Restablecer tu contraseña")
    return send_mail(email, subject, body)
