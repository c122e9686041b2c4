"""The agenda template of an encounter group: the four activities of the session card (seed 003).

1. *Reconozcamos la importancia del Aprendizaje entre escuelas*;
2. *Comuniquemos las problemáticas que tenemos en común* — one presentation turn per school, then
   the colleagues' contributions;
3. *Compartamos y aprendamos a mejorar nuestra práctica*;
4. *De nuestro Aprendizaje entre escuelas, qué nos comprometemos a realizar*.

When the same schools met before, activity 0 (*Revisión de compromisos anteriores*) opens the
agenda. The minutes are suggestions for a CTE session of about four hours; every group may edit its
own agenda afterwards. This module only builds plain item dicts; ``services`` turns them into rows.
"""

from __future__ import annotations

from datetime import datetime, timedelta

REVIEW_TITLE = "Revisión de compromisos anteriores"
REVIEW_MINUTES = 15
TURN_MINUTES = 15

ACTIVITY_TITLES = {
    0: REVIEW_TITLE,
    1: "Reconozcamos la importancia del Aprendizaje entre escuelas",
    2: "Comuniquemos las problemáticas que tenemos en común",
    3: "Compartamos y aprendamos a mejorar nuestra práctica",
    4: "Qué nos comprometemos a realizar",
}

OPENING = {
    "activity": 1,
    "title": ACTIVITY_TITLES[1],
    "minutes": 20,
    "description": (
        "Expresen su experiencia en encuentros anteriores de Aprendizaje entre escuelas: qué "
        "considerar y asumir para que esta modalidad atienda las problemáticas que se planteen. "
        "Destaquen lo que hay que fortalecer o cambiar y regístrenlo como acuerdos (normas) de la sesión."
    ),
}
PRESENTATIONS_INTRO = {
    "activity": 2,
    "title": ACTIVITY_TITLES[2],
    "minutes": 5,
    "description": (
        "Cada escuela presenta la problemática que no ha logrado resolver, lo que ha intentado y por "
        "qué le resulta difícil. Las demás registran puntos relevantes, dudas, semejanzas y "
        "diferencias con su escuela, y propuestas."
    ),
}
CONTRIBUTIONS = {
    "activity": 2,
    "title": "Aportaciones a las problemáticas presentadas",
    "minutes": 20,
    "description": (
        "Finalizadas las presentaciones, expongan con argumentos sus aportaciones para dar solución "
        "a las problemáticas; regístrenlas y colóquenlas a la vista de todos."
    ),
}
SHARING = {
    "activity": 3,
    "title": ACTIVITY_TITLES[3],
    "minutes": 60,
    "description": (
        "Organizados por grado o asignatura, propongan opciones de solución, recomienden prácticas, "
        "materiales y recursos; decidan cuáles probar en el aula y qué experiencia observar en el "
        "próximo encuentro."
    ),
}
COMMITMENTS = {
    "activity": 4,
    "title": ACTIVITY_TITLES[4],
    "minutes": 30,
    "description": (
        "En plenaria: acuerdos y compromisos por escuela o grupo con sus mecanismos de seguimiento, "
        "que se registran en el Cuaderno de Bitácora de cada escuela, y lo que requiere asesoría externa."
    ),
}


def turn_item(school_id: int, school_name: str) -> dict:
    """The presentation turn of one school, inside activity 2.

    >>> turn_item(7, "ESC. BENITO JUÁREZ")["title"]
    'Presentación: ESC. BENITO JUÁREZ'
    """
    return {
        "activity": 2,
        "title": f"Presentación: {school_name}",
        "minutes": TURN_MINUTES,
        "description": "La problemática, sus causas, lo intentado, los resultados y lo que pide a sus colegas.",
        "school_id": school_id,
    }


def review_item(lines: list[str]) -> dict:
    """Activity 0: the commitments the same schools made last time, one line each.

    >>> review_item(["22DPR0001K: leer 20 minutos diarios"])["description"]
    '- 22DPR0001K: leer 20 minutos diarios'
    """
    text = (
        "\n".join(f"- {line}" for line in lines)
        if lines
        else "En el encuentro anterior no se registraron compromisos de estas escuelas."
    )
    return {"activity": 0, "title": REVIEW_TITLE, "minutes": REVIEW_MINUTES, "description": text}


def template_items(schools: list[tuple[int, str]], review_lines: list[str] | None = None) -> list[dict]:
    """The agenda of a group: (optional review), the four activities, one turn per school.

    ``schools`` are (id, name) pairs in presentation order; ``review_lines`` is None when these
    schools have not met before.

    >>> items = template_items([(1, "A"), (2, "B")])
    >>> [i["activity"] for i in items]
    [1, 2, 2, 2, 2, 3, 4]
    >>> sum(i["minutes"] for i in items)
    165
    >>> template_items([(1, "A")], ["x"])[0]["activity"]
    0
    """
    items: list[dict] = []
    if review_lines is not None:
        items.append(review_item(review_lines))
    items.append(dict(OPENING))
    items.append(dict(PRESENTATIONS_INTRO))
    items.extend(turn_item(school_id, name) for school_id, name in schools)
    items.append(dict(CONTRIBUTIONS))
    items.append(dict(SHARING))
    items.append(dict(COMMITMENTS))
    return items


def schedule_times(starts_at: datetime, minutes: list[int]) -> list[tuple[datetime, datetime]]:
    """When each item starts and ends, one after the other from ``starts_at``.

    >>> [f"{a:%H:%M}-{b:%H:%M}" for a, b in schedule_times(datetime(2030, 1, 1, 8), [20, 15])]
    ['08:00-08:20', '08:20-08:35']
    """
    times = []
    cursor = starts_at
    for value in minutes:
        end = cursor + timedelta(minutes=value or 0)
        times.append((cursor, end))
        cursor = end
    return times
