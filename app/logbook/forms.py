"""Forms of the logbook area. They carry what was typed; the rules live in ``services.py``.

``set_errors`` places a service's ``ValidationError`` next to the matching fields; errors that
match no field are kept in ``form.form_errors`` and shown above the form.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.commitments.forms import CommitmentForm, CommitmentNoteForm  # noqa: F401
from app.commitments.limits import NOTE_MAX, TEXT_MAX
from app.forms import ServiceForm
from app.logbook.minutes import AGREEMENT_KIND_LABELS
from app.logbook.models import TITLE_MAX


class AgreementForm(ServiceForm):
    """An agreement, a need for outside advice, or the classroom experience to observe."""

    field_map = {"group": "group_id"}

    group_id = SelectField(_l("Grupo"), choices=[], validate_choice=False)
    kind = SelectField(
        _l("Tipo"),
        choices=[SelectChoice(k, v) for k, v in AGREEMENT_KIND_LABELS.items()],
        default="acuerdo",
        validate_choice=False,
    )
    text = TextAreaField(_l("Texto"), render_kw={"rows": 3, "maxlength": TEXT_MAX})
    school_id = SelectField(_l("Escuela (opcional)"), choices=[], validate_choice=False)

    def to_service_data(self) -> dict:
        """What was typed, as the ``data`` of ``record_agreement``."""
        return {"kind": self.kind.data, "text": self.text.data, "school_id": self.school_id.data}


class LogbookNoteForm(ServiceForm):
    """A note the director adds to the school's logbook."""

    title = StringField(_l("Título"), render_kw={"maxlength": TITLE_MAX})
    body = TextAreaField(_l("Nota"), render_kw={"rows": 4, "maxlength": NOTE_MAX})


class ConfirmForm(FlaskForm):
    """A button that only needs its CSRF token."""
