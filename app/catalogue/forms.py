"""Forms of the schools area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField


class CatalogueUploadForm(FlaskForm):
    """The SEP catalogue file (CSV, SIGED format) and whether to refuse it whole on any bad row."""

    file = FileField(
        _l("Archivo del catálogo (CSV)"),
        validators=[
            FileRequired(_l("Elige el archivo CSV del catálogo.")),
            FileAllowed(["csv", "txt"], _l("El archivo debe ser un CSV (.csv).")),
        ],
    )
    strict = BooleanField(_l("Modo estricto: no importar nada si alguna fila tiene errores"))
