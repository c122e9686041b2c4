"""The contact request and its replies (the rules live in services.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField

from app.contacts.models import MESSAGE_MAX
from app.forms import ServiceForm


class ContactForm(ServiceForm):
    """What the request is about (optional) and the message."""

    about = SelectField(_l("Sobre"), choices=[], validate_choice=False)
    message = TextAreaField(
        _l("Mensaje"),
        render_kw={"maxlength": MESSAGE_MAX, "rows": 5},
        description=_l(
            "Cuéntales qué quieren saber y cómo prefieren conversar (por ejemplo, una llamada o una visita)."
        ),
    )


class ReplyForm(ServiceForm):
    """One reply in the conversation."""

    message = TextAreaField(_l("Respuesta"), render_kw={"maxlength": MESSAGE_MAX, "rows": 4})
