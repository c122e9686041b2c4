"""Vocabulary shared by the whole package: taxonomy codes, priorities, outcomes.

The 23 category codes are the *ámbitos* of the Programa Escolar de Mejora
Continua and the learning/follow-up areas of the CTE guides.
"""

__all__ = [
    "CATEGORIES",
    "PRIORITY_WEIGHTS",
    "OPEN_STATUSES",
    "CLOSED_STATUS",
    "OUTCOME_WEIGHTS",
    "GOOD_OUTCOMES",
    "category_weight",
    "is_ambito",
]

CATEGORIES = (
    "amb-aprovechamiento",
    "amb-practicas",
    "amb-formacion",
    "amb-planes",
    "amb-comunidad",
    "amb-autoridad",
    "amb-infraestructura",
    "amb-carga-administrativa",
    "lenguaje-oral",
    "lectura-escritura",
    "pensamiento-matematico",
    "participacion-clase",
    "convivencia",
    "socioemocional",
    "asistencia-permanencia",
    "inclusion-diversidad",
    "evaluacion-formativa",
    "planeacion-didactica",
    "familias-crianza",
    "desarrollo-integral",
    "pensamiento-critico",
    "mundo-natural-social",
    "tecnologia-educativa",
)

#: Weight of a problem–category edge by the priority the school gave it.
PRIORITY_WEIGHTS = {"alta": 3.0, "media": 2.0, "baja": 1.0}

#: Statuses of a problem that still count for the school's profile.
OPEN_STATUSES = frozenset({"abierta", "en_atencion"})
CLOSED_STATUS = "resuelta"

#: How much a practice's outcome counts when recommending or complementing.
#: ``None`` (outcome not reported yet) is worth something, "malo" almost nothing.
OUTCOME_WEIGHTS = {"bueno": 1.0, "regular": 0.5, None: 0.3, "malo": 0.05}

#: Outcomes that make a practice useful to a partner (complementarity).
GOOD_OUTCOMES = frozenset({"bueno"})


def is_ambito(code):
    """True for the PEMC's broad *ámbitos* (``amb-*``), as opposed to specific areas.

    >>> is_ambito("amb-aprovechamiento"), is_ambito("lectura-escritura")
    (True, False)
    """
    return str(code).startswith("amb-")


def category_weight(value):
    """Return the numeric weight of a priority name or number.

    Parameters
    ----------
    value : str or float
        ``"alta"``, ``"media"``, ``"baja"`` (case and accents ignored) or a
        non-negative number.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If `value` is an unknown name, negative, or not a number.

    Examples
    --------
    >>> category_weight("alta"), category_weight("Media"), category_weight(1.5)
    (3.0, 2.0, 1.5)
    """
    if isinstance(value, str):
        key = value.strip().lower()
        if key not in PRIORITY_WEIGHTS:
            raise ValueError(f"prioridad desconocida: {value!r}")
        return PRIORITY_WEIGHTS[key]
    if isinstance(value, bool):
        raise ValueError(f"prioridad no válida: {value!r}")
    try:
        weight = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"prioridad no válida: {value!r}") from None
    if not weight >= 0 or weight == float("inf"):
        raise ValueError(f"prioridad no válida: {value!r}")
    return weight
