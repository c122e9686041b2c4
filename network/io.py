"""JSON input/output of the grouping, for the ``flask network group`` command.

Input::

    {"schools": [{"id": "22DPR0001A", "zone": "22FIZ0001X", "level": "primaria",
                  "lat": 20.6, "lon": -100.4,
                  "profile": {"convivencia": 3, "lectura-escritura": "media"}}]}

Only ``id`` is required; ``profile`` weights are numbers >= 0 or ``"alta"``,
``"media"``, ``"baja"``.  Output::

    {"groups": [{"schools": [ids], "host": id, "score": float,
                 "shared": [categories], "zone": zone}],
     "objective": float}

Malformed input raises :class:`GroupingInputError` (a ``ValueError``) whose
message, in Spanish, says what is wrong and where (positions count from 1).
"""

import json
import math

from .grouping import group_schools
from .taxonomy import category_weight

__all__ = ["GroupingInputError", "parse_grouping_input", "group_from_json"]


class GroupingInputError(ValueError):
    """The grouping input is malformed; the message explains it in Spanish."""


def _number(value, where, field):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise GroupingInputError(f"{where}: '{field}' debe ser un número")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise GroupingInputError(f"{where}: '{field}' debe ser un número, no {value!r}") from None
    if not math.isfinite(number):
        raise GroupingInputError(f"{where}: '{field}' debe ser un número finito")
    return number


def parse_grouping_input(obj):
    """Validate the JSON input and return the list of school dicts.

    Parameters
    ----------
    obj : dict, str or bytes
        The decoded JSON object, or its text.

    Returns
    -------
    list of dict
        ``{"id", "zone", "level", "lat", "lon", "profile"}`` with numeric
        coordinates (or None) and numeric profile weights.

    Raises
    ------
    GroupingInputError
        With a message such as ``"La escuela en la posición 3 no tiene 'id'"``.

    Examples
    --------
    >>> parse_grouping_input({"schools": [{"id": 7, "profile": {"convivencia": "alta"}}]})
    [{'id': 7, 'zone': None, 'level': None, 'lat': None, 'lon': None, 'profile': {'convivencia': 3.0}}]
    >>> parse_grouping_input({"schools": [{"zone": "Z"}]})
    Traceback (most recent call last):
    ...
    network.io.GroupingInputError: La escuela en la posición 1 no tiene 'id'
    """
    if isinstance(obj, (str, bytes, bytearray)):
        try:
            obj = json.loads(obj)
        except ValueError as error:
            raise GroupingInputError(f"El texto no es JSON válido: {error}") from None
    if not isinstance(obj, dict):
        raise GroupingInputError("La entrada debe ser un objeto JSON con la clave 'schools'")
    if "schools" not in obj:
        raise GroupingInputError("Falta la clave 'schools' (lista de escuelas)")
    raw = obj["schools"]
    if not isinstance(raw, list):
        raise GroupingInputError("'schools' debe ser una lista de escuelas")
    schools, seen = [], {}
    for position, item in enumerate(raw, start=1):
        where = f"La escuela en la posición {position}"
        if not isinstance(item, dict):
            raise GroupingInputError(f"{where} no es un objeto JSON")
        if "id" not in item or item["id"] is None or item["id"] == "":
            raise GroupingInputError(f"{where} no tiene 'id'")
        school_id = item["id"]
        if isinstance(school_id, bool) or not isinstance(school_id, (str, int)):
            raise GroupingInputError(f"{where}: 'id' debe ser texto o entero")
        if school_id in seen:
            raise GroupingInputError(
                f"{where} repite el id {school_id!r} (ya usado en la posición {seen[school_id]})"
            )
        seen[school_id] = position
        for field in ("zone", "level"):
            value = item.get(field)
            if value is not None and (isinstance(value, (bool, dict, list, float))):
                raise GroupingInputError(f"{where}: '{field}' debe ser texto o entero")
        profile = item.get("profile", {})
        if profile is None:
            profile = {}
        if not isinstance(profile, dict):
            raise GroupingInputError(f"{where}: 'profile' debe ser un objeto {{categoría: peso}}")
        weights = {}
        for code, value in profile.items():
            try:
                weights[code] = category_weight(value)
            except ValueError:
                raise GroupingInputError(
                    f"{where}: el peso de la categoría {code!r} no es válido ({value!r}); "
                    "use un número >= 0 o 'alta', 'media', 'baja'"
                ) from None
        lat = _number(item.get("lat"), where, "lat")
        lon = _number(item.get("lon"), where, "lon")
        if lat is not None and not -90 <= lat <= 90:
            raise GroupingInputError(f"{where}: 'lat' fuera de rango ({lat})")
        if lon is not None and not -180 <= lon <= 180:
            raise GroupingInputError(f"{where}: 'lon' fuera de rango ({lon})")
        schools.append(
            {
                "id": school_id,
                "zone": item.get("zone"),
                "level": item.get("level"),
                "lat": lat,
                "lon": lon,
                "profile": weights,
            }
        )
    return schools


def group_from_json(obj, *, min_size=2, max_size=3, seed=0, **options):
    """Group the schools of a JSON input per zone and return the JSON output.

    `options` are passed to :func:`network.grouping.group_schools`
    (``mix_levels``, ``max_distance_km``, ``host``...).

    Examples
    --------
    >>> out = group_from_json({"schools": [
    ...     {"id": "A", "zone": "Z", "profile": {"convivencia": 3}},
    ...     {"id": "B", "zone": "Z", "profile": {"convivencia": 3}}]})
    >>> out
    {'groups': [{'schools': ['A', 'B'], 'host': 'A', 'score': 1.0, 'shared': ['convivencia'], 'zone': 'Z'}], 'objective': 2.0}
    """
    schools = parse_grouping_input(obj)
    if isinstance(min_size, bool) or isinstance(max_size, bool):
        raise GroupingInputError("min_size y max_size deben ser enteros")
    if not (isinstance(min_size, int) and isinstance(max_size, int)) or not (1 <= min_size <= max_size):
        raise GroupingInputError("Se requiere 1 <= min_size <= max_size (enteros)")
    result = group_schools(schools, min_size=min_size, max_size=max_size, seed=seed, **options)
    return {
        "groups": [
            {
                "schools": group["schools"],
                "host": group["host"],
                "score": round(group["score"], 6),
                "shared": group["shared"],
                "zone": group["zone"],
            }
            for group in result["groups"]
        ],
        "objective": round(result["objective"], 6),
    }
