"""Forms of the encounters area.

Forms carry what was typed; the rules (dates in the future, schools in one group, host inside the
group, ...) live in ``services`` so that every caller refuses the same things. ``set_errors`` puts a
service's errors next to the fields. Dates and times are typed in local time (``type=date`` and
``type=time`` inputs) and become UTC here.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from app.encounters.agenda import ACTIVITY_TITLES
from app.encounters.models import ATTENDANCE_STATUSES, MODALITIES, PRESENTATION_KINDS
from app.utils import as_utc


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(str(value), label) for value, label in pairs]


MODALITY_CHOICES = choices(MODALITIES.items())
ATTENDANCE_CHOICES = list(ATTENDANCE_STATUSES.items())


def set_errors(form: FlaskForm, errors: dict[str, str], mapping: dict[str, str] | None = None) -> list[str]:
    """Put service errors on the form's fields; the messages with no field (to flash)."""
    loose = []
    for key, message in errors.items():
        name = (mapping or {}).get(key, key)
        field = getattr(form, name, None) if name != "_" else None
        if field is None or not hasattr(field, "errors"):
            loose.append(message)
            continue
        if not isinstance(field.errors, list):
            field.errors = list(field.errors)
        field.errors.append(message)
    return loose


class ActionForm(FlaskForm):
    """A button that posts (schedule, start, delete...): only the CSRF token."""


class EncounterForm(FlaskForm):
    """Title, local date and times, modality, zones, an accepted grouping, notes."""

    title = StringField(
        _l("Título"), render_kw={"maxlength": 200, "placeholder": _l("Cuarta sesión ordinaria del CTE")}
    )
    date = StringField(_l("Fecha"), render_kw={"type": "date"})
    start_time = StringField(_l("Hora de inicio"), default="08:00", render_kw={"type": "time"})
    end_time = StringField(_l("Hora de término"), default="12:30", render_kw={"type": "time"})
    modality = RadioField(
        _l("Modalidad"), choices=MODALITY_CHOICES, default="presencial", validate_choice=False
    )
    zone_ids = SelectMultipleField(_l("Zonas escolares"), choices=[], coerce=str, validate_choice=False)
    grouping_id = SelectField(_l("Grupos"), choices=[], validate_choice=False)
    notes = TextAreaField(_l("Notas para las escuelas"), render_kw={"rows": 3})

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        self._parsed = None
        try:
            self._parsed = self._times()
        except ValueError as exc:
            field, message = exc.args
            self[field].errors = list(self[field].errors) + [message]
            ok = False
        return ok

    def _times(self) -> tuple[datetime | None, datetime | None]:
        from app.dates import display_timezone

        day_text = (self.date.data or "").strip()
        if not day_text:
            raise ValueError("date", _("Escribe la fecha del encuentro."))
        try:
            day = datetime.strptime(day_text, "%Y-%m-%d").date()
        except ValueError:
            raise ValueError("date", _("Escribe la fecha como aaaa-mm-dd.")) from None
        tz = display_timezone()
        values = []
        for name in ("start_time", "end_time"):
            text = (self[name].data or "").strip()
            try:
                hour = datetime.strptime(text[:5], "%H:%M").time()
            except ValueError:
                raise ValueError(name, _("Escribe la hora como hh:mm.")) from None
            values.append(datetime.combine(day, hour, tzinfo=tz).astimezone(UTC))
        return values[0], values[1]

    def to_service_data(self) -> dict:
        """What was typed, as the ``data`` of ``create_encounter``/``update_encounter``."""
        starts_at, ends_at = self._parsed or (None, None)
        return {
            "title": self.title.data,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "modality": self.modality.data,
            "zone_ids": list(self.zone_ids.data or []),
            "grouping_id": self.grouping_id.data or None,
            "notes": self.notes.data,
        }

    def fill_from(self, encounter) -> None:
        """Show an encounter's current values (local time)."""
        from app.dates import display_timezone

        tz = display_timezone()
        start = as_utc(encounter.starts_at).astimezone(tz)
        end = as_utc(encounter.ends_at).astimezone(tz)
        self.title.data = encounter.title
        self.date.data = start.strftime("%Y-%m-%d")
        self.start_time.data = start.strftime("%H:%M")
        self.end_time.data = end.strftime("%H:%M")
        self.modality.data = encounter.modality
        self.zone_ids.data = [str(z.id) for z in encounter.zones]
        self.notes.data = encounter.notes


SERVICE_FIELDS = {"starts_at": "date", "ends_at": "end_time"}


class GroupForm(FlaskForm):
    """A group: its schools, host school (sede), address, room, link, facilitator."""

    name = StringField(_l("Nombre del grupo"), render_kw={"maxlength": 120, "placeholder": _l("Grupo 1")})
    school_ids = SelectMultipleField(_l("Escuelas del grupo"), choices=[], coerce=str, validate_choice=False)
    host_school_id = SelectField(_l("Escuela sede"), choices=[], validate_choice=False)
    address = StringField(_l("Dirección de la sede"), render_kw={"maxlength": 300})
    room = StringField(_l("Salón"), render_kw={"maxlength": 120})
    online_url = StringField(_l("Enlace de la reunión en línea"), render_kw={"maxlength": 500, "type": "url"})
    facilitator_id = SelectField(_l("Quién facilita"), choices=[], validate_choice=False)
    facilitator_name = StringField(_l("Otra persona que facilita (nombre)"), render_kw={"maxlength": 200})

    def to_service_data(self) -> dict:
        """What was typed, as the ``data`` of ``add_group``/``update_group``."""
        return {
            "name": self.name.data,
            "school_ids": list(self.school_ids.data or []),
            "host_school_id": self.host_school_id.data or None,
            "address": self.address.data,
            "room": self.room.data,
            "online_url": self.online_url.data,
            "facilitator_id": self.facilitator_id.data or None,
            "facilitator_name": self.facilitator_name.data,
        }

    def fill_from(self, group) -> None:
        """Show a group's current values."""
        self.name.data = group.name
        self.school_ids.data = [str(m.school_id) for m in group.schools]
        self.host_school_id.data = str(group.host_school_id or "")
        self.address.data = group.address
        self.room.data = group.room
        self.online_url.data = group.online_url
        self.facilitator_id.data = str(group.facilitator_id or "")
        self.facilitator_name.data = group.facilitator_name


class AgendaItemForm(FlaskForm):
    """A new agenda item: the activity it belongs to, title, minutes, description."""

    activity = SelectField(
        _l("Actividad"),
        choices=choices((k, f"{k}. {v}") for k, v in ACTIVITY_TITLES.items()),
        default="3",
        validate_choice=False,
    )
    title = StringField(_l("Título"), render_kw={"maxlength": 200})
    minutes = IntegerField(
        _l("Minutos"), default=10, validators=[Optional(), NumberRange(1, 480, _l("Entre 1 y 480 minutos."))]
    )
    description = TextAreaField(_l("Descripción"), render_kw={"rows": 2})


def agenda_rows(formdata, items) -> list[dict]:
    """The rows of the agenda editor (``item-<id>-title``, ``-minutes``, ``-position``, ``-remove``)."""
    rows = []
    for item in items:
        prefix = f"item-{item.id}-"
        rows.append(
            {
                "id": item.id,
                "title": formdata.get(prefix + "title", item.title),
                "minutes": formdata.get(prefix + "minutes", item.minutes),
                "position": formdata.get(prefix + "position", item.position),
                "description": formdata.get(prefix + "description"),
                "remove": bool(formdata.get(prefix + "remove")),
            }
        )
    return rows


class PresentationForm(FlaskForm):
    """The school's choice of problems, its ask, slides or PDF, readiness."""

    problem_ids = SelectMultipleField(
        _l("Problemáticas que presentarán"), choices=[], coerce=str, validate_choice=False
    )
    ask = TextAreaField(
        _l("Lo que pedimos a nuestros colegas"),
        render_kw={"rows": 4, "placeholder": _l("Ideas para..., ejemplos de..., materiales para...")},
    )
    kind = RadioField(
        _l("Qué presentarán"),
        choices=choices(PRESENTATION_KINDS.items()),
        default="generada",
        validate_choice=False,
    )
    is_ready = BooleanField(_l("Nuestra presentación está lista"))


class PdfForm(FlaskForm):
    """The school's own PDF (checked by content in the service)."""

    file = FileField(_l("Archivo PDF de la escuela"))


def attendance_rows(formdata, schools) -> list[dict]:
    """The rows of the attendance page (``status-<school id>``, ``people-<school id>``)."""
    rows = []
    for school in schools:
        status = formdata.get(f"status-{school.id}")
        if not status:
            continue
        people = (formdata.get(f"people-{school.id}") or "").strip()
        rows.append({"school": school, "status": status, "people": people or None})
    return rows
