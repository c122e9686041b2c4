"""Forms of the auth area, with messages in Spanish."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from app.auth.services import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH


class EmailAddress(Email):
    """WTForms' e-mail check; under test it accepts the reserved ``.test`` domain of the fixtures."""

    def __call__(self, form, field):
        self.test_environment = True if current_app.testing else None
        super().__call__(form, field)


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Correo electrónico"),
        validators=[
            DataRequired(_l("Escribe tu correo electrónico.")),
            EmailAddress(_l("Escribe un correo electrónico válido.")),
        ],
    )
    password = PasswordField(_l("Contraseña"), validators=[DataRequired(_l("Escribe tu contraseña."))])
    remember = BooleanField(_l("Mantener la sesión abierta en este dispositivo"))


class InvitationForm(FlaskForm):
    """Invite a person. The route sets the role choices the actor may use.

    The role is not validated against the choices here: a forged role reaches the service, which
    answers PermissionDenied (403) instead of a form error.
    """

    email = EmailField(
        _l("Correo electrónico"),
        validators=[
            DataRequired(_l("Escribe el correo electrónico.")),
            EmailAddress(_l("Escribe un correo electrónico válido.")),
            Length(max=254, message=_l("El correo puede tener hasta 254 caracteres.")),
        ],
    )
    name = StringField(
        _l("Nombre"),
        validators=[
            Optional(),
            Length(max=200, message=_l("El nombre puede tener hasta 200 caracteres.")),
        ],
    )
    role = SelectField(
        _l("Rol"), choices=[], validate_choice=False, validators=[DataRequired(_l("Elige el rol."))]
    )
    school_cct = StringField(_l("Escuela (clave CCT)"), validators=[Optional(), Length(max=10)])
    zone_cct = StringField(
        _l("Zona escolar (CCT de la supervisión)"), validators=[Optional(), Length(max=10)]
    )
    advised = TextAreaField(
        _l("Escuelas y zonas que acompaña (claves CCT, una por línea)"),
        validators=[Optional(), Length(max=5000)],
    )


class ZoneInvitationForm(InvitationForm):
    """A supervisor chooses the school among those of the zone."""

    school_cct = SelectField(
        _l("Escuela"), choices=[], validate_choice=False, validators=[DataRequired(_l("Elige la escuela."))]
    )


class PasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = PasswordField(
        _l("Contraseña nueva"),
        validators=[
            DataRequired(_l("Escribe una contraseña.")),
            Length(
                min=MIN_PASSWORD_LENGTH, message=_l("La contraseña debe tener al menos %(min)d caracteres.")
            ),
            Length(
                max=MAX_PASSWORD_LENGTH, message=_l("La contraseña puede tener hasta %(max)d caracteres.")
            ),
        ],
    )
    confirm = PasswordField(
        _l("Repite la contraseña"),
        validators=[
            DataRequired(_l("Repite la contraseña.")),
            EqualTo("password", message=_l("Las contraseñas no coinciden.")),
        ],
    )


class ChangePasswordForm(PasswordForm):
    """The person's own new password, after the current one."""

    current = PasswordField(
        _l("Contraseña actual"),
        validators=[
            DataRequired(_l("Escribe tu contraseña actual.")),
            Length(max=MAX_PASSWORD_LENGTH, message=_l("La contraseña actual no es correcta.")),
        ],
    )


class AcceptInvitationForm(PasswordForm):
    name = StringField(
        _l("Tu nombre completo"),
        validators=[
            DataRequired(_l("Escribe tu nombre.")),
            Length(max=200, message=_l("El nombre puede tener hasta 200 caracteres.")),
        ],
    )


class AdvisorForm(FlaskForm):
    advised = TextAreaField(
        _l("Escuelas y zonas que acompaña (claves CCT, una por línea)"),
        validators=[Optional(), Length(max=5000)],
    )


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("Nombre del token"),
        validators=[
            DataRequired(_l("Escribe un nombre para reconocer el token.")),
            Length(max=100, message=_l("El nombre puede tener hasta 100 caracteres.")),
        ],
    )
    scope = SelectField(
        _l("Qué puede hacer"),
        choices=[
            SelectChoice("lectura", _l("Solo consultar")),
            SelectChoice("lectura_escritura", _l("Consultar y escribir")),
        ],
        default="lectura",
        validate_choice=False,  # the service says what is wrong, in the field
    )
    days = SelectField(
        _l("Cuánto tiempo funciona"),
        choices=[
            SelectChoice("30", _l("30 días")),
            SelectChoice("90", _l("90 días")),
            SelectChoice("365", _l("Un año")),
        ],
        default="90",
        validate_choice=False,
    )


class EmptyForm(FlaskForm):
    """Only the CSRF token: for buttons that POST (revoke, deactivate, issue a reset)."""
