"""The person's own account page ("Mi cuenta"): change the password, close every other session.

Both end every other session of the account, on every device, including remember-me cookies and
open live rooms (app.auth.sessions); the browser that asked is logged in again under the new token.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth import bp, services
from app.auth.forms import ChangePasswordForm, EmptyForm
from app.auth.routes import _form_errors
from app.auth.sessions import ALL_CLOSED
from app.views import run_service


def _account_page(password_form: ChangePasswordForm, status: int = 200):
    response = render_template(
        "auth/account.html", password_form=password_form, sessions_form=EmptyForm(), user=current_user
    )
    return response, status


@bp.route("/cuenta")
@login_required
def account():
    return _account_page(ChangePasswordForm(formdata=None))


@bp.route("/cuenta/contrasena", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _account_page(form, 422)
    user = current_user._get_current_object()
    if not run_service(
        lambda: services.change_password(user, form.current.data, form.password.data, form.confirm.data),
        on_errors=_form_errors(form),
    ):
        return _account_page(form, 422)
    services.stay_logged_in(user)
    flash(
        _(
            "Tu contraseña se cambió. Se cerró tu sesión en los demás navegadores y dispositivos; "
            "en este sigues dentro."
        ),
        "info",
    )
    return redirect(url_for("auth.account"))


@bp.route("/cuenta/sesiones/cerrar", methods=["POST"])
@login_required
def close_sessions():
    if not EmptyForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    services.end_sessions(user, reason=ALL_CLOSED)
    services.stay_logged_in(user)
    flash(
        _(
            "Cerraste tus sesiones en los demás navegadores y dispositivos: allí habrá que volver a "
            "iniciar sesión. Tus salas en vivo abiertas se desconectaron. En este navegador sigues dentro."
        ),
        "info",
    )
    return redirect(url_for("auth.account"))
