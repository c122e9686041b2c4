"""Request bodies of the API, checked strictly against the input schemas of ``openapi.py``.

The services clean what a form sends (``str(value).strip()``), so a JSON ``"title": 5`` used to
become the title "5" and ``"description": ["x"]`` the text "['x']". Here each key of a body is
checked against the type the document gives it, before any service runs: a wrong type, ``null``
where the document does not allow it, a text longer than its ``maxLength``, or an item of a list
(or a key of a nested object) of the wrong type is a 422 naming the field. The document is the one
source: what it says is what is checked, so the two cannot drift apart.

What a value *means* (an unknown category, a past date, a status that is not allowed now) stays in
the services, with their own messages.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.api.errors import ApiError
from app.api.openapi import SCHEMAS

#: How each JSON type is named in a message ("debe ser texto").
TYPE_NAMES = {
    "string": _l("texto"),
    "integer": _l("un número entero"),
    "number": _l("un número"),
    "boolean": _l("true o false"),
    "array": _l("una lista"),
    "object": _l("un objeto"),
    "null": _l("null"),
}


def json_type(value) -> str:
    """The JSON type of a parsed value (``True`` is a boolean, never an integer).

    >>> [json_type(v) for v in ("a", 1, 1.5, True, [], {}, None)]
    ['string', 'integer', 'number', 'boolean', 'array', 'object', 'null']
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _allowed_types(schema: dict) -> list[str]:
    declared = schema.get("type")
    if declared is None:
        return []
    types = [declared] if isinstance(declared, str) else list(declared)
    if "number" in types:
        types.append("integer")  # every integer is a number
    return types


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SCHEMAS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def type_problem(value, schema: dict, where: str) -> str | None:
    """A Spanish sentence about the first value in ``value`` that ``schema`` does not allow (its
    type, its length, its items, its keys), or None when it fits. ``where`` names the value."""
    schema = _resolve(schema)
    allowed = _allowed_types(schema)
    got = json_type(value)
    if allowed and got not in allowed:
        expected = " o ".join(
            str(TYPE_NAMES[t]) for t in allowed if t != "integer" or "number" not in allowed
        )
        return _(
            "«%(field)s» debe ser %(expected)s, no %(got)s.",
            field=where,
            expected=expected,
            got=TYPE_NAMES[got],
        )
    if got == "string" and len(value) > schema.get("maxLength", len(value)):
        return _("«%(field)s» admite máximo %(n)s caracteres.", field=where, n=schema["maxLength"])
    if got == "array" and "items" in schema:
        for n, item in enumerate(value):
            found = type_problem(item, schema["items"], f"{where}[{n}]")
            if found:
                return found
    if got == "object" and "properties" in schema:
        for key in schema.get("required", []):
            if key not in value:
                path = f"{where}.{key}"
                return _("Falta «%(field)s».", field=path)
        for key, sub in schema["properties"].items():
            if key in value:
                found = type_problem(value[key], sub, f"{where}.{key}")
                if found:
                    return found
    return None


def check_body(data, schema_name: str) -> dict:
    """``data`` (a parsed JSON body) checked against the input schema ``schema_name``, keeping only
    the keys it describes; a 422 naming every field of the wrong type."""
    if not isinstance(data, dict):
        message = _(
            "El cuerpo de la solicitud debe ser un objeto JSON, no %(got)s.", got=TYPE_NAMES[json_type(data)]
        )
        raise ApiError(422, message, fields={"_": message})
    properties = SCHEMAS[schema_name]["properties"]
    errors = {
        key: found
        for key, sub in properties.items()
        if key in data and (found := type_problem(data[key], sub, key)) is not None
    }
    if errors:
        raise ApiError(422, fields=errors)
    return {key: value for key, value in data.items() if key in properties}


def json_body(schema_name: str) -> dict:
    """The request's JSON object checked against ``schema_name``: 400 if the body is not JSON at all,
    422 if it is JSON but not an object or a field has the wrong type."""
    data = request.get_json(force=True, silent=True)
    if data is None and request.get_data(cache=True).strip() != b"null":
        raise ApiError(400, _("El cuerpo de la solicitud debe ser un objeto JSON válido."))
    return check_body(data, schema_name)
