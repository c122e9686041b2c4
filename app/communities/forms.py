"""A community, a post, a reply and a moderation reason (the rules live in services.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField

from app.communities.models import DESCRIPTION_MAX, NAME_MAX, POST_MAX, REASON_MAX
from app.forms import ServiceForm
from app.practices.forms import MultiCheckboxField


class CommunityForm(ServiceForm):
    name = StringField(_l("Nombre"), render_kw={"maxlength": NAME_MAX})
    description = TextAreaField(
        _l("De qué trata y a quién invita"), render_kw={"maxlength": DESCRIPTION_MAX, "rows": 4}
    )
    categories = MultiCheckboxField(_l("Categorías de problemáticas"), choices=[], validate_choice=False)


class PostForm(ServiceForm):
    body = TextAreaField(_l("Publicación"), render_kw={"maxlength": POST_MAX, "rows": 4})
    problem_id = SelectField(_l("Sobre la problemática"), choices=[], validate_choice=False)
    practice_id = SelectField(_l("Sobre la práctica"), choices=[], validate_choice=False)
    narrative_id = SelectField(_l("Sobre el relato"), choices=[], validate_choice=False)
    evidence = FileField(
        _l("Evidencia (foto o PDF, opcional)"),
        render_kw={"accept": "image/jpeg,image/png,image/webp,application/pdf"},
    )


class ReplyForm(ServiceForm):
    body = TextAreaField(_l("Respuesta"), render_kw={"maxlength": POST_MAX, "rows": 2})


class ReasonForm(ServiceForm):
    reason = StringField(_l("Motivo"), render_kw={"maxlength": REASON_MAX})
