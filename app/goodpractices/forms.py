"""Forms of the good practices area. They carry what was typed; the rules live in ``services.py``,
and ``set_errors`` shows a service's errors next to the matching fields (the rest above the form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.commitments.limits import CLASSROOM_MAX, RESPONSIBLE_MAX
from app.forms import ServiceForm
from app.goodpractices.services import RATIONALE_MAX, TITLE_MAX
from app.practices.forms import MultiCheckboxField
from app.practices.limits import NOTES_MAX
from app.practices.limits import TITLE_MAX as PRACTICE_TITLE_MAX
from app.practices.models import OUTCOMES, VISIBILITY_LABELS


def _choices(labels: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class PublishForm(ServiceForm):
    """Publish a fulfilled commitment as a practice (prefilled from the commitment)."""

    title = StringField(_l("Título de la práctica"), render_kw={"maxlength": PRACTICE_TITLE_MAX})
    summary = TextAreaField(_l("Resumen: qué hicieron y para qué"), render_kw={"rows": 4})
    steps = TextAreaField(_l("Pasos"), render_kw={"rows": 5})
    results = TextAreaField(_l("Resultados observados"), render_kw={"rows": 5})
    categories = MultiCheckboxField(_l("Categorías que atiende"), choices=[], validate_choice=False)
    outcome = SelectField(
        _l("¿Cómo juzgan sus resultados?"), choices=_choices(OUTCOMES), validate_choice=False
    )
    visibility = RadioField(
        _l("¿Quién puede verla?"), choices=_choices(VISIBILITY_LABELS), default="zona", validate_choice=False
    )
    copy_evidence = BooleanField(_l("Copiar las evidencias del seguimiento a la práctica"), default=True)


class RecognitionForm(ServiceForm):
    """Recognise a practice as a good practice of a zone."""

    zone_id = SelectField(_l("Zona escolar"), choices=[], validate_choice=False)
    rationale = TextAreaField(
        _l("Por qué es una buena práctica"), render_kw={"rows": 3, "maxlength": RATIONALE_MAX}
    )


class AdoptForm(ServiceForm):
    """*La adoptamos*: who applies the practice and by when."""

    responsible = StringField(_l("Responsable"), render_kw={"maxlength": RESPONSIBLE_MAX})
    due_date = StringField(_l("Fecha límite"), render_kw={"type": "date"})
    classroom = StringField(
        _l("Aula o grado"), render_kw={"maxlength": CLASSROOM_MAX, "placeholder": _l("4° A")}
    )
    notes = TextAreaField(_l("Qué piensan adaptar"), render_kw={"rows": 3, "maxlength": NOTES_MAX})


class OutcomeForm(ServiceForm):
    """How applying an adopted practice went."""

    outcome = SelectField(
        _l("¿Cómo les fue al aplicarla?"), choices=_choices(OUTCOMES), validate_choice=False
    )
    outcome_notes = TextAreaField(
        _l("Qué observaron al aplicarla"), render_kw={"rows": 3, "maxlength": NOTES_MAX}
    )
    back = HiddenField()


class NarrativeForm(ServiceForm):
    """A relato: what we faced, tried, what happened and what we learned."""

    title = StringField(_l("Título del relato"), render_kw={"maxlength": TITLE_MAX})
    faced = TextAreaField(_l("Qué enfrentamos"), render_kw={"rows": 5})
    tried = TextAreaField(_l("Qué intentamos"), render_kw={"rows": 5})
    happened = TextAreaField(_l("Qué pasó"), render_kw={"rows": 5})
    learned = TextAreaField(_l("Qué aprendimos"), render_kw={"rows": 5})
    practice_id = SelectField(_l("Práctica"), choices=[], validate_choice=False)
    problem_id = SelectField(_l("Problemática"), choices=[], validate_choice=False)
    encounter_id = SelectField(_l("Encuentro"), choices=[], validate_choice=False)
