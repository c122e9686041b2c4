"""What every area's forms share: a form whose rules live in a service."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ServiceForm(FlaskForm):
    """A form whose validation happens in a service."""

    field_map: dict[str, str] = {}

    def set_errors(self, errors: dict[str, str]) -> None:
        """Put each service error under its field, the rest in ``form_errors``."""
        self.form_errors = list(getattr(self, "form_errors", []) or [])
        for key, message in errors.items():
            name = self.field_map.get(key, key)
            if name in self._fields and name != "csrf_token":
                self[name].errors = list(self[name].errors or []) + [message]
            else:
                self.form_errors.append(message)
