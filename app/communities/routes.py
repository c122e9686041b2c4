"""Pages of the communities of practice: the list (and suggestions), a new one, a community's
board, and the buttons of members and leaders."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app import permissions
from app.communities import bp, services, suggestions
from app.communities.forms import CommunityForm, PostForm, ReasonForm, ReplyForm
from app.communities.models import CommunityPost
from app.extensions import db
from app.problems.models import Category
from app.uploads import INLINE_TYPES
from app.views import load_or_abort, run_service, send_private


def _community(community_id: int):
    return load_or_abort(services.get_community, community_id, check=permissions.can_view_community)


@bp.route("/comunidades")
@login_required
def index():
    q = (request.args.get("q") or "").strip()[:100]
    return render_template(
        "communities/index.html",
        rows=services.communities_list(actor=current_user, q=q),
        q=q,
        suggestions=suggestions.suggestions(actor=current_user),
        can_propose=permissions.can_propose_community(current_user),
    )


@bp.route("/comunidades/nueva", methods=["GET", "POST"])
@login_required
def new():
    if not permissions.can_propose_community(current_user):
        abort(403)
    form = CommunityForm()
    form.categories.choices = [
        SelectChoice(c.code, c.name)
        for c in db.session.execute(select(Category).order_by(Category.facet, Category.name)).scalars()
    ]
    if not form.is_submitted():
        form.categories.data = [c for c in request.args.getlist("categoria") if c]
        form.name.data = (request.args.get("nombre") or "")[:120]
    status = 200
    if form.is_submitted():
        done = form.validate() and run_service(
            lambda: services.propose_community(
                {
                    "name": form.name.data,
                    "description": form.description.data,
                    "categories": form.categories.data,
                },
                actor=current_user,
            ),
            success=_("Comunidad creada. Invite a otras escuelas a unirse."),
            on_errors=form.set_errors,
            category="success",
        )
        if done:
            return redirect(url_for("communities.detail", community_id=done.value.id))
        status = 422
    return render_template("communities/new.html", form=form), status


def _post_form(form: PostForm | None = None) -> PostForm:
    form = form or PostForm()
    links = services.post_links(current_user)
    none = SelectChoice("", _("— Ninguna —"))
    form.problem_id.choices = [none, *(SelectChoice(str(p.id), p.title) for p in links["problems"])]
    form.practice_id.choices = [none, *(SelectChoice(str(p.id), p.title) for p in links["practices"])]
    form.narrative_id.choices = [none, *(SelectChoice(str(n.id), n.title) for n in links["narratives"])]
    return form


def _render(community, *, post_form=None, reply_forms=None, status=200):
    return render_template(
        "communities/detail.html",
        community=community,
        posts=services.board(community),
        me=permissions.community_membership(current_user, community),
        post_form=_post_form(post_form),
        reply_forms=reply_forms or {},
        ReplyForm=ReplyForm,
        ReasonForm=ReasonForm,
        can_moderate=permissions.can_moderate_community(current_user, community),
        can_see_names=permissions.can_see_member_names(current_user, community),
        meeting_zones=services.meeting_zones(community),
        could_join=suggestions.could_join(community)
        if permissions.is_community_member(current_user, community)
        else [],
        participation=suggestions.participation(community)
        if permissions.can_moderate_community(current_user, community)
        else None,
        may_see_practice=lambda p: permissions.can_view_practice(current_user, p),
        may_see_narrative=lambda n: permissions.can_view_narrative(current_user, n),
    ), status


@bp.route("/comunidades/<int:community_id>")
@login_required
def detail(community_id: int):
    return _render(_community(community_id))


def _back(community, anchor: str = ""):
    return redirect(url_for("communities.detail", community_id=community.id) + anchor)


@bp.route("/comunidades/<int:community_id>/unirse", methods=["POST"])
@login_required
def join(community_id: int):
    community = _community(community_id)
    run_service(
        lambda: services.join(community, actor=current_user), success=_("Ya es parte de la comunidad.")
    )
    return _back(community)


@bp.route("/comunidades/<int:community_id>/salir", methods=["POST"])
@login_required
def leave(community_id: int):
    community = _community(community_id)
    run_service(lambda: services.leave(community, actor=current_user), success=_("Salió de la comunidad."))
    return _back(community)


@bp.route("/comunidades/<int:community_id>/seguir", methods=["POST"])
@login_required
def follow(community_id: int):
    community = _community(community_id)
    following = request.form.get("seguir") == "1"
    run_service(
        lambda: services.set_following(community, following, actor=current_user),
        success=_("Recibirá avisos de nuevas publicaciones.") if following else _("Ya no recibirá avisos."),
    )
    return _back(community)


@bp.route("/comunidades/<int:community_id>/resumen", methods=["POST"])
@login_required
def digest(community_id: int):
    community = _community(community_id)
    wanted = request.form.get("resumen") == "1"
    run_service(
        lambda: services.set_digest(community, wanted, actor=current_user),
        success=_("Recibirá un correo al día con lo nuevo.")
        if wanted
        else _("Ya no recibirá el correo diario."),
    )
    return _back(community)


@bp.route("/comunidades/<int:community_id>/publicar", methods=["POST"])
@login_required
def post(community_id: int):
    community = _community(community_id)
    form = PostForm()
    data = {k: getattr(form, k).data for k in ("body", "problem_id", "practice_id", "narrative_id")}
    data["file"] = request.files.get("evidence")
    done = form.validate() and run_service(
        lambda: services.add_post(community, data, actor=current_user),
        success=_("Publicado."),
        on_errors=form.set_errors,
        category="success",
    )
    if done:
        return _back(community, f"#publicacion-{done.value.id}")
    return _render(community, post_form=form, status=422)


def _post(post_id: int) -> CommunityPost:
    post = db.session.get(CommunityPost, post_id)
    if post is None:
        abort(404)
    return post


@bp.route("/comunidades/publicaciones/<int:post_id>/responder", methods=["POST"])
@login_required
def reply(post_id: int):
    parent = _post(post_id)
    community = _community(parent.community_id)
    form = ReplyForm(prefix=f"r{parent.id}")
    done = form.validate() and run_service(
        lambda: services.add_post(community, {"body": form.body.data}, actor=current_user, parent=parent),
        on_errors=form.set_errors,
    )
    if done:
        return _back(community, f"#publicacion-{parent.id}")
    return _render(community, reply_forms={parent.id: form}, status=422)


@bp.route("/comunidades/publicaciones/<int:post_id>/me-sirvio", methods=["POST"])
@login_required
def react(post_id: int):
    post = _post(post_id)
    community = _community(post.community_id)
    run_service(lambda: services.toggle_reaction(post, actor=current_user))
    return _back(community, f"#publicacion-{post.parent_id or post.id}")


@bp.route("/comunidades/publicaciones/<int:post_id>/fijar", methods=["POST"])
@login_required
def pin(post_id: int):
    post = _post(post_id)
    community = _community(post.community_id)
    pinned = request.form.get("fijar") == "1"
    run_service(lambda: services.pin_post(post, pinned, actor=current_user))
    return _back(community, f"#publicacion-{post.id}")


@bp.route("/comunidades/publicaciones/<int:post_id>/ocultar", methods=["POST"])
@login_required
def hide(post_id: int):
    post = _post(post_id)
    community = _community(post.community_id)
    form = ReasonForm(prefix=f"h{post.id}")
    run_service(
        lambda: services.hide_post(post, {"reason": form.reason.data}, actor=current_user),
        success=_("Publicación ocultada; el motivo queda a la vista."),
    )
    return _back(community, f"#publicacion-{post.parent_id or post.id}")


@bp.route("/comunidades/<int:community_id>/miembros/<int:member_id>/quitar", methods=["POST"])
@login_required
def remove_member(community_id: int, member_id: int):
    community = _community(community_id)
    form = ReasonForm(prefix=f"m{member_id}")
    run_service(
        lambda: services.remove_member(
            community, member_id, {"reason": form.reason.data}, actor=current_user
        ),
        success=_("Miembro quitado de la comunidad."),
    )
    return _back(community, "#miembros")


@bp.route("/comunidades/<int:community_id>/miembros/<int:member_id>/lider", methods=["POST"])
@login_required
def make_leader(community_id: int, member_id: int):
    community = _community(community_id)
    run_service(
        lambda: services.make_leader(community, member_id, actor=current_user),
        success=_("Ahora también modera la comunidad."),
    )
    return _back(community, "#miembros")


def _evidence(post_id: int) -> CommunityPost:
    """A post's evidence: for members and the administrator (pictures of classrooms are not public)."""
    post = _post(post_id)
    community = _community(post.community_id)
    if not permissions.can_see_member_names(current_user, community):
        abort(403)
    if post.evidence_stored_name is None or post.hidden_at is not None:
        abort(404)
    return post


@bp.route("/comunidades/publicaciones/<int:post_id>/evidencia")
@login_required
def evidence(post_id: int):
    post = _evidence(post_id)
    path = services.evidence_path(post)
    if not path.is_file():
        abort(404)
    return send_private(
        path.read_bytes(),  # capped at MAX_EVIDENCE_BYTES
        post.evidence_mime,
        post.evidence_name or "evidencia",
        inline=post.evidence_mime in INLINE_TYPES,
        cache="private, max-age=3600",
        etag=post.evidence_stored_name,
    )


@bp.route("/comunidades/publicaciones/<int:post_id>/miniatura")
@login_required
def evidence_thumbnail(post_id: int):
    post = _evidence(post_id)
    if not post.evidence_is_image:
        abort(404)
    path = services.evidence_thumbnail(post)  # made by a job, never here
    if path is None:
        response = redirect(url_for("communities.evidence", post_id=post.id))
        response.headers["Cache-Control"] = "private, no-store"
        return response
    return send_private(
        path.read_bytes(), "image/jpeg", f"miniatura-{post.id}.jpg", cache="private, max-age=86400"
    )
