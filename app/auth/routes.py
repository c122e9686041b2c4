"""Routes of the auth area: login, logout, invitations, password resets, people and API tokens."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app import permissions
from app.auth import bp, services
from app.auth.forms import (
    AcceptInvitationForm,
    AdvisorForm,
    ApiTokenForm,
    EmptyForm,
    InvitationForm,
    LoginForm,
    PasswordForm,
    ZoneInvitationForm,
)
from app.auth.mail import mail_enabled, send_invitation_email, send_password_reset_email
from app.auth.models import ROLE_LABELS, ROLES, ApiToken, Invitation, User
from app.auth.sessions import LOGGED_OUT
from app.extensions import db
from app.urls import safe_next
from app.views import commit_before_responding, load_or_abort, run_service


def _safe_next(target: str | None) -> str:
    return safe_next(target) or url_for("main.index")


def _form_errors(form):
    """``on_errors`` for run_service: a service's errors under the matching fields, the rest flashed."""

    def show(errors: dict[str, str]) -> None:
        for name, message in errors.items():
            field = getattr(form, name, None) if name != "_" else None
            if field is not None and hasattr(field, "errors"):
                field.errors = [message]
            else:
                flash(message, "error")

    return show


def _no_store(response):
    """Pages that show a secret once must not be kept by the browser or a proxy."""
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    return response


def _can_manage_users(actor, _target) -> bool:
    return permissions.can_manage_users(actor)


# --- login and logout ------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = services.authenticate(form.email.data, form.password.data, ip=request.remote_addr)
        commit_before_responding()  # a refused login is counted, though the answer is an error
        if result.user is not None:
            login_user(result.user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        flash(result.error, "error")
        status = 429 if result.rate_limited else 401
    elif request.method == "POST":
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    # A new session token: a copy of this browser's cookies (stolen or left on a shared computer)
    # stops working too, as do the person's other sessions.
    services.end_sessions(current_user._get_current_object(), reason=LOGGED_OUT)
    logout_user()
    flash(_("Cerraste sesión en todos tus navegadores y dispositivos."), "info")
    return redirect(url_for("auth.login"))


# --- invitations -----------------------------------------------------------------------------


def _invitation_form(roles: list[str], *, blank: bool = False) -> InvitationForm:
    kwargs = {"formdata": None} if blank else {}
    if current_user.role == "supervisor":
        form = ZoneInvitationForm(**kwargs)
        zone = current_user.zone
        form.school_cct.choices = [("", _("— Elige la escuela —"))] + [
            (s.cct, f"{s.name} ({s.cct})") for s in (zone.schools if zone else [])
        ]
    else:
        form = InvitationForm(**kwargs)
    form.role.choices = [(r, ROLE_LABELS[r]) for r in roles]
    if len(roles) > 1:
        form.role.choices.insert(0, ("", _("— Elige el rol —")))
    elif not form.role.data:
        form.role.data = roles[0]
    return form


@bp.route("/invitaciones", methods=["GET", "POST"])
@login_required
def invitations():
    roles = services.invitable_roles(current_user)
    if not roles:
        abort(403)
    form = _invitation_form(roles)
    status, link, issued, mailed = 200, None, None, None
    if form.validate_on_submit():
        done = run_service(
            lambda: services.create_invitation(
                {
                    "email": form.email.data,
                    "name": form.name.data,
                    "role": form.role.data,
                    "school_cct": form.school_cct.data,
                    "zone_cct": form.zone_cct.data,
                    "advised": form.advised.data,
                },
                actor=current_user,
            ),
            on_errors=_form_errors(form),
        )
        if not done:
            status = 422
        else:
            issued, token = done.value
            commit_before_responding()  # the e-mail, and the page, promise a stored invitation
            link = url_for("auth.accept_invitation", token=token, _external=True)
            mailed = send_invitation_email(issued, link) if mail_enabled() else None
            form = _invitation_form(roles, blank=True)
    elif request.method == "POST":
        status = 422
    response = render_template(
        "auth/invitations.html",
        form=form,
        roles=roles,
        link=link,
        issued=issued,
        mailed=mailed,
        invitations=services.invitations_issued_by(current_user),
        status_of=services.invitation_status,
        revoke_form=EmptyForm(),
        role_labels=ROLE_LABELS,
    )
    return _no_store((response, status))


@bp.route("/invitaciones/<int:invitation_id>/retirar", methods=["POST"])
@login_required
def revoke_invitation(invitation_id: int):
    invitation = load_or_abort(Invitation, invitation_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    run_service(
        lambda: services.revoke_invitation(invitation, actor=current_user),
        success=_("Retiraste la invitación; su enlace ya no funciona."),
    )
    return redirect(url_for("auth.invitations"))


def _token_problem(kind: str, found) -> tuple[str, int] | None:
    """The message and status for a link ('invitation' or 'reset') that cannot be used, else None."""
    if found is None:
        if kind == "invitation":
            return _(
                "Este enlace de invitación no existe. Revisa que lo copiaste completo o pide uno nuevo."
            ), 404
        return _(
            "Este enlace de restablecimiento no existe. Revisa que lo copiaste completo o pide uno nuevo."
        ), 404
    if not found.is_usable():
        if kind == "invitation":
            return _(
                "Este enlace de invitación ya fue usado o venció. Pide uno nuevo a quien te lo envió."
            ), 410
        return _(
            "Este enlace de restablecimiento ya fue usado o venció. Pide uno nuevo a quien te lo envió."
        ), 410
    return None


@bp.route("/invitacion/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = services.find_invitation(token)
    problem = _token_problem("invitation", invitation)
    if problem:
        return render_template("auth/link_invalid.html", message=problem[0]), problem[1]
    form = AcceptInvitationForm()
    if request.method == "GET" and invitation.name:
        form.name.data = invitation.name
    status = 200
    if form.validate_on_submit():
        done = run_service(
            lambda: services.accept_invitation(
                invitation,
                {
                    "name": form.name.data,
                    "password": form.password.data,
                    "confirm": form.confirm.data,
                },
            ),
            on_errors=_form_errors(form),
        )
        if not done:
            status = 422
        else:
            user = done.value
            logout_user()
            login_user(user)
            flash(_("¡Bienvenida/o, %(name)s! Tu cuenta quedó lista.", name=user.name), "info")
            return redirect(url_for("main.index"))
    elif request.method == "POST":
        status = 422
    return render_template(
        "auth/accept_invitation.html",
        form=form,
        invitation=invitation,
        role_label=str(ROLE_LABELS.get(invitation.role, invitation.role)),
    ), status


# --- password resets -------------------------------------------------------------------------


@bp.route("/personas/<int:user_id>/restablecer", methods=["POST"])
@login_required
def issue_reset(user_id: int):
    target = load_or_abort(User, user_id, check=permissions.can_issue_password_reset)
    if not EmptyForm().validate_on_submit():
        abort(400)
    reset, token = services.issue_password_reset(target, actor=current_user)
    commit_before_responding()  # the e-mail, and the page, promise a stored link
    link = url_for("auth.reset_password", token=token, _external=True)
    mailed = (
        send_password_reset_email(target.email, target.name, link, target.locale) if mail_enabled() else None
    )
    return _no_store(
        render_template("auth/reset_issued.html", target=target, reset=reset, link=link, mailed=mailed)
    )


@bp.route("/restablecer/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    reset = services.find_password_reset(token)
    problem = _token_problem("reset", reset)
    if problem:
        return render_template("auth/link_invalid.html", message=problem[0]), problem[1]
    form = PasswordForm()
    status = 200
    if form.validate_on_submit():
        if not run_service(
            lambda: services.reset_password(reset, form.password.data, form.confirm.data),
            on_errors=_form_errors(form),
        ):
            status = 422
        else:
            logout_user()
            flash(_("Tu contraseña se cambió. Ya puedes iniciar sesión."), "info")
            return redirect(url_for("auth.login"))
    elif request.method == "POST":
        status = 422
    return render_template("auth/reset_password.html", form=form, target=reset.user), status


# --- people ----------------------------------------------------------------------------------


@bp.route("/personas")
@login_required
def people():
    if not services.can_see_people(current_user):
        abort(403)
    role = request.args.get("rol") or None
    zone_cct = (request.args.get("zona") or "").strip()
    zone = services.zone_by_cct(zone_cct) if zone_cct and permissions.is_admin(current_user) else None
    query = services.people_query(current_user, role=role, zone=zone, q=request.args.get("q"))
    page = db.paginate(query, page=request.args.get("page", 1, type=int), per_page=50, error_out=False)
    return render_template(
        "auth/people.html",
        page=page,
        roles=ROLES,
        role_labels=ROLE_LABELS,
        role=role,
        zone_cct=zone_cct,
        zone=zone,
        q=request.args.get("q", ""),
        action_form=EmptyForm(),
    )


@bp.route("/personas/<int:user_id>/activa", methods=["POST"])
@login_required
def set_active(user_id: int):
    target = load_or_abort(User, user_id, check=_can_manage_users)
    if not EmptyForm().validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    if run_service(lambda: services.set_user_active(target, active, actor=current_user)):
        flash(
            _("Activaste la cuenta de %(name)s.", name=target.name)
            if active
            else _("Desactivaste la cuenta de %(name)s.", name=target.name),
            "info",
        )
    return redirect(_safe_next(request.form.get("next") or url_for("auth.people")))


@bp.route("/personas/<int:user_id>/asesoria", methods=["GET", "POST"])
@login_required
def advisor(user_id: int):
    target = load_or_abort(User, user_id, check=_can_manage_users)
    if target.role != "asesor":
        abort(404)
    form = AdvisorForm()
    status = 200
    if request.method == "GET":
        form.advised.data = "\n".join(
            [z.cct for z in target.advised_zones] + [s.cct for s in target.advised_schools]
        )
    elif form.validate_on_submit():
        if run_service(
            lambda: services.assign_advisor(target, form.advised.data or "", actor=current_user),
            success=_("Guardaste las escuelas y zonas de %(name)s.", name=target.name),
            on_errors=_form_errors(form),
        ):
            return redirect(url_for("auth.people", rol="asesor"))
        status = 422
    else:
        status = 422
    return render_template("auth/advisor.html", form=form, target=target), status


# --- API tokens ------------------------------------------------------------------------------


@bp.route("/cuenta/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form = ApiTokenForm()
    status, created, secret = 200, None, None
    if form.validate_on_submit():
        done = run_service(
            lambda: services.create_api_token(
                form.name.data,
                actor=current_user,
                days=int(form.days.data) if (form.days.data or "").isdigit() else 0,
                scope=form.scope.data,
            ),
            on_errors=_form_errors(form),
        )
        if not done:
            status = 422
        else:
            created, secret = done.value
            form = ApiTokenForm(formdata=None)
    elif request.method == "POST":
        status = 422
    response = render_template(
        "auth/tokens.html",
        form=form,
        created=created,
        secret=secret,
        api_tokens=services.api_tokens_of(current_user),
        revoke_form=EmptyForm(),
    )
    return _no_store((response, status))


@bp.route("/cuenta/tokens/<int:token_id>/revocar", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    api_token = load_or_abort(ApiToken, token_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    run_service(
        lambda: services.revoke_api_token(api_token, actor=current_user),
        success=_("Revocaste el token «%(name)s».", name=api_token.name),
    )
    return redirect(url_for("auth.tokens"))
