"""The Spanish texts of the demo: problems, practices, adoptions and people's names.

Written the way a Consejo Técnico Escolar writes its PEMC: what the collective sees, why it thinks it
happens, what it has tried and what came of it. Everything here is invented for the demonstration;
only the schools, zones and ENLACE scores come from the real public files in ``app/data/``.

Problems and practices are plain dicts in the shape the services take (``categories`` as
``[{"code", "priority"}]`` for problems, a list of codes for practices).

Over 400 lines on purpose: this is data (the demo's texts), not logic.
"""

from __future__ import annotations

# --- people ------------------------------------------------------------------------------------

GIVEN_NAMES = (
    "María Guadalupe",
    "José Luis",
    "Rocío",
    "Juan Carlos",
    "Verónica",
    "Miguel Ángel",
    "Adriana",
    "Francisco Javier",
    "Leticia",
    "Ricardo",
    "Norma Angélica",
    "Jesús",
    "Claudia",
    "Eduardo",
    "Patricia",
    "Alejandro",
    "Martha Elena",
    "Fernando",
    "Silvia",
    "Arturo",
    "Gabriela",
    "Raúl",
    "Yolanda",
    "Héctor",
    "Beatriz",
    "Óscar",
    "Laura",
    "Salvador",
    "Elizabeth",
    "Gerardo",
)
SURNAMES = (
    "Hernández",
    "Reséndiz",
    "Olvera",
    "Ledesma",
    "Trejo",
    "Martínez",
    "Ugalde",
    "González",
    "Ramírez",
    "Feregrino",
    "Sánchez",
    "Pérez",
    "Morales",
    "Mendoza",
    "Chávez",
    "Vega",
    "Rico",
    "Jiménez",
    "Nieves",
    "Arteaga",
    "Montes",
    "Rangel",
    "Luna",
    "Salinas",
    "Bárcenas",
)


def person_name(n: int) -> str:
    """A fictional but ordinary Mexican name, the same for the same number.

    >>> person_name(0)
    'María Guadalupe Hernández Reséndiz'
    >>> person_name(0) == person_name(0) != person_name(1)
    True
    """
    given = GIVEN_NAMES[n % len(GIVEN_NAMES)]
    first = SURNAMES[(n * 7) % len(SURNAMES)]
    second = SURNAMES[(n * 7 + 1 + n // len(SURNAMES)) % len(SURNAMES)]
    return f"{given} {first} {second}"


# --- the problem every low-ENLACE primaria records ----------------------------------------------

ENLACE_TITLE = "Bajo logro en pensamiento matemático en 4°, 5° y 6°"

ENLACE_DESCRIPTIONS = (
    "En ENLACE 2011 la escuela obtuvo {score} puntos en Matemáticas de 6° ({evaluated}), "
    "en el tercio más bajo del estado (por debajo de {cut} puntos). Es un dato viejo, "
    "pero el diagnóstico de este ciclo dice lo mismo: la mayoría de los alumnos de 4° a 6° resuelve "
    "operaciones sueltas y se detiene cuando el problema trae más de un paso, fracciones o medidas.",
    "En ENLACE 2011 la escuela obtuvo {score} puntos en Matemáticas de 6° ({evaluated}), "
    "en el tercio más bajo del estado (por debajo de {cut} puntos). En la evaluación "
    "diagnóstica de septiembre, dos de cada tres alumnos de 5° no pudieron explicar cómo resolvieron "
    "un problema de reparto; muchos cuentan con los dedos y no usan el cálculo mental.",
    "En ENLACE 2011 la escuela obtuvo {score} puntos en Matemáticas de 6° ({evaluated}), "
    "en el tercio más bajo del estado (por debajo de {cut} puntos). Hoy vemos en los "
    "cuadernos que se copian procedimientos sin entenderlos: los alumnos no saben cuándo sumar, "
    "restar o multiplicar, y las fracciones casi no se trabajan con material concreto.",
)


def evaluated_pupils(n: int | None) -> str:
    """How many pupils the score rests on, in words, with a caution when they are very few.

    >>> evaluated_pupils(1)
    'solo 1 alumno evaluado: por sí solo el dato dice poco'
    >>> evaluated_pupils(24)
    '24 alumnos evaluados'
    """
    if not n:
        return "sin dato de alumnos evaluados"
    if n < 5:
        noun = "alumno evaluado" if n == 1 else "alumnos evaluados"
        return f"solo {n} {noun}: por sí solo el dato dice poco"
    return f"{n} alumnos evaluados"


ENLACE_CAUSES = (
    "La clase de matemáticas se reduce a planas de operaciones; poco material concreto; el colectivo "
    "no ha acordado cómo enseñar la resolución de problemas de un grado a otro.",
    "Rezago acumulado desde los primeros grados; muchas inasistencias en temporada de cosecha; en casa "
    "no hay quien apoye las tareas de matemáticas.",
    "Se privilegia el algoritmo sobre el razonamiento; los maestros reconocemos inseguridad para "
    "enseñar fracciones y medición; se dedica poco tiempo semanal a matemáticas.",
)
ENLACE_ACTIONS = (
    "Hojas de ejercicios diarias y un repaso antes de cada examen bimestral.",
    "Clubes de matemáticas los viernes y un concurso interno de tablas de multiplicar.",
    "Se pidió a las familias repasar las tablas en casa; se usaron los libros de texto con más ejercicios.",
)
ENLACE_RESULTS = (
    "Mejoró la rapidez en las operaciones, pero no la resolución de problemas.",
    "Participaron sobre todo los alumnos que ya iban bien; el resto sigue igual.",
    "Avances pequeños en 4°; en 6° los resultados del segundo periodo no cambiaron.",
)
ENLACE_CATEGORIES = [
    {"code": "amb-aprovechamiento", "priority": "alta"},
    {"code": "pensamiento-matematico", "priority": "alta"},
    {"code": "evaluacion-formativa", "priority": "media"},
]


# --- other problems, shared by schools so that the pairing engine finds them ---------------------

PROBLEMS: dict[str, dict] = {
    "lectoescritura": {
        "title": "Alumnos de 1° y 2° que no consolidan la lectoescritura",
        "description": "Casi la mitad de los alumnos de 2° todavía no lee de corrido ni escribe "
        "oraciones completas; en 1° hay niños que no reconocen las letras de su nombre. "
        "Al pasar a 3° el rezago se nota en todas las asignaturas.",
        "grades": ["1°", "2°"],
        "causes": "Poca asistencia a preescolar; pocos libros en casa; en el aula se lee poco en voz "
        "alta y se copia mucho del pizarrón.",
        "actions_tried": "Dictados diarios y planas de sílabas; se pidió a las familias leer 20 minutos "
        "en casa.",
        "results": "Los dictados mejoraron la ortografía de algunos, pero los que no leían siguen sin leer.",
        "categories": [
            {"code": "amb-aprovechamiento", "priority": "alta"},
            {"code": "lectura-escritura", "priority": "alta"},
            {"code": "lenguaje-oral", "priority": "media"},
        ],
    },
    "comprension": {
        "title": "Baja comprensión lectora de 3° a 6°",
        "description": "Los alumnos leen en voz alta con fluidez aceptable, pero no identifican la idea "
        "principal ni pueden hacer inferencias; en los problemas de matemáticas no "
        "entienden lo que se les pregunta.",
        "grades": ["3°", "4°", "5°", "6°"],
        "causes": "Se lee para contestar cuestionarios; pocos textos informativos; no se comenta lo leído.",
        "actions_tried": "Cuestionarios de comprensión semanales y un registro de lecturas en casa.",
        "results": "El registro se llenaba sin leer; los cuestionarios no mostraron avance.",
        "categories": [
            {"code": "amb-aprovechamiento", "priority": "alta"},
            {"code": "lectura-escritura", "priority": "alta"},
            {"code": "pensamiento-critico", "priority": "media"},
        ],
    },
    "asistencia": {
        "title": "Inasistencias frecuentes y llegadas tarde",
        "description": "En el primer periodo, uno de cada cinco alumnos faltó más de diez días; los "
        "lunes llegan tarde muchos grupos. Los alumnos que faltan son los que más "
        "rezago tienen.",
        "grades": ["1°", "2°", "3°", "4°", "5°", "6°"],
        "causes": "Trabajo de los niños en el campo o en el comercio familiar; distancias largas; "
        "algunas familias no ven la asistencia como prioridad.",
        "actions_tried": "Citatorios a las familias y reportes a la supervisión.",
        "results": "Las familias citadas vinieron poco; la asistencia no cambió.",
        "categories": [
            {"code": "amb-aprovechamiento", "priority": "alta"},
            {"code": "asistencia-permanencia", "priority": "alta"},
            {"code": "familias-crianza", "priority": "media"},
        ],
    },
    "convivencia": {
        "title": "Conflictos y agresiones durante el recreo",
        "description": "Cada semana hay empujones, apodos y peleas en el recreo, sobre todo entre "
        "alumnos de 5° y 6°; los más pequeños tienen miedo de usar la cancha.",
        "grades": ["3°", "4°", "5°", "6°"],
        "causes": "El patio es pequeño y no hay actividades organizadas; las guardias no cubren todas "
        "las zonas; los conflictos se resuelven con castigos.",
        "actions_tried": "Reglamento de recreo firmado por las familias y suspensión del recreo a los "
        "alumnos que pelean.",
        "results": "Bajaron las peleas unas semanas; después regresaron, ahora fuera de la vista de "
        "los maestros.",
        "categories": [
            {"code": "amb-autoridad", "priority": "media"},
            {"code": "convivencia", "priority": "alta"},
            {"code": "socioemocional", "priority": "media"},
        ],
    },
    "familias": {
        "title": "Poca participación de las familias en el aprendizaje",
        "description": "A las reuniones de entrega de boletas llega menos de la mitad de las familias; "
        "muchas tareas regresan sin hacer y no sabemos quién acompaña a los niños en "
        "casa.",
        "grades": ["1°", "2°", "3°", "4°", "5°", "6°"],
        "causes": "Horarios de trabajo de madres y padres; migración; las reuniones solo sirven para "
        "dar quejas y las familias no se sienten bienvenidas.",
        "actions_tried": "Avisos en la puerta y mensajes por el grupo de WhatsApp de cada grado.",
        "results": "Los mensajes se leen, pero casi nadie responde ni asiste.",
        "categories": [
            {"code": "amb-comunidad", "priority": "alta"},
            {"code": "familias-crianza", "priority": "alta"},
            {"code": "asistencia-permanencia", "priority": "baja"},
        ],
    },
    "multigrado": {
        "title": "Planear para un grupo multigrado sin dejar grados desatendidos",
        "description": "Con un solo maestro para 1° a 3° (o 4° a 6°), la planeación por grado no "
        "alcanza: mientras se atiende a un grado, los otros copian o esperan.",
        "grades": ["1°", "2°", "3°", "4°", "5°", "6°"],
        "causes": "Los programas están pensados por grado; no hemos trabajado el tema común con "
        "actividades diferenciadas; poca formación en multigrado.",
        "actions_tried": "Planeaciones separadas por grado y trabajo en el libro de texto.",
        "results": "El maestro no alcanza a revisar a todos; los de grado menor avanzan menos.",
        "categories": [
            {"code": "amb-practicas", "priority": "alta"},
            {"code": "planeacion-didactica", "priority": "alta"},
            {"code": "inclusion-diversidad", "priority": "media"},
        ],
    },
    "hnahnu": {
        "title": "Alumnos hablantes de hñähñu con barreras para leer en español",
        "description": "Buena parte de los alumnos de 1° a 3° habla hñähñu en casa. Entienden las "
        "indicaciones orales, pero les cuesta leer y escribir en español y se quedan "
        "callados en clase.",
        "grades": ["1°", "2°", "3°"],
        "causes": "Se enseña a leer solo en español; pocos materiales en la lengua de la comunidad; "
        "algunos maestros no hablan hñähñu.",
        "actions_tried": "Apoyo de alumnos bilingües como traductores y más tiempo de lectura.",
        "results": "Ayudó a entender las indicaciones, pero no a consolidar la lectura.",
        "categories": [
            {"code": "amb-aprovechamiento", "priority": "alta"},
            {"code": "inclusion-diversidad", "priority": "alta"},
            {"code": "lectura-escritura", "priority": "alta"},
        ],
    },
    "fracciones": {
        "title": "Dificultad para resolver problemas con fracciones",
        "description": "En 4°, 5° y 6° los alumnos repiten el procedimiento para sumar fracciones, "
        "pero no saben qué fracción es mayor ni representarla en una recta o con "
        "material.",
        "grades": ["4°", "5°", "6°"],
        "causes": "Se enseña la regla antes que el significado; poco material concreto; no se usan "
        "situaciones de reparto.",
        "actions_tried": "Más ejercicios del libro de texto y videos en el aula de medios.",
        "results": "Los ejercicios salen, los problemas no.",
        "categories": [
            {"code": "amb-aprovechamiento", "priority": "media"},
            {"code": "pensamiento-matematico", "priority": "alta"},
            {"code": "planeacion-didactica", "priority": "baja"},
        ],
    },
    "evaluacion": {
        "title": "La evaluación se reduce al examen de cada periodo",
        "description": "Las calificaciones salen casi solo del examen; no sabemos a tiempo qué "
        "alumno se está quedando atrás ni qué ajustar en la planeación.",
        "grades": ["1°", "2°", "3°", "4°", "5°", "6°"],
        "causes": "Costumbre; carga administrativa al cierre de cada periodo; no tenemos instrumentos "
        "sencillos acordados como colectivo.",
        "actions_tried": "Listas de cotejo que cada maestro diseñó por su cuenta.",
        "results": "Cada quien usa algo distinto y no se comparan; se abandonaron a mitad del ciclo.",
        "categories": [
            {"code": "amb-practicas", "priority": "alta"},
            {"code": "evaluacion-formativa", "priority": "alta"},
            {"code": "planeacion-didactica", "priority": "media"},
        ],
    },
    "socioemocional": {
        "title": "Alumnos con dificultad para manejar sus emociones",
        "description": "Varios alumnos de 1° a 4° reaccionan con enojo o llanto ante cualquier "
        "frustración; las clases se interrumpen y los maestros no sabemos cómo "
        "acompañarlos.",
        "grades": ["1°", "2°", "3°", "4°"],
        "causes": "Situaciones difíciles en casa; pocas rutinas para nombrar y regular emociones; "
        "grupos numerosos.",
        "actions_tried": "Canalización a USAER de los casos más fuertes y pláticas con las familias.",
        "results": "USAER atiende a pocos alumnos; en el aula seguimos sin estrategias comunes.",
        "categories": [
            {"code": "amb-practicas", "priority": "media"},
            {"code": "socioemocional", "priority": "alta"},
            {"code": "convivencia", "priority": "media"},
        ],
    },
    "conectividad": {
        "title": "El aula de medios casi no se usa",
        "description": "Hay equipos, pero la conexión a internet falla casi todos los días y varios "
        "maestros no se sienten seguros usándolos con el grupo.",
        "grades": ["3°", "4°", "5°", "6°"],
        "causes": "Conectividad débil en la localidad; equipos sin mantenimiento; poca formación.",
        "actions_tried": "Se pidió apoyo al municipio y se hizo un horario de uso.",
        "results": "El horario existe, pero el aula se usa menos de una vez por semana.",
        "categories": [
            {"code": "amb-infraestructura", "priority": "media"},
            {"code": "tecnologia-educativa", "priority": "media"},
        ],
    },
    "carga": {
        "title": "Los informes y comisiones quitan tiempo de clase",
        "description": "Entre programas externos, informes y comisiones, perdemos horas de clase cada "
        "semana; la directora con grupo casi no puede dar seguimiento pedagógico.",
        "grades": [],
        "causes": "Solicitudes de información repetidas; la misma persona atiende varias comisiones.",
        "actions_tried": "Repartir las comisiones en el CTE.",
        "results": "Se repartió la carga, pero el tiempo de clase perdido sigue siendo mucho.",
        "categories": [
            {"code": "amb-carga-administrativa", "priority": "alta"},
            {"code": "planeacion-didactica", "priority": "baja"},
        ],
    },
}

# What each kind of zone tends to record, in turns: the first problems repeat across schools.
RURAL_POOL = (
    "lectoescritura",
    "hnahnu",
    "multigrado",
    "asistencia",
    "familias",
    "conectividad",
    "fracciones",
    "evaluacion",
)
URBAN_POOL = (
    "comprension",
    "convivencia",
    "familias",
    "socioemocional",
    "asistencia",
    "evaluacion",
    "fracciones",
    "lectoescritura",
    "carga",
)


# --- practices of the schools that made progress ------------------------------------------------

PRACTICES: dict[str, dict] = {
    "calculo-mental": {
        "problem": "fracciones",
        "title": "Cálculo mental diario: diez minutos al empezar el día",
        "summary": "Cada mañana, todos los grupos dedican diez minutos a resolver mentalmente "
        "problemas cortos con números del contexto (precios de la tienda, distancias, "
        "edades) y a explicar en voz alta cómo los resolvieron.",
        "steps": "1. El colectivo acordó un banco de problemas por grado en el CTE.\n"
        "2. Diez minutos diarios, antes de la primera clase, sin cuaderno.\n"
        "3. Dos o tres alumnos explican su estrategia; se comparan las formas de resolver.\n"
        "4. Cada viernes, un registro sencillo de aciertos por grupo.",
        "results": "En el segundo periodo subió el porcentaje de alumnos que resuelven problemas "
        "de dos pasos (de 35 % a 58 % en 5°); los alumnos explican mejor sus "
        "procedimientos.",
        "grades": ["3°", "4°", "5°", "6°"],
        "categories": ["pensamiento-matematico", "evaluacion-formativa"],
        "resources": [
            ("Banco de problemas de cálculo mental por grado", "materiales"),
            ("Registro semanal de aciertos por grupo", "indicadores"),
        ],
        "visibility": "todos",
        "status": "resuelta",
    },
    "tiendita": {
        "problem": "fracciones",
        "title": "La tiendita escolar: problemas con dinero, medidas y fracciones",
        "summary": "Los alumnos montan una tiendita con envases reales y precios; compran, venden, "
        "dan cambio y reparten productos en fracciones (medio kilo, un cuarto de litro).",
        "steps": "1. Las familias donaron envases vacíos.\n"
        "2. Cada grupo fija precios y hace etiquetas.\n"
        "3. Una sesión por semana: compras con presupuesto y reparto en partes iguales.\n"
        "4. Cierre con problemas escritos a partir de lo que pasó en la tiendita.",
        "results": "Los alumnos de 4° y 5° comparan fracciones usando litros y kilos; mejoró la "
        "participación de los que casi no hablaban en clase.",
        "grades": ["4°", "5°", "6°"],
        "categories": ["pensamiento-matematico", "participacion-clase"],
        "resources": [
            ("Envases, etiquetas y billetes de papel", "materiales"),
            ("Secuencia de cuatro sesiones con problemas de reparto", "estrategias"),
        ],
        "visibility": "zona",
        "status": "en_atencion",
    },
    "lectura-familias": {
        "problem": "familias",
        "title": "Mochila viajera de lectura con las familias",
        "summary": "Una mochila con tres libros y un cuaderno viaja cada fin de semana a una casa "
        "distinta; la familia lee con el niño y escribe o dibuja lo que más les gustó.",
        "steps": "1. Reunión breve con las familias para explicar la mochila (sin quejas ni "
        "calificaciones).\n"
        "2. Calendario de turnos por grupo.\n"
        "3. El lunes, el alumno comparte con el grupo lo que leyeron en casa.\n"
        "4. Al final del periodo, exposición del cuaderno viajero.",
        "results": "Participó el 80 % de las familias de 1° y 2°; más asistencia a la reunión de "
        "boletas; los alumnos piden llevarse la mochila.",
        "grades": ["1°", "2°", "3°"],
        "categories": ["familias-crianza", "lectura-escritura"],
        "resources": [
            ("Mochila con libros de la biblioteca escolar y cuaderno viajero", "materiales"),
            ("Guía de una página para las familias", "contenidos"),
        ],
        "visibility": "todos",
        "status": "en_atencion",
    },
    "tutoria-pares": {
        "problem": "lectoescritura",
        "title": "Tutoría entre pares para consolidar la lectoescritura",
        "summary": "Alumnos de 5° y 6° leen dos veces por semana con un compañero de 1° o 2°, con "
        "tarjetas de palabras y cuentos cortos; los maestros preparan a los tutores.",
        "steps": "1. Selección y preparación de tutores en dos sesiones.\n"
        "2. Parejas fijas, 20 minutos, martes y jueves.\n"
        "3. Registro de palabras leídas por minuto cada mes.\n"
        "4. Los tutores comentan en el CTE lo que observan.",
        "results": "En cuatro meses, 14 de 19 alumnos de 2° que no leían ya leen textos cortos; los "
        "tutores mejoraron su propia lectura en voz alta.",
        "grades": ["1°", "2°", "5°", "6°"],
        "categories": ["lectura-escritura", "inclusion-diversidad"],
        "resources": [
            ("Tarjetas de palabras y cuentos cortos", "materiales"),
            ("Registro mensual de fluidez lectora", "indicadores"),
        ],
        "visibility": "zona",
        "status": "resuelta",
    },
    "recreo": {
        "problem": "convivencia",
        "title": "Recreo con juegos organizados y comisiones de alumnos",
        "summary": "El patio se divide en zonas de juego por días; alumnos de 6° forman comisiones "
        "que prestan material y ayudan a resolver conflictos con una mesa de diálogo.",
        "steps": "1. Asamblea para acordar reglas de juego.\n"
        "2. Zonas: cancha, juegos tradicionales, lectura a la sombra.\n"
        "3. Comisiones rotativas con gafete.\n"
        "4. Mesa de la paz para dialogar los conflictos.",
        "results": "Los reportes de peleas bajaron de 12 a 3 por mes; los pequeños vuelven a usar la cancha.",
        "grades": ["3°", "4°", "5°", "6°"],
        "categories": ["convivencia", "socioemocional"],
        "resources": [
            ("Material de juego (cuerdas, aros, balones)", "materiales"),
            ("Formato de la mesa de la paz", "estrategias"),
        ],
        "visibility": "zona",
        "status": "en_atencion",
    },
    "multigrado-tema-comun": {
        "problem": "multigrado",
        "title": "Tema común con actividades diferenciadas en el aula multigrado",
        "summary": "Un mismo tema para todo el grupo y tres niveles de actividad; los alumnos "
        "mayores apoyan a los menores y el maestro rota por equipos con una agenda "
        "visible.",
        "steps": "1. Elegir un tema común del programa para la semana.\n"
        "2. Diseñar actividades por ciclo (1°-2°, 3°-4°, 5°-6°).\n"
        "3. Agenda en el pizarrón para que cada equipo sepa qué hacer.\n"
        "4. Cierre grupal donde cada ciclo presenta lo que hizo.",
        "results": "Menos tiempos muertos; los alumnos de grado menor ya no esperan sin trabajar.",
        "grades": ["1°", "2°", "3°", "4°", "5°", "6°"],
        "categories": ["planeacion-didactica", "inclusion-diversidad"],
        "resources": [
            ("Formato de planeación por tema común", "planeacion"),
            ("Ficheros de actividades por ciclo", "consolidacion"),
        ],
        "visibility": "todos",
        "status": "en_atencion",
    },
    "lectura-bilingue": {
        "problem": "hnahnu",
        "title": "Lectura en voz alta en hñähñu y en español",
        "summary": "Madres y abuelas hablantes de hñähñu leen y cuentan historias en el aula una vez "
        "por semana; luego el grupo escribe la historia en español y en hñähñu.",
        "steps": "1. Invitación a familias hablantes.\n"
        "2. Sesión semanal de narración.\n"
        "3. Escritura colectiva bilingüe.\n"
        "4. Libro cartonero con las historias del grupo.",
        "results": "Los alumnos participan más en clase y leen con más confianza; las familias "
        "vienen a la escuela.",
        "grades": ["1°", "2°", "3°"],
        "categories": ["inclusion-diversidad", "lectura-escritura", "familias-crianza"],
        "resources": [("Libros cartoneros hechos por el grupo", "materiales")],
        "visibility": "todos",
        "status": "en_atencion",
    },
    "portafolio": {
        "problem": "evaluacion",
        "title": "Portafolio de evidencias con rúbricas sencillas",
        "summary": "Cada alumno guarda tres trabajos por periodo y los revisa con una rúbrica de "
        "cuatro niveles que acordó el colectivo; la información se usa para ajustar la "
        "planeación.",
        "steps": "1. Rúbricas comunes por campo formativo acordadas en el CTE.\n"
        "2. Tres evidencias por periodo.\n"
        "3. Autoevaluación del alumno con la rúbrica.\n"
        "4. Revisión colegiada de algunos portafolios en el CTE.",
        "results": "El colectivo identificó a tiempo a 11 alumnos en riesgo y ajustó las actividades.",
        "grades": ["1°", "2°", "3°", "4°", "5°", "6°"],
        "categories": ["evaluacion-formativa", "planeacion-didactica"],
        "resources": [("Rúbricas de cuatro niveles", "indicadores"), ("Carpeta por alumno", "planeacion")],
        "visibility": "zona",
        "status": "en_atencion",
    },
}

# Which practices the schools with progress write, in turns, per kind of zone.
RURAL_PRACTICES = (
    "calculo-mental",
    "multigrado-tema-comun",
    "lectura-bilingue",
    "tutoria-pares",
    "lectura-familias",
)
URBAN_PRACTICES = ("tiendita", "recreo", "portafolio", "calculo-mental", "lectura-familias")

ADOPTION_NOTES = {
    "bueno": "Lo probamos en 4° y 5° durante seis semanas; los alumnos ya explican cómo resuelven.",
    "regular": "Lo empezamos en dos grupos; funciona, pero nos cuesta sostener el tiempo diario.",
    "en_proceso": "Lo acordamos en el último CTE; empezamos la próxima semana.",
}

EVIDENCE_CAPTIONS = (
    "Alumnos de 5° explicando su estrategia en el pizarrón",
    "Material elaborado por el colectivo",
)
