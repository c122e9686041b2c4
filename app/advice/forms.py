"""The advisor's answer to a request: its status and a reply (the rules live in services.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.advice.models import ADVICE_STATUSES, REPLY_MAX
from app.forms import ServiceForm


class AnswerForm(ServiceForm):
    """Status (recibida, en atención, atendida) and a reply the school will read."""

    status = SelectField(
        _l("Estado"), choices=[SelectChoice(k, v) for k, v in ADVICE_STATUSES.items()], validate_choice=False
    )
    reply = TextAreaField(_l("Respuesta"), render_kw={"maxlength": REPLY_MAX, "rows": 3})
