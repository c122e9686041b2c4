"""Forms of the problems area.

The forms only carry what was typed; every rule (required fields, grades of the school's level,
one ámbito and at least one área, ...) lives in ``services.py`` so that pages and the API refuse the
same things with the same Spanish messages. ``set_errors`` puts a service's errors next to the fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.problems.models import PRIORITIES, PRIORITY_LABELS, STATUS_LABELS, STATUSES, Category
from app.problems.services import TITLE_MAX

PRIORITY_CHOICES = [SelectChoice(p, PRIORITY_LABELS[p]) for p in PRIORITIES]
AREA_PRIORITY_CHOICES = [SelectChoice("", _l("— no aplica —"))] + PRIORITY_CHOICES
STATUS_CHOICES = [SelectChoice(s, STATUS_LABELS[s]) for s in STATUSES]


def area_field_name(code: str) -> str:
    """The form field holding the priority of one área."""
    return "area_" + code.replace("-", "_")


class ProblemForm(FlaskForm):
    """Title, description, grades, causes, actions, results, status, school year and categories.

    Build it with ``build_problem_form``, which adds one priority select per área.
    """

    title = StringField(_l("Título"), render_kw={"maxlength": TITLE_MAX})
    description = TextAreaField(_l("Descripción"), render_kw={"rows": 4})
    grades = SelectMultipleField(_l("Grados afectados"), choices=[], validate_choice=False)
    causes = TextAreaField(_l("Causas identificadas"), render_kw={"rows": 3})
    actions_tried = TextAreaField(_l("Acciones que ya se intentaron"), render_kw={"rows": 3})
    results = TextAreaField(_l("Resultados hasta ahora"), render_kw={"rows": 3})
    status = SelectField(_l("Estado"), choices=STATUS_CHOICES, default="abierta", validate_choice=False)
    school_year = StringField(_l("Ciclo escolar"), render_kw={"placeholder": "2025-2026", "maxlength": 9})
    ambito = SelectField(_l("Ámbito del PEMC"), choices=[], validate_choice=False)
    ambito_priority = SelectField(
        _l("Prioridad del ámbito"), choices=PRIORITY_CHOICES, default="alta", validate_choice=False
    )

    area_fields: list[tuple[str, Category]] = []
    category_errors: list[str]

    def to_service_data(self) -> dict[str, Any]:
        """What was typed, as the ``data`` dict of ``create_problem``/``update_problem``."""
        categories = []
        if self.ambito.data:
            categories.append({"code": self.ambito.data, "priority": self.ambito_priority.data})
        for name, category in self.area_fields:
            priority = self[name].data
            if priority:
                categories.append({"code": category.code, "priority": priority})
        return {
            "title": self.title.data,
            "description": self.description.data,
            "grades": list(self.grades.data or []),
            "causes": self.causes.data,
            "actions_tried": self.actions_tried.data,
            "results": self.results.data,
            "status": self.status.data,
            "school_year": self.school_year.data,
            "categories": categories,
        }

    def set_errors(self, errors: dict[str, str]) -> None:
        """Show a service's ``ValidationError`` next to the fields it names."""
        for key, message in errors.items():
            if key in self._fields and key != "csrf_token":
                self[key].errors = list(self[key].errors or []) + [message]
            else:
                self.category_errors.append(message)

    @property
    def has_errors(self) -> bool:
        return bool(self.category_errors) or any(f.errors for f in self)


def build_problem_form(
    categories: Iterable[Category], grades: Iterable[str], *, data: dict[str, Any] | None = None
) -> ProblemForm:
    """A problem form for a school: its ámbitos, one select per área, its grades.

    ``data`` is a service-style dict (see ``services.form_data_from_problem``) to fill the form when
    it is shown, not submitted.
    """
    categories = list(categories)
    areas = [c for c in categories if c.facet == "area"]

    class _ProblemForm(ProblemForm):
        pass

    for category in areas:
        setattr(
            _ProblemForm,
            area_field_name(category.code),
            SelectField(
                category.name,
                choices=AREA_PRIORITY_CHOICES,
                default="",
                validate_choice=False,
                description=category.description or "",
            ),
        )
    ambito_codes = {c.code for c in categories if c.facet == "ambito"}
    form = _ProblemForm(data=_form_values(data, ambito_codes) if data else None)
    form.area_fields = [(area_field_name(c.code), c) for c in areas]
    form.category_errors = []
    form.grades.choices = [SelectChoice(g, g) for g in grades]
    form.ambito.choices = [SelectChoice("", _("— elige un ámbito —"))] + [
        SelectChoice(c.code, c.name) for c in categories if c.facet == "ambito"
    ]
    return form


def _form_values(data: dict[str, Any], ambito_codes: set[str]) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k != "categories"}
    for item in data.get("categories") or []:
        code, priority = item["code"], item["priority"]
        if code in ambito_codes:
            values["ambito"], values["ambito_priority"] = code, priority
        else:
            values[area_field_name(code)] = priority
    return values


class StatusForm(FlaskForm):
    """Move a problem to another status."""

    status = SelectField(_l("Estado"), choices=STATUS_CHOICES, validate_choice=False)
