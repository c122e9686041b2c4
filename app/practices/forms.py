"""Forms of the practices area, with messages in Spanish.

The form checks what a browser can get wrong (missing title, lengths); the business rules (URLs,
criteria, categories, the problem's school) are the service's, and its errors are shown here too.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.catalogue.models import LEVEL_LABELS
from app.practices.limits import CAPTION_MAX, LABEL_MAX, RESOURCE_MAX, TITLE_MAX, URL_MAX
from app.practices.models import MATERIAL_CRITERIA, VISIBILITY_LABELS
from app.problems.models import GRADES

RESOURCE_ROWS = 5
LINK_ROWS = 3


def _choices(labels: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as checkboxes (no JavaScript, easy on a phone)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RowList(FieldList):
    """A FieldList that pads to ``min_entries`` with blank rows.

    WTForms renumbers the submitted rows and then pads with rows read from the same form data, so
    rows 0 and 3 submitted came back as 0, 3, blank, 3 again, blank.
    """

    def process(self, formdata, data=unset_value, extra_filters=None):
        wanted, self.min_entries = self.min_entries, 0
        try:
            super().process(formdata, data, extra_filters)
        finally:
            self.min_entries = wanted
        while len(self.entries) < self.min_entries:
            self._add_entry(None)


def _at_most(limit: int) -> Length:
    """The services' length limit, checked in the form too (one constant, so the two never drift)."""
    return Length(max=limit, message=_l("Máximo %(n)s caracteres.", n=limit))


class ResourceRow(Form):
    description = StringField(
        _l("Material o recurso"),
        validators=[
            Optional(),
            _at_most(RESOURCE_MAX),
        ],
    )
    criterion = SelectField(
        _l("¿Para qué sirve?"),
        choices=[SelectChoice("", "—"), *_choices(MATERIAL_CRITERIA)],
        validate_choice=False,
    )


class LinkRow(Form):
    url = StringField(
        _l("Dirección (http:// o https://)"),
        validators=[
            Optional(),
            _at_most(URL_MAX),
        ],
    )
    label = StringField(
        _l("Texto del enlace"),
        validators=[
            Optional(),
            _at_most(LABEL_MAX),
        ],
    )


class PracticeForm(FlaskForm):
    title = StringField(
        _l("Título"),
        validators=[
            DataRequired(_l("Escribe el título.")),
            _at_most(TITLE_MAX),
        ],
    )
    summary = TextAreaField(
        _l("Resumen: qué hicieron y para qué"),
        validators=[
            DataRequired(_l("Escribe el resumen.")),
        ],
    )
    steps = TextAreaField(_l("Pasos"), validators=[Optional()])
    results = TextAreaField(_l("Resultados observados"), validators=[Optional()])
    level = SelectField(_l("Nivel"), choices=_choices(LEVEL_LABELS), validate_choice=False)
    grades = MultiCheckboxField(
        _l("Grados"), choices=[SelectChoice(g, g) for g in GRADES], validate_choice=False
    )
    categories = MultiCheckboxField(_l("Categorías que atiende"), choices=[], validate_choice=False)
    problem_id = SelectField(_l("Problemática que atiende"), choices=[], validate_choice=False)
    visibility = RadioField(
        _l("¿Quién puede verla?"), choices=_choices(VISIBILITY_LABELS), default="zona", validate_choice=False
    )
    resources = RowList(FormField(ResourceRow), min_entries=RESOURCE_ROWS, max_entries=50)
    links = RowList(FormField(LinkRow), min_entries=LINK_ROWS, max_entries=20)
    evidence_file = FileField(_l("Evidencia (foto o PDF, opcional)"))
    evidence_caption = StringField(
        _l("Descripción de la evidencia"),
        validators=[
            Optional(),
            _at_most(CAPTION_MAX),
        ],
    )

    def to_data(self) -> dict:
        """The dict the services take."""
        return {
            "title": self.title.data,
            "summary": self.summary.data,
            "steps": self.steps.data,
            "results": self.results.data,
            "level": self.level.data,
            "grades": self.grades.data or [],
            "categories": self.categories.data or [],
            "problem_id": self.problem_id.data or None,
            "visibility": self.visibility.data,
            "resources": [row.data for row in self.resources],
            "links": [row.data for row in self.links],
        }


class EvidenceForm(FlaskForm):
    file = FileField(_l("Archivo (foto JPEG, PNG o WebP, o PDF)"))
    caption = StringField(
        _l("Descripción"),
        validators=[
            Optional(),
            _at_most(CAPTION_MAX),
        ],
    )


class LibraryFilterForm(FlaskForm):
    """The library's search and filters, read from the query string."""

    class Meta:
        csrf = False

    q = SearchField(_l("Buscar"), validators=[Optional(), Length(max=200)])
    nivel = SelectField(
        _l("Nivel"), choices=[SelectChoice("", _l("Todos")), *_choices(LEVEL_LABELS)], validate_choice=False
    )
    categoria = SelectField(_l("Categoría"), choices=[], validate_choice=False)
    zona = SelectField(_l("Zona escolar"), choices=[], validate_choice=False)
    evidencias = BooleanField(_l("Solo con evidencias"))
