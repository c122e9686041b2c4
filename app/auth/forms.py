"""Forms of the auth area, with messages in Spanish."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length


class LoginForm(FlaskForm):
    email = EmailField("Correo electrónico", validators=[
        DataRequired("Escribe tu correo electrónico."),
        Email("Escribe un correo electrónico válido."),
    ])
    password = PasswordField("Contraseña", validators=[DataRequired("Escribe tu contraseña.")])
    remember = BooleanField("Mantener la sesión abierta en este dispositivo")
