"""Mentoring's forms (the rules live in services.py): the offer, the request, the plan, a session
and the closing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.forms import ServiceForm
from app.mentoring.models import CAPACITY_MAX, CAPACITY_MIN, NOTE_MAX, OUTCOMES, REQUEST_KINDS, TEXT_MAX


class OfferForm(ServiceForm):
    """The categories one may mentor on, how many mentees at once, a short note."""

    categories = SelectMultipleField(
        _l("Categorías en las que puedo acompañar"), choices=[], validate_choice=False
    )
    capacity = StringField(
        _l("Personas que puedo acompañar a la vez"),
        render_kw={"type": "number", "min": CAPACITY_MIN, "max": CAPACITY_MAX, "inputmode": "numeric"},
        description=_l("De 1 a 5."),
    )
    note = TextAreaField(
        _l("Nota breve"),
        render_kw={"maxlength": NOTE_MAX, "rows": 3},
        description=_l("Por ejemplo: cómo prefieres acompañar (llamadas, visitas, sesiones en línea)."),
    )


class RequestForm(ServiceForm):
    """Who asks, about what, and a short note."""

    kind = RadioField(
        _l("¿Quién pide la mentoría?"),
        choices=[SelectChoice(k, v) for k, v in REQUEST_KINDS.items()],
        validate_choice=False,
    )
    about = SelectField(_l("Sobre"), choices=[], validate_choice=False)
    note = TextAreaField(
        _l("Nota breve"),
        render_kw={"maxlength": NOTE_MAX, "rows": 3},
        description=_l("Qué necesitas y qué ya intentaron."),
    )


class PlanForm(ServiceForm):
    goals = TextAreaField(_l("Metas"), render_kw={"maxlength": TEXT_MAX, "rows": 3})
    starts_on = StringField(_l("Inicio"), render_kw={"type": "date"})
    ends_on = StringField(_l("Término"), render_kw={"type": "date"})


class SessionForm(ServiceForm):
    held_on = StringField(_l("Fecha de la sesión"), render_kw={"type": "date"})
    done = TextAreaField(_l("Qué hicimos"), render_kw={"maxlength": TEXT_MAX, "rows": 3})
    next_step = TextAreaField(_l("Siguiente paso"), render_kw={"maxlength": TEXT_MAX, "rows": 2})


class CloseForm(ServiceForm):
    outcome = RadioField(
        _l("Resultado"), choices=[SelectChoice(k, v) for k, v in OUTCOMES.items()], validate_choice=False
    )
    note = TextAreaField(_l("Nota de cierre"), render_kw={"maxlength": TEXT_MAX, "rows": 3})
