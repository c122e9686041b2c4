"""The OpenAPI 3.1 document of the API, written by hand as a Python dict.

``tests/app/api/test_openapi.py`` checks that every route of the ``api`` blueprint is described here
and that nothing is described that does not exist.

Over 400 lines on purpose: one document, as long as the API it describes.
"""

from __future__ import annotations

from copy import deepcopy

from app.catalogue.models import LEVELS
from app.commitments.limits import CLASSROOM_MAX, NOTE_MAX, RESPONSIBLE_MAX
from app.commitments.models import COMMITMENT_STATUSES
from app.communities.models import POST_MAX as COMMUNITY_POST_MAX
from app.contacts.models import CONTACT_STATUSES
from app.contacts.models import MESSAGE_MAX as CONTACT_MESSAGE_MAX
from app.goodpractices.common import RATIONALE_MAX
from app.practices import limits as practice_limits
from app.practices.models import MATERIAL_CRITERIA, OUTCOMES, VISIBILITIES
from app.problems.models import PRIORITIES, STATUSES
from app.problems.services import TEXT_MAX as PROBLEM_TEXT_MAX
from app.problems.services import TITLE_MAX as PROBLEM_TITLE_MAX
from app.validation import MAX_ID


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema_type: str, **kw) -> dict:
    return {"type": [schema_type, "null"], **kw}


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _response(description: str, schema: dict | None = None, headers: dict | None = None) -> dict:
    response: dict = {"description": description}
    if schema is not None:
        response.update(_json(schema))
    if headers:
        response["headers"] = headers
    return response


def _err(code: int) -> dict:
    return {"$ref": f"#/components/responses/Error{code}"}


def _page_of(name: str) -> dict:
    return {
        "allOf": [
            _ref("Page"),
            {"type": "object", "properties": {"items": {"type": "array", "items": _ref(name)}}},
        ]
    }


def _list_op(
    op_id: str,
    summary: str,
    item: str,
    *,
    extra_params: list | None = None,
    path_params: list | None = None,
    tag: str,
) -> dict:
    return {
        "operationId": op_id,
        "summary": summary,
        "tags": [tag],
        "parameters": [
            *(path_params or []),
            *(extra_params or []),
            {"$ref": "#/components/parameters/page"},
            {"$ref": "#/components/parameters/per_page"},
        ],
        "responses": {
            "200": _response(
                "Una página de resultados.", _page_of(item), {"Link": {"$ref": "#/components/headers/Link"}}
            ),
            "400": _err(400),
            "401": _err(401),
            "403": _err(403),
            "404": _err(404),
        },
    }


def _get_op(op_id: str, summary: str, schema: str, path_params: list, *, tag: str) -> dict:
    return {
        "operationId": op_id,
        "summary": summary,
        "tags": [tag],
        "parameters": path_params,
        "responses": {
            "200": _response("El recurso.", _ref(schema)),
            "401": _err(401),
            "403": _err(403),
            "404": _err(404),
        },
    }


def _write_op(
    op_id: str, summary: str, body: str, result: str, path_params: list, *, tag: str, status: str = "201"
) -> dict:
    responses = {
        status: _response("Creado." if status == "201" else "Actualizado.", _ref(result)),
        "400": _err(400),
        "401": _err(401),
        "403": _err(403),
        "404": _err(404),
        "409": _err(409),
        "413": _err(413),
        "422": _err(422),
    }
    if status == "201":
        responses[status]["headers"] = {
            "Location": {"description": "Dirección del recurso creado.", "schema": {"type": "string"}}
        }
    return {
        "operationId": op_id,
        "summary": summary,
        "tags": [tag],
        "parameters": path_params,
        "requestBody": {"required": True, **_json(_ref(body))},
        "responses": responses,
    }


def _query(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


CCT = {
    "name": "cct",
    "in": "path",
    "required": True,
    "description": "Clave de centro de trabajo (10 caracteres).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 10},
}


def _id_param(name: str) -> dict:
    """A path id: what a table's INTEGER primary key holds (larger ids are a 404)."""
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    }


PROBLEM_ID = _id_param("problem_id")
PRACTICE_ID = _id_param("practice_id")
NARRATIVE_ID = _id_param("narrative_id")
COMMITMENT_ID = _id_param("commitment_id")
REQUEST_ID = _id_param("request_id")
COMMUNITY_ID = _id_param("community_id")
LEVEL = _query("level", "Nivel educativo.", {"type": "string", "enum": list(LEVELS)})

STRING = {"type": "string"}
TEXT = _nullable("string")
GRADES = {"type": "array", "items": {"type": "string"}, "examples": [["4°", "5°"]]}
DATETIME = {"type": "string", "format": "date-time"}
DATE = {"type": "string", "format": "date"}


def _text(limit: int, *, nullable: bool = False) -> dict:
    """Input text of at most ``limit`` characters (the service's own limit)."""
    return {"type": ["string", "null"] if nullable else "string", "maxLength": limit}


SCHEMAS: dict = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "message"],
                "properties": {
                    "status": {"type": "integer"},
                    "message": STRING,
                    "fields": {
                        "type": "object",
                        "additionalProperties": STRING,
                        "description": "Mensaje por campo con datos no válidos.",
                    },
                },
            }
        },
    },
    "Page": {
        "type": "object",
        "required": ["items", "page", "per_page", "total", "pages"],
        "properties": {
            "items": {"type": "array"},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "total": {"type": "integer", "minimum": 0},
            "pages": {"type": "integer", "minimum": 0},
        },
    },
    "ZoneRef": {
        "type": "object",
        "properties": {"cct": STRING, "number": _nullable("integer"), "name": STRING, "url": STRING},
    },
    "SchoolRef": {
        "type": "object",
        "properties": {"cct": STRING, "name": STRING, "url": STRING},
    },
    "UserRef": {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "name": STRING, "role": STRING},
    },
    "Zone": {
        "type": "object",
        "required": ["cct", "name", "url"],
        "properties": {
            "cct": STRING,
            "number": _nullable("integer"),
            "name": STRING,
            "label": STRING,
            "level": TEXT,
            "service": TEXT,
            "municipality": TEXT,
            "sector_cct": TEXT,
            "region_cct": TEXT,
            "created_at": DATETIME,
            "updated_at": DATETIME,
            "url": STRING,
            "schools_url": STRING,
            "school_count": {"type": "integer", "description": "Solo en GET /zones/{cct}."},
        },
    },
    "School": {
        "type": "object",
        "required": ["cct", "name", "url"],
        "properties": {
            "cct": STRING,
            "name": STRING,
            "level": TEXT,
            "service": TEXT,
            "shift": TEXT,
            "municipality": TEXT,
            "locality": TEXT,
            "address": TEXT,
            "postal_code": TEXT,
            "lat": _nullable("number"),
            "lon": _nullable("number"),
            "is_public": {"type": "boolean"},
            "control": TEXT,
            "is_multigrade": {"type": "boolean"},
            "marginalization": TEXT,
            "enlace_math6": _nullable("number"),
            "zone": {"oneOf": [_ref("ZoneRef"), {"type": "null"}]},
            "sector_cct": TEXT,
            "region_cct": TEXT,
            "created_at": DATETIME,
            "updated_at": DATETIME,
            "url": STRING,
            "problems_url": STRING,
        },
    },
    "Category": {
        "type": "object",
        "required": ["code", "facet", "name"],
        "properties": {
            "code": STRING,
            "facet": {"type": "string", "enum": ["ambito", "area"]},
            "name": STRING,
            "description": TEXT,
            "levels": {"type": "array", "items": STRING},
            "source": TEXT,
        },
    },
    "ProblemCategory": {
        "type": "object",
        "required": ["code", "priority"],
        "properties": {
            "code": STRING,
            "name": STRING,
            "facet": STRING,
            "priority": {"type": "string", "enum": list(PRIORITIES)},
        },
    },
    "Problem": {
        "type": "object",
        "required": ["id", "school", "title", "description", "status", "school_year", "categories"],
        "properties": {
            "id": {"type": "integer"},
            "school": _ref("SchoolRef"),
            "title": STRING,
            "description": STRING,
            "grades": GRADES,
            "causes": TEXT,
            "actions_tried": TEXT,
            "results": TEXT,
            "status": {"type": "string", "enum": list(STATUSES)},
            "status_label": STRING,
            "school_year": {"type": "string", "examples": ["2025-2026"]},
            "categories": {"type": "array", "items": _ref("ProblemCategory")},
            "created_by": {"oneOf": [_ref("UserRef"), {"type": "null"}]},
            "created_at": DATETIME,
            "updated_at": DATETIME,
            "url": STRING,
        },
    },
    "ProblemInput": {
        "type": "object",
        "description": "Al crear: title, description y categories (un ámbito y al menos un área) "
        "son obligatorios. En PATCH, solo los campos enviados cambian.",
        "properties": {
            "title": _text(PROBLEM_TITLE_MAX),
            "description": _text(PROBLEM_TEXT_MAX),
            "grades": GRADES,
            "causes": _text(PROBLEM_TEXT_MAX, nullable=True),
            "actions_tried": _text(PROBLEM_TEXT_MAX, nullable=True),
            "results": _text(PROBLEM_TEXT_MAX, nullable=True),
            "status": {"type": "string", "enum": list(STATUSES)},
            "school_year": {"type": "string", "pattern": r"^\d{4}-\d{4}$"},
            "categories": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["code", "priority"],
                    "properties": {"code": STRING, "priority": {"type": "string", "enum": list(PRIORITIES)}},
                },
            },
        },
    },
    "Resource": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "description": STRING,
            "criterion": {"type": "string", "enum": list(MATERIAL_CRITERIA)},
            "criterion_label": STRING,
        },
    },
    "Link": {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "url": STRING, "label": TEXT},
    },
    "Evidence": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "original_name": STRING,
            "mime_type": STRING,
            "size": {"type": "integer"},
            "caption": TEXT,
            "created_at": DATETIME,
        },
    },
    "Adoption": {
        "type": "object",
        "required": ["id", "practice_id", "school", "outcome"],
        "properties": {
            "id": {"type": "integer"},
            "practice_id": {"type": "integer"},
            "school": _ref("SchoolRef"),
            "outcome": {"type": "string", "enum": list(OUTCOMES)},
            "outcome_label": STRING,
            "notes": TEXT,
            "outcome_notes": _nullable("string", description="Lo que la escuela vio al aplicarla."),
            "commitment_id": _nullable(
                "integer", description="El compromiso «Aplicar la práctica» en la bitácora de la escuela."
            ),
            "commitment_url": TEXT,
            "adopted_by": {"oneOf": [_ref("UserRef"), {"type": "null"}]},
            "created_at": DATETIME,
            "updated_at": DATETIME,
        },
    },
    "AdoptionInput": {
        "type": "object",
        "properties": {
            "outcome": {"type": "string", "enum": list(OUTCOMES)},
            "notes": _text(practice_limits.NOTES_MAX, nullable=True),
            "responsible": _text(RESPONSIBLE_MAX),
            "due_date": DATE,
            "classroom": _text(CLASSROOM_MAX, nullable=True),
        },
    },
    "PracticeSummary": {
        "type": "object",
        "required": ["id", "school", "title", "summary", "visibility", "url"],
        "properties": {
            "id": {"type": "integer"},
            "school": _ref("SchoolRef"),
            "title": STRING,
            "summary": STRING,
            "level": TEXT,
            "grades": GRADES,
            "visibility": {"type": "string", "enum": list(VISIBILITIES)},
            "categories": {
                "type": "array",
                "items": {"type": "object", "properties": {"code": STRING, "name": STRING, "facet": STRING}},
            },
            "problem_id": _nullable("integer"),
            "evidence_count": {"type": "integer", "minimum": 0},
            "adoption_count": {"type": "integer", "minimum": 0},
            "author": {"oneOf": [_ref("UserRef"), {"type": "null"}]},
            "created_at": DATETIME,
            "updated_at": DATETIME,
            "url": STRING,
        },
    },
    "Practice": {
        "allOf": [
            _ref("PracticeSummary"),
            {
                "type": "object",
                "properties": {
                    "steps": TEXT,
                    "results": TEXT,
                    "resources": {"type": "array", "items": _ref("Resource")},
                    "links": {"type": "array", "items": _ref("Link")},
                    "evidence": {"type": "array", "items": _ref("Evidence")},
                    "adoptions": {"type": "array", "items": _ref("Adoption")},
                },
            },
        ]
    },
    "PracticeInput": {
        "type": "object",
        "description": "Al crear: title y summary son obligatorios. En PATCH, solo los campos "
        "enviados cambian.",
        "properties": {
            "title": _text(practice_limits.TITLE_MAX),
            "summary": _text(practice_limits.TEXT_MAX),
            "steps": _text(practice_limits.TEXT_MAX, nullable=True),
            "level": {"type": "string", "enum": list(LEVELS)},
            "grades": GRADES,
            "results": _text(practice_limits.TEXT_MAX, nullable=True),
            "visibility": {"type": "string", "enum": list(VISIBILITIES)},
            "categories": {"type": "array", "items": STRING, "description": "Códigos de categoría."},
            "resources": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["description", "criterion"],
                    "properties": {
                        "description": _text(practice_limits.RESOURCE_MAX),
                        "criterion": {"type": "string", "enum": list(MATERIAL_CRITERIA)},
                    },
                },
            },
            "links": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["url"],
                    "properties": {
                        "url": {"type": "string", "format": "uri", "maxLength": practice_limits.URL_MAX},
                        "label": _text(practice_limits.LABEL_MAX, nullable=True),
                    },
                },
            },
            "problem_id": _nullable("integer"),
        },
    },
    "Recognition": {
        "type": "object",
        "required": ["id", "practice_id", "zone", "rationale"],
        "properties": {
            "id": {"type": "integer"},
            "practice_id": {"type": "integer"},
            "zone": _ref("ZoneRef"),
            "rationale": STRING,
            "recognised_by": {"oneOf": [_ref("UserRef"), {"type": "null"}]},
            "recognised_as": _nullable("string", description="El rol con que reconoció: supervisor, asesor…"),
            "created_at": DATETIME,
        },
    },
    "Recognitions": {
        "type": "object",
        "required": ["items", "recognisable_zones"],
        "properties": {
            "items": {"type": "array", "items": _ref("Recognition")},
            "recognisable_zones": {
                "type": "array",
                "items": _ref("ZoneRef"),
                "description": "Las zonas en cuyo nombre puedes reconocerla (vacía si no puedes).",
            },
        },
    },
    "RecognitionInput": {
        "type": "object",
        "required": ["rationale"],
        "description": "Reconocer otra vez en nombre de la misma zona reemplaza la justificación. La "
        "práctica debe tener evidencias y resultados escritos.",
        "properties": {
            "rationale": _text(RATIONALE_MAX),
            "zone": {
                "type": "string",
                "maxLength": 10,
                "description": "CCT de la zona; opcional si solo puedes reconocer en nombre de una.",
            },
        },
    },
    "Relato": {
        "type": "object",
        "required": ["id", "school", "title", "url"],
        "properties": {
            "id": {"type": "integer"},
            "school": _ref("SchoolRef"),
            "title": STRING,
            "faced": STRING,
            "tried": STRING,
            "happened": STRING,
            "learned": STRING,
            "practice_id": _nullable("integer"),
            "practice_url": TEXT,
            "problem_id": _nullable("integer"),
            "encounter_id": _nullable("integer"),
            "author": {"oneOf": [_ref("UserRef"), {"type": "null"}]},
            "created_at": DATETIME,
            "updated_at": DATETIME,
            "url": STRING,
        },
    },
    "CommitmentNote": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "body": STRING,
            "status_after": _nullable("string"),
            "due_date_after": _nullable("string", format="date"),
            "evidence_name": TEXT,
            "created_by": {"oneOf": [_ref("UserRef"), {"type": "null"}]},
            "created_at": DATETIME,
        },
    },
    "CommitmentSummary": {
        "type": "object",
        "required": ["id", "school", "action", "responsible", "due_date", "status", "url"],
        "properties": {
            "id": {"type": "integer"},
            "school": _ref("SchoolRef"),
            "action": STRING,
            "classroom": TEXT,
            "responsible": STRING,
            "due_date": _nullable("string", format="date"),
            "follow_up": TEXT,
            "status": {"type": "string", "enum": list(COMMITMENT_STATUSES)},
            "status_label": STRING,
            "next_statuses": {
                "type": "array",
                "items": {"type": "string", "enum": list(COMMITMENT_STATUSES)},
                "description": "Los estados a los que puede pasar con un avance.",
            },
            "needs_external_advice": {"type": "boolean"},
            "school_year": STRING,
            "encounter_id": _nullable("integer"),
            "problem_id": _nullable("integer"),
            "created_by": {"oneOf": [_ref("UserRef"), {"type": "null"}]},
            "created_at": DATETIME,
            "updated_at": DATETIME,
            "url": STRING,
        },
    },
    "Commitment": {
        "allOf": [
            _ref("CommitmentSummary"),
            {
                "type": "object",
                "properties": {"notes": {"type": "array", "items": _ref("CommitmentNote")}},
            },
        ]
    },
    "CommitmentUpdate": {
        "type": "object",
        "required": ["note"],
        "description": "Un avance: la nota, y si cambia, el nuevo estado (con las transiciones de la "
        "página: un compromiso cumplido ya no cambia); reprogramar pide new_due_date.",
        "properties": {
            "note": _text(NOTE_MAX),
            "status": {"type": "string", "enum": list(COMMITMENT_STATUSES)},
            "new_due_date": _nullable("string", format="date"),
        },
    },
    "CommunitySummary": {
        "type": "object",
        "required": ["id", "name", "categories", "schools", "zones", "is_member"],
        "properties": {
            "id": {"type": "integer"},
            "name": STRING,
            "description": STRING,
            "categories": {"type": "array", "items": STRING},
            "schools": {"type": "integer"},
            "zones": {"type": "integer"},
            "is_member": {"type": "boolean"},
        },
    },
    "Community": {
        "allOf": [
            _ref("CommunitySummary"),
            {
                "type": "object",
                "properties": {
                    "member_schools": {"type": "array", "items": _ref("ContactSchool")},
                    "members": {
                        "type": "array",
                        "description": "Solo para sus miembros.",
                        "items": {
                            "type": "object",
                            "properties": {"name": STRING, "school": _nullable("string"), "role": STRING},
                        },
                    },
                },
            },
        ]
    },
    "CommunityPost": {
        "type": "object",
        "required": ["id", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "parent_id": _nullable("integer"),
            "school": _nullable("string"),
            "author": {"type": ["string", "null"], "description": "Solo para los miembros."},
            "created_at": DATETIME,
            "is_pinned": {"type": "boolean"},
            "hidden_reason": _nullable("string"),
            "body": _nullable("string"),
            "problem_id": _nullable("integer"),
            "practice_id": _nullable("integer"),
            "narrative_id": _nullable("integer"),
            "useful": {"type": "integer"},
            "replies": {"type": "array", "items": {"type": "object"}},
        },
    },
    "CommunityPostInput": {
        "type": "object",
        "required": ["body"],
        "description": "Una publicación del tablero o, con parent_id, una respuesta. problem_id: de tu escuela; "
        "practice_id y narrative_id: que puedas ver.",
        "properties": {
            "body": _text(COMMUNITY_POST_MAX),
            "parent_id": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID},
            "problem_id": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID},
            "practice_id": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID},
            "narrative_id": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID},
        },
    },
    "ContactSchool": {
        "type": "object",
        "required": ["cct", "name"],
        "properties": {"cct": STRING, "name": STRING, "zone": _nullable("string")},
    },
    "ContactMessage": {
        "type": "object",
        "required": ["id", "school", "body", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "school": {"type": "string", "description": "CCT de la escuela que escribió."},
            "author": _nullable("string"),
            "body": STRING,
            "created_at": DATETIME,
        },
    },
    "ContactRequestSummary": {
        "type": "object",
        "required": ["id", "sender_school", "recipient_school", "status", "created_at"],
        "description": "Una conversación entre dos escuelas (sus direcciones).",
        "properties": {
            "id": {"type": "integer"},
            "sender_school": _ref("ContactSchool"),
            "recipient_school": _ref("ContactSchool"),
            "problem_id": _nullable("integer"),
            "practice_id": _nullable("integer"),
            "status": {"type": "string", "enum": list(CONTACT_STATUSES)},
            "created_at": DATETIME,
            "updated_at": DATETIME,
            "encounter_proposed_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
    "ContactRequest": {
        "allOf": [
            _ref("ContactRequestSummary"),
            {
                "type": "object",
                "properties": {"messages": {"type": "array", "items": _ref("ContactMessage")}},
            },
        ]
    },
    "ContactRequestInput": {
        "type": "object",
        "required": ["message"],
        "description": "Un mensaje a la dirección de la escuela. «about»: problema-<id> (de cualquiera de "
        "las dos escuelas, abierta) o practica-<id> (de la escuela destino, que puedas ver).",
        "properties": {
            "message": _text(CONTACT_MESSAGE_MAX),
            "about": {"type": ["string", "null"], "maxLength": 40},
        },
    },
    "CommunityJoinInput": {"type": "object", "description": "Vacío: te unes tú.", "properties": {}},
    "ContactReplyInput": {
        "type": "object",
        "required": ["message"],
        "properties": {"message": _text(CONTACT_MESSAGE_MAX)},
    },
    "Me": {
        "type": "object",
        "required": ["id", "name", "email", "role", "auth"],
        "properties": {
            "id": {"type": "integer"},
            "name": STRING,
            "email": STRING,
            "role": STRING,
            "role_label": STRING,
            "locale": TEXT,
            "zone": {"oneOf": [_ref("ZoneRef"), {"type": "null"}]},
            "school": {"oneOf": [_ref("SchoolRef"), {"type": "null"}]},
            "advised_zones": {"type": "array", "items": _ref("ZoneRef")},
            "advised_schools": {"type": "array", "items": _ref("SchoolRef")},
            "auth": {"type": "string", "enum": ["token", "session"]},
            "csrf_token": {
                "type": "string",
                "description": "Solo con la cookie de sesión: envíalo en X-CSRFToken en POST y PATCH.",
            },
        },
    },
}

ERROR_DESCRIPTIONS = {
    400: "Solicitud no válida: el cuerpo no es JSON, parámetro de consulta no válido o falta el "
    "encabezado X-CSRFToken.",
    401: "Falta autenticación, o el token no es válido o fue revocado.",
    403: "No tienes permiso.",
    404: "No existe.",
    405: "Método no permitido.",
    409: "Conflicto con datos existentes.",
    413: "El cuerpo es demasiado grande.",
    422: "Datos no válidos: un JSON que no es un objeto, un campo de otro tipo (texto, número, lista, "
    "objeto, null) o demasiado largo, o un valor que el servicio rechaza; `fields` dice qué falló en "
    "cada campo.",
}


def _paths() -> dict:
    return {
        "/openapi.json": {
            "get": {
                "operationId": "getOpenapi",
                "summary": "Este documento.",
                "tags": ["meta"],
                "security": [],
                "responses": {"200": _response("El documento OpenAPI.", {"type": "object"})},
            }
        },
        "/me": {
            "get": {
                "operationId": "getMe",
                "summary": "La persona autenticada.",
                "tags": ["meta"],
                "responses": {"200": _response("La persona.", _ref("Me")), "401": _err(401)},
            }
        },
        "/categories": {
            "get": _list_op(
                "listCategories",
                "La taxonomía de problemáticas.",
                "Category",
                tag="categories",
                extra_params=[
                    _query("facet", "ámbito o área.", {"type": "string", "enum": ["ambito", "area"]})
                ],
            ),
        },
        "/zones": {
            "get": _list_op(
                "listZones", "Las zonas que puedes ver.", "Zone", tag="zones", extra_params=[LEVEL]
            ),
        },
        "/zones/{cct}": {
            "get": _get_op("getZone", "Una zona.", "Zone", [CCT], tag="zones"),
        },
        "/zones/{cct}/schools": {
            "get": _list_op(
                "listZoneSchools",
                "Las escuelas de la zona que puedes ver.",
                "School",
                path_params=[CCT],
                tag="zones",
            ),
        },
        "/schools": {
            "get": _list_op(
                "listSchools",
                "Las escuelas que puedes ver.",
                "School",
                tag="schools",
                extra_params=[
                    _query("zone", "CCT de la zona.", STRING),
                    LEVEL,
                    _query("q", "Texto en nombre, CCT, localidad o municipio.", STRING),
                ],
            ),
        },
        "/schools/{cct}": {
            "get": _get_op("getSchool", "Una escuela.", "School", [CCT], tag="schools"),
        },
        "/schools/{cct}/problems": {
            "get": _list_op(
                "listSchoolProblems",
                "Las problemáticas de la escuela.",
                "Problem",
                path_params=[CCT],
                tag="problems",
                extra_params=[
                    _query("status", "Estado.", {"type": "string", "enum": list(STATUSES)}),
                    _query("school_year", "Ciclo escolar, p. ej. 2025-2026.", STRING),
                ],
            ),
            "post": _write_op(
                "createProblem",
                "Registrar una problemática.",
                "ProblemInput",
                "Problem",
                [CCT],
                tag="problems",
            ),
        },
        "/schools/{cct}/practices": {
            "post": _write_op(
                "createPractice",
                "Registrar una práctica.",
                "PracticeInput",
                "Practice",
                [CCT],
                tag="practices",
            ),
        },
        "/problems/{problem_id}": {
            "get": _get_op("getProblem", "Una problemática.", "Problem", [PROBLEM_ID], tag="problems"),
            "patch": _write_op(
                "updateProblem",
                "Cambiar campos de una problemática.",
                "ProblemInput",
                "Problem",
                [PROBLEM_ID],
                tag="problems",
                status="200",
            ),
        },
        "/practices": {
            "get": _list_op(
                "listPractices",
                "Las prácticas que puedes ver.",
                "PracticeSummary",
                tag="practices",
                extra_params=[
                    _query("q", "Búsqueda de texto completo.", STRING),
                    LEVEL,
                    _query("category", "Código de categoría.", STRING),
                    _query("zone", "CCT de la zona.", STRING),
                    _query("with_evidence", "true: solo las que tienen evidencias.", {"type": "boolean"}),
                ],
            ),
        },
        "/practices/{practice_id}": {
            "get": _get_op("getPractice", "Una práctica.", "Practice", [PRACTICE_ID], tag="practices"),
            "patch": _write_op(
                "updatePractice",
                "Cambiar campos de una práctica.",
                "PracticeInput",
                "Practice",
                [PRACTICE_ID],
                tag="practices",
                status="200",
            ),
        },
        "/practices/{practice_id}/recognitions": {
            "get": {
                **_get_op(
                    "listPracticeRecognitions",
                    "Las zonas que reconocieron la práctica como buena práctica.",
                    "Recognitions",
                    [PRACTICE_ID],
                    tag="goodpractices",
                ),
            },
            "post": {
                **_write_op(
                    "recognisePractice",
                    "Reconocer la práctica como buena práctica de una zona.",
                    "RecognitionInput",
                    "Recognition",
                    [PRACTICE_ID],
                    tag="goodpractices",
                ),
            },
        },
        "/relatos": {
            "get": _list_op(
                "listRelatos",
                "Los relatos que puedes leer, del más reciente al más antiguo.",
                "Relato",
                tag="goodpractices",
                extra_params=[
                    _query("q", "Palabras del título o las secciones.", {"type": "string", "maxLength": 200}),
                    _query("category", "Código de categoría.", {"type": "string", "maxLength": 60}),
                    LEVEL,
                    _query("zone", "CCT de la zona.", {"type": "string", "maxLength": 20}),
                ],
            ),
        },
        "/relatos/{narrative_id}": {
            "get": _get_op("getRelato", "Un relato.", "Relato", [NARRATIVE_ID], tag="goodpractices"),
        },
        "/schools/{cct}/commitments": {
            "get": _list_op(
                "listSchoolCommitments",
                "Los compromisos de la escuela, por fecha límite.",
                "CommitmentSummary",
                path_params=[CCT],
                tag="commitments",
                extra_params=[
                    _query("status", "Estado.", {"type": "string", "enum": list(COMMITMENT_STATUSES)})
                ],
            ),
        },
        "/commitments/{commitment_id}": {
            "get": _get_op(
                "getCommitment",
                "Un compromiso y sus avances.",
                "Commitment",
                [COMMITMENT_ID],
                tag="commitments",
            ),
            "patch": _write_op(
                "updateCommitment",
                "Registrar un avance del compromiso (y su nuevo estado).",
                "CommitmentUpdate",
                "Commitment",
                [COMMITMENT_ID],
                tag="commitments",
                status="200",
            ),
        },
        "/communities": {
            "get": _list_op(
                "listCommunities",
                "Las comunidades de práctica: primero las tuyas, luego las más grandes.",
                "CommunitySummary",
                tag="communities",
            ),
        },
        "/communities/{community_id}": {
            "get": _get_op(
                "getCommunity",
                "Una comunidad con sus escuelas.",
                "Community",
                [COMMUNITY_ID],
                tag="communities",
            ),
        },
        "/communities/{community_id}/posts": {
            "get": _list_op(
                "listCommunityPosts",
                "El tablero: primero lo fijado, luego lo más reciente, con respuestas.",
                "CommunityPost",
                path_params=[COMMUNITY_ID],
                tag="communities",
            ),
            "post": _write_op(
                "createCommunityPost",
                "Publicar en el tablero (o responder).",
                "CommunityPostInput",
                "CommunityPost",
                [COMMUNITY_ID],
                tag="communities",
            ),
        },
        "/communities/{community_id}/members": {
            "post": {
                **_write_op(
                    "joinCommunity",
                    "Unirte a la comunidad.",
                    "CommunityJoinInput",
                    "Community",
                    [COMMUNITY_ID],
                    tag="communities",
                ),
                "requestBody": {"required": False, **_json(_ref("CommunityJoinInput"))},
            },
        },
        "/contact-requests": {
            "get": _list_op(
                "listContactRequests",
                "Tus conversaciones con otras escuelas, la más reciente primero.",
                "ContactRequestSummary",
                tag="contacts",
            ),
        },
        "/contact-requests/{request_id}": {
            "get": _get_op(
                "getContactRequest",
                "Una conversación con sus mensajes.",
                "ContactRequest",
                [REQUEST_ID],
                tag="contacts",
            ),
        },
        "/contact-requests/{request_id}/replies": {
            "post": _write_op(
                "replyContactRequest",
                "Responder en la conversación.",
                "ContactReplyInput",
                "ContactRequest",
                [REQUEST_ID],
                tag="contacts",
            ),
        },
        "/schools/{cct}/contact-requests": {
            "post": _write_op(
                "createContactRequest",
                "Escribir a la dirección de una escuela.",
                "ContactRequestInput",
                "ContactRequest",
                [CCT],
                tag="contacts",
            ),
        },
        "/practices/{practice_id}/adoptions": {
            "post": _write_op(
                "adoptPractice",
                "Tu escuela adopta la práctica.",
                "AdoptionInput",
                "Adoption",
                [PRACTICE_ID],
                tag="practices",
            ),
        },
    }


DOCUMENT: dict = {
    "openapi": "3.1.0",
    "info": {
        "title": "Aprendizaje entre Escuelas API",
        "version": "1.0.0",
        "description": (
            "API JSON de zonas, escuelas, problemáticas y prácticas. Autenticación con "
            "`Authorization: Bearer <token>` o con la cookie de sesión (en ese caso, POST y PATCH "
            "llevan el encabezado `X-CSRFToken` que da `GET /me`). Las colecciones se paginan con "
            "`page` y `per_page` y traen un encabezado `Link`. Fechas ISO 8601 en UTC."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerAuth": []}, {"cookieAuth": []}],
    "tags": [
        {"name": name}
        for name in (
            "meta",
            "categories",
            "zones",
            "schools",
            "problems",
            "practices",
            "goodpractices",
            "commitments",
            "contacts",
            "communities",
        )
    ],
    "paths": _paths(),
    "components": {
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "Un token de API emitido desde la cuenta.",
            },
            "cookieAuth": {
                "type": "apiKey",
                "in": "cookie",
                "name": "session",
                "description": "La sesión del navegador; escribe con X-CSRFToken.",
            },
        },
        "parameters": {
            "page": _query("page", "Página, desde 1.", {"type": "integer", "minimum": 1, "default": 1}),
            "per_page": _query(
                "per_page",
                "Elementos por página (máximo API_MAX_PAGE_SIZE).",
                {"type": "integer", "minimum": 1, "default": 50},
            ),
        },
        "headers": {
            "Link": {
                "description": "Enlaces RFC 8288 a las páginas first, prev, next y last.",
                "schema": {"type": "string"},
            },
        },
        "responses": {
            f"Error{code}": _response(text, _ref("Error")) for code, text in ERROR_DESCRIPTIONS.items()
        },
        "schemas": SCHEMAS,
    },
}


def build_openapi() -> dict:
    """A fresh copy of the OpenAPI document (callers may change it freely)."""
    return deepcopy(DOCUMENT)
