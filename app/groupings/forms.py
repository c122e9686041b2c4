"""Forms of the groupings area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional


class ProposeForm(FlaskForm):
    min_size = IntegerField(
        _l("Escuelas por grupo: mínimo"),
        default=2,
        validators=[NumberRange(1, 8, _l("Entre 1 y 8 escuelas."))],
    )
    max_size = IntegerField(
        _l("Escuelas por grupo: máximo"),
        default=3,
        validators=[NumberRange(1, 8, _l("Entre 1 y 8 escuelas."))],
    )
    # On by default: the encounter exists so that a school that solved a problem helps one that has not.
    by_progress = BooleanField(
        _l("Juntar a las escuelas que ya resolvieron una problemática con las que trabajan en ella"),
        default=True,
    )
    mix_levels = BooleanField(_l("Mezclar niveles educativos en un grupo"))
    avoid_last = IntegerField(
        _l("No repetir compañeros de los últimos encuentros"),
        default=0,
        validators=[Optional(), NumberRange(0, 20, _l("Entre 0 y 20 encuentros."))],
    )
    max_distance_km = DecimalField(
        _l("Distancia máxima entre escuelas (km)"),
        places=1,
        validators=[Optional(), NumberRange(0.1, 2000, _l("Escribe una distancia mayor que 0."))],
    )
    seed = IntegerField(
        _l("Variante de la propuesta"),
        default=0,
        validators=[Optional(), NumberRange(0, 1_000_000, _l("Un número entre 0 y 1 000 000."))],
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and self.min_size.data > self.max_size.data:
            self.max_size.errors.append(_l("El máximo no puede ser menor que el mínimo."))
            return False
        return ok


class MoveForm(FlaskForm):
    school_id = IntegerField(validators=[NumberRange(1)])
    target = SelectField(_l("Mover a"), choices=[], validate_choice=False)


class HostForm(FlaskForm):
    school_id = IntegerField(validators=[NumberRange(1)])
