"""Routes of the groupings area: propose, inspect, adjust by hand and accept a zone's grouping."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from app import permissions
from app.catalogue.models import School
from app.extensions import db
from app.groupings import bp, partners, presentation, services
from app.groupings.forms import HostForm, MoveForm, ProposeForm
from app.groupings.models import Grouping, GroupingGroup, GroupingMember
from app.views import get_or_404, load_or_abort, run_service, zone_or_404


def _grouping(grouping_id: int, check) -> Grouping:
    """The grouping with its members loaded (404), if ``check(person, its zone)`` allows it (403)."""
    return load_or_abort(
        lambda key: get_or_404(
            Grouping,
            key,
            selectinload(Grouping.groups)
            .selectinload(GroupingGroup.members)
            .selectinload(GroupingMember.school),
        ),
        grouping_id,
        check=lambda actor, grouping: check(actor, grouping.zone),
    )


@bp.route("/zonas/<cct>/agrupamientos", methods=["GET", "POST"])
@login_required
def propose(cct: str):
    zone = zone_or_404(cct, check=permissions.can_view_groupings)
    form = ProposeForm()
    status = 200
    if form.is_submitted():
        if not permissions.can_group_zone(current_user, zone):
            abort(403)

        def show(errors: dict[str, str]) -> None:
            for field, message in errors.items():
                getattr(form, field, form.min_size).errors.append(message)

        if form.validate():
            done = run_service(
                lambda: services.propose_grouping(zone, form.data, actor=current_user), on_errors=show
            )
            if done:
                return redirect(url_for("groupings.detail", grouping_id=done.value.id))
        status = 422
    groupings = (
        db.session.execute(
            db.select(Grouping).filter_by(zone_id=zone.id).order_by(Grouping.created_at.desc())
        )
        .scalars()
        .all()
    )
    school_count = db.session.scalar(db.select(db.func.count(School.id)).filter_by(zone_id=zone.id))
    return render_template(
        "groupings/propose.html", zone=zone, form=form, groupings=groupings, school_count=school_count
    ), status


@bp.route("/agrupamientos/<int:grouping_id>")
@login_required
def detail(grouping_id: int):
    grouping = _grouping(grouping_id, permissions.can_view_groupings)
    return render_template(
        "groupings/detail.html",
        grouping=grouping,
        **presentation.detail_context(grouping, actor=current_user),
        can_edit=permissions.can_group_zone(current_user, grouping.zone) and not grouping.is_accepted,
        move_form=MoveForm(),
        host_form=HostForm(),
    )


def _apply(grouping: Grouping, action) -> object:
    run_service(action)
    return redirect(url_for("groupings.detail", grouping_id=grouping.id))


@bp.route("/agrupamientos/<int:grouping_id>/mover", methods=["POST"])
@login_required
def move(grouping_id: int):
    grouping = _grouping(grouping_id, permissions.can_group_zone)
    form = MoveForm()
    if not form.validate():
        flash(_("Elige la escuela y el grupo de destino."), "error")
        return redirect(url_for("groupings.detail", grouping_id=grouping.id))
    target = form.target.data
    if target != "nuevo" and not str(target).isdigit():
        flash(_("Elige un grupo de destino válido."), "error")
        return redirect(url_for("groupings.detail", grouping_id=grouping.id))
    position = None if target == "nuevo" else int(target)
    return _apply(
        grouping, lambda: services.move_school(grouping, form.school_id.data, position, actor=current_user)
    )


@bp.route("/agrupamientos/<int:grouping_id>/grupos/<int:position>/sede", methods=["POST"])
@login_required
def host(grouping_id: int, position: int):
    grouping = _grouping(grouping_id, permissions.can_group_zone)
    form = HostForm()
    if not form.validate():
        flash(_("Elige la escuela sede."), "error")
        return redirect(url_for("groupings.detail", grouping_id=grouping.id))
    return _apply(
        grouping, lambda: services.set_host(grouping, position, form.school_id.data, actor=current_user)
    )


@bp.route("/agrupamientos/<int:grouping_id>/aceptar", methods=["POST"])
@login_required
def accept(grouping_id: int):
    grouping = _grouping(grouping_id, permissions.can_group_zone)
    response = _apply(grouping, lambda: services.accept_grouping(grouping, actor=current_user))
    if grouping.is_accepted:
        flash(_("Agrupamiento aceptado: queda listo para programar el encuentro."), "info")
    return response


@bp.app_template_global()
def practice_recommendations(problem, limit: int = 5) -> list[dict]:
    """For the problem page: practices that fit, for the person looking."""
    return services.recommend_practices_for_problem(problem, actor=current_user, limit=limit)


@bp.app_template_global()
def partner_recommendations(school, limit: int = 5) -> dict:
    """For the school page: partner schools inside and beyond the zone."""
    return services.recommend_partners_for_school(school, actor=current_user, limit=limit)


@bp.app_template_global()
def problem_partners(problem, limit: int = 5) -> dict:
    """For the problem page: schools that already solved it, then schools working on it too."""
    return partners.partners_for_problem(problem, actor=current_user, limit=limit)
