"""Forms of the auth area, with messages in Spanish."""
from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from app.auth.services import MIN_PASSWORD_LENGTH


class EmailAddress(Email):
    """WTForms' e-mail check; under test it accepts the reserved ``.test`` domain of the fixtures."""

    def __call__(self, form, field):
        self.test_environment = True if current_app.testing else None
        super().__call__(form, field)


class LoginForm(FlaskForm):
    email = EmailField("Correo electrónico", validators=[
        DataRequired("Escribe tu correo electrónico."),
        EmailAddress("Escribe un correo electrónico válido."),
    ])
    password = PasswordField("Contraseña", validators=[DataRequired("Escribe tu contraseña.")])
    remember = BooleanField("Mantener la sesión abierta en este dispositivo")


class InvitationForm(FlaskForm):
    """Invite a person. The route sets the role choices the actor may use.

    The role is not validated against the choices here: a forged role reaches the service, which
    answers PermissionDenied (403) instead of a form error.
    """

    email = EmailField("Correo electrónico", validators=[
        DataRequired("Escribe el correo electrónico."),
        EmailAddress("Escribe un correo electrónico válido."),
        Length(max=254, message="El correo puede tener hasta 254 caracteres."),
    ])
    name = StringField("Nombre", validators=[
        Optional(), Length(max=200, message="El nombre puede tener hasta 200 caracteres."),
    ])
    role = SelectField("Rol", choices=[], validate_choice=False,
                       validators=[DataRequired("Elige el rol.")])
    school_cct = StringField("Escuela (clave CCT)", validators=[Optional(), Length(max=10)])
    zone_cct = StringField("Zona escolar (CCT de la supervisión)", validators=[Optional(), Length(max=10)])
    advised = TextAreaField("Escuelas y zonas que acompaña (claves CCT, una por línea)",
                            validators=[Optional(), Length(max=5000)])


class ZoneInvitationForm(InvitationForm):
    """A supervisor chooses the school among those of the zone."""

    school_cct = SelectField("Escuela", choices=[], validate_choice=False,
                             validators=[DataRequired("Elige la escuela.")])


class PasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = PasswordField("Contraseña nueva", validators=[
        DataRequired("Escribe una contraseña."),
        Length(min=MIN_PASSWORD_LENGTH,
               message=f"La contraseña debe tener al menos {MIN_PASSWORD_LENGTH} caracteres."),
    ])
    confirm = PasswordField("Repite la contraseña", validators=[
        DataRequired("Repite la contraseña."),
        EqualTo("password", message="Las contraseñas no coinciden."),
    ])


class AcceptInvitationForm(PasswordForm):
    name = StringField("Tu nombre completo", validators=[
        DataRequired("Escribe tu nombre."),
        Length(max=200, message="El nombre puede tener hasta 200 caracteres."),
    ])


class AdvisorForm(FlaskForm):
    advised = TextAreaField("Escuelas y zonas que acompaña (claves CCT, una por línea)",
                            validators=[Optional(), Length(max=5000)])


class ApiTokenForm(FlaskForm):
    name = StringField("Nombre del token", validators=[
        DataRequired("Escribe un nombre para reconocer el token."),
        Length(max=100, message="El nombre puede tener hasta 100 caracteres."),
    ])


class EmptyForm(FlaskForm):
    """Only the CSRF token: for buttons that POST (revoke, deactivate, issue a reset)."""
