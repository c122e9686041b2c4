"""Forms of the commitments area. They carry what was typed; the rules live in ``services.py``.

``set_errors`` (app.forms.ServiceForm) places a service's ``ValidationError`` next to its field.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.commitments.limits import ACTION_MAX, CLASSROOM_MAX, NOTE_MAX, RESPONSIBLE_MAX, TEXT_MAX
from app.commitments.models import COMMITMENT_STATUSES
from app.forms import ServiceForm


class CommitmentForm(ServiceForm):
    """A school's commitment in an encounter."""

    field_map = {"school": "school_id"}

    school_id = SelectField(_l("Escuela"), choices=[], validate_choice=False)
    action = TextAreaField(_l("Acción"), render_kw={"rows": 3, "maxlength": ACTION_MAX})
    classroom = StringField(
        _l("Aula o grado"), render_kw={"maxlength": CLASSROOM_MAX, "placeholder": _l("4° A")}
    )
    responsible = StringField(_l("Responsable"), render_kw={"maxlength": RESPONSIBLE_MAX})
    due_date = StringField(_l("Fecha límite"), render_kw={"type": "date"})
    follow_up = TextAreaField(_l("Mecanismo de seguimiento"), render_kw={"rows": 2, "maxlength": TEXT_MAX})
    needs_external_advice = BooleanField(_l("Requiere asesoría externa"))
    problem_id = SelectField(_l("Problemática (opcional)"), choices=[], validate_choice=False)

    def to_service_data(self) -> dict:
        """What was typed, as the ``data`` of ``record_commitment``."""
        return {
            k: self[k].data
            for k in (
                "action",
                "classroom",
                "responsible",
                "due_date",
                "follow_up",
                "needs_external_advice",
                "problem_id",
            )
        }


class CommitmentNoteForm(ServiceForm):
    """A progress note on a commitment: text, optional evidence, optional new status and date."""

    field_map = {"evidence": "evidence"}

    body = TextAreaField(_l("Avance"), render_kw={"rows": 3, "maxlength": NOTE_MAX})
    status = SelectField(
        _l("Nuevo estado"),
        choices=[SelectChoice("", _l("— sin cambio —"))]
        + [SelectChoice(k, v) for k, v in COMMITMENT_STATUSES.items()],
        default="",
        validate_choice=False,
    )
    new_due_date = StringField(_l("Nueva fecha límite (al reprogramar)"), render_kw={"type": "date"})
    evidence = FileField(
        _l("Evidencia (imagen o PDF, opcional)"),
        render_kw={"accept": "image/jpeg,image/png,image/webp,application/pdf"},
    )
