"""PDF versions of the minutes and of a school's logbook (fpdf2).

The page layout is app.pdf's ``Document``; times are shown in the schools' time zone (app.dates).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app.dates import day_text, local
from app.logbook.models import ENTRY_KINDS
from app.pdf import Document


def _local(value: str | datetime | None) -> str:
    """A stored time as people read it: 26/02/2027 14:30, in the schools' time zone."""
    if not value:
        return "—"
    moment = local(datetime.fromisoformat(value) if isinstance(value, str) else value)
    return f"{day_text(moment.date())} {moment:%H:%M}"


def _school(s: dict | None) -> str:
    return f"{s['name']} ({s['cct']})" if s else ""


def _date(iso: str) -> str:
    return day_text(iso)


def minutes_pdf(
    encounter, minutes_list, annexes: dict | None = None, *, visible_practices: set[int] = frozenset()
) -> bytes:
    """The minutes of every group of an encounter, one after the other, as a PDF, each with its
    content hash and the annex of what was registered after the close (``annexes``: group id ->
    items of app.logbook.minutes.group_annex). Of the recommended practices, only those in
    ``visible_practices`` (the reader may open them) are printed."""
    pdf = Document(_("Acta · %(title)s", title=encounter.title))
    pdf.heading(_("Acta del encuentro de Aprendizaje entre escuelas"))
    pdf.para(encounter.title, bold=True, size=12)
    pdf.para(
        _(
            "Fecha: %(value1)s · Modalidad: %(modality_label)s",
            value1=_local(encounter.starts_at),
            modality_label=encounter.modality_label,
        )
    )
    if encounter.closed_at:
        pdf.muted(_("Cerrado el %(value1)s", value1=_local(encounter.closed_at)))
    if not minutes_list:
        pdf.ln(4)
        pdf.para(_("El acta se genera cuando se cierra el encuentro."))
    for minutes in minutes_list:
        _group_minutes(pdf, minutes.content or {}, visible_practices)
        if minutes.content_hash:
            pdf.muted(_("Huella SHA-256 del acta: %(hash)s", hash=minutes.content_hash))
        annex = (annexes or {}).get(minutes.group_id)
        if annex:
            pdf.subheading(_("Anexo: registrado después del cierre"))
            _items(
                pdf,
                [
                    _(
                        "%(label)s: %(text)s%(school)s · escrito el %(typed)s, recibido el %(received)s",
                        label=item["label"],
                        text=item["text"],
                        school=" ({})".format(item["school"]["name"]) if item.get("school") else "",
                        typed=_local(item["typed_at"]),
                        received=_local(item["received_at"]),
                    )
                    for item in annex
                ],
                "",
            )
    return bytes(pdf.output())


def _resources(pdf: Document, c: dict, visible: set[int]) -> None:
    """The acta's *Lecturas y recursos por problemática* (app.live.resources.group_resources)."""
    from app.live.resources import SHOWN

    pdf.subheading(_("Lecturas y recursos por problemática"))
    if not c["resources"]:
        pdf.muted(_("No hubo problemáticas presentadas."))
    for r in c["resources"]:
        pdf.para(r["title"] + (f" — {_school(r['school'])}" if r.get("school") else ""), bold=True)
        pdf.para(_("Recomendadas por la plataforma"), size=9.5)
        shown = [p for p in r.get("recommended") or [] if p["id"] in visible][:SHOWN]
        lines = []
        for p in shown:
            recognised = _(" [buena práctica reconocida]") if p.get("is_recognised") else ""
            lines.append(f"{p['title']} ({p['school']}){recognised}")
            lines += [f"   {m['criterion']}: {m['description']}" for m in p.get("materials") or []]
            lines += [f"   {link['label']}: {link['url']}" for link in p.get("links") or []]
        _items(pdf, lines, _("La plataforma aún no tiene prácticas compartidas para esta problemática."))
        pdf.para(_("Propuestas del grupo"), size=9.5)
        _items(
            pdf,
            [
                f"{item['kind_label']}: {item['text']}"
                + (f" ({item['author_school']['name']})" if item.get("author_school") else "")
                + (_(" [la probaremos]") if item.get("will_try") else "")
                for item in r.get("proposed") or []
            ],
            _("El grupo no propuso prácticas ni recursos para esta problemática."),
        )


def _group_minutes(pdf: Document, c: dict, visible_practices: set[int] = frozenset()) -> None:
    group = c.get("group") or {}
    pdf.ln(4)
    pdf.heading(group.get("label") or "Grupo", size=14)
    if group.get("host_school"):
        pdf.para(_("Sede: %(value1)s", value1=_school(group["host_school"])))
    if group.get("place"):
        pdf.para(_("Lugar: %(value1)s", value1=group["place"]))
    if group.get("facilitator"):
        pdf.para(_("Facilitación: %(value1)s", value1=group["facilitator"]))

    summary = c.get("attendance_summary") or {}
    pdf.subheading(
        _(
            "Asistencia (%(value1)s de %(value3)s escuelas)",
            value1=summary.get("present", 0),
            value3=summary.get("registered", 0),
        )
    )
    for a in c.get("attendance") or []:
        people = _(", %(value1)s personas", value1=a["people"]) if a.get("people") else ""
        pdf.bullet(f"{a['name']} ({a['cct']}): {a['status_label']}{people}")

    if "norms" in c:  # actas frozen before the room's agreements have no such section
        pdf.subheading(_("Normas de convivencia") + f" ({_('Actividad %(n)s', n=1)})")
        _items(pdf, [a["text"] for a in c["norms"]], _("No se registraron normas de convivencia."))

    pdf.subheading(_("Aportaciones por problemática"))
    if not c.get("problems"):
        pdf.muted(_("No se registraron aportaciones."))
    for p in c.get("problems") or []:
        title = p["title"] + (f" — {_school(p['school'])}" if p.get("school") else "")
        pdf.para(title, bold=True)
        for item in p["contributions"]:
            author = f" ({item['author_school']['name']})" if item.get("author_school") else ""
            will_try = _(" [la probaremos]") if item.get("will_try") else ""
            activity = (
                f" · {_('Actividad %(n)s', n=item['activity'])}" if item.get("activity") is not None else ""
            )
            pdf.bullet(f"{item['kind_label']}: {item['text']}{author}{activity}{will_try}")
        if p.get("hidden_count"):
            pdf.muted(
                _(
                    "%(value0)s aportación(es) ocultada(s) por la moderación, no incluidas.",
                    value0=p["hidden_count"],
                )
            )

    if "to_try" in c:
        pdf.subheading(_("Lo que probaremos") + f" ({_('Actividad %(n)s', n=3)})")
        _items(pdf, [_agreement_line(a) for a in c["to_try"]], _("No se registró qué se probará."))

    pdf.subheading(_("Acuerdos"))
    _items(pdf, [_agreement_line(a) for a in c.get("agreements") or []], _("Sin acuerdos registrados."))

    pdf.subheading(_("Compromisos por escuela"))
    for block in c.get("commitments_by_school") or []:
        pdf.para(_school(block["school"]), bold=True)
        if not block["commitments"]:
            pdf.muted(_("Sin compromisos registrados."))
        for item in block["commitments"]:
            room = f" [{item['classroom']}]" if item.get("classroom") else ""
            pdf.bullet(f"{item['action']}{room}")
            details = _(
                "Responsable: %(value1)s · Fecha límite: %(value3)s",
                value1=item["responsible"],
                value3=_date(item["due_date"]),
            )
            if item.get("follow_up"):
                details += _(" · Seguimiento: %(value1)s", value1=item["follow_up"])
            pdf.para(details, size=9, indent=8)

    pdf.subheading(_("Requiere asesoría externa") + f" ({_('Actividad %(n)s', n=4)})")
    _items(
        pdf,
        [_agreement_line(n) for n in c.get("external_advice") or []],
        _("Nada pendiente de asesoría externa."),
    )

    pdf.subheading(_("Experiencia de aula a observar en el próximo encuentro"))
    _items(
        pdf,
        [_agreement_line(o) for o in c.get("to_observe") or []],
        _("No se eligió una experiencia a observar."),
    )
    if "resources" in c:  # actas frozen before issue 11's resources have none
        _resources(pdf, c, visible_practices)
    pdf.muted(_("Acta generada el %(value1)s.", value1=_local(c.get("generated_at"))))


def _agreement_line(a: dict) -> str:
    """An agreement of the acta on one line: its text, topic, school(s), classroom and problem."""
    schools = a.get("schools") or ([a["school"]] if a.get("school") else [])
    line = a["text"]
    if a.get("topic"):
        line += " · " + _("Tema: %(topic)s", topic=a["topic"])
    if schools:
        line += " (" + ", ".join(s["name"] for s in schools) + ")"
    if a.get("classroom"):
        line += " · " + _("Grupo o grado: %(classroom)s", classroom=a["classroom"])
    if a.get("problem"):
        line += " · " + _("Problemática: %(problem)s", problem=a["problem"])
    return line


def _items(pdf: Document, lines: list[str], empty: str) -> None:
    if not lines:
        pdf.muted(empty)
    for line in lines:
        pdf.bullet(line)


def logbook_pdf(school, entries, *, filters: str = "", problem_contributions: list[dict] = ()) -> bytes:
    """A school's logbook (the entries given, in order: entries and items of a running session,
    marked *en sesión*) as a PDF, then the contributions about the school's problems by problem
    (app.logbook.minutes.school_problem_contributions)."""
    pdf = Document(_("Cuaderno de Bitácora · %(name)s", name=school.name))
    pdf.heading(_("Cuaderno de Bitácora del CTE"))
    pdf.para(f"{school.name} ({school.cct})", bold=True, size=12)
    if filters:
        pdf.muted(filters)
    if not entries:
        pdf.ln(4)
        pdf.para(_("No hay entradas con estos filtros."))
    for entry in entries:
        pdf.ln(2)
        pdf.set_text_color(90)
        pdf.para(
            _(
                "%(value0)s · %(value2)s · ciclo %(school_year)s",
                value0=_local(entry.created_at),
                value2=ENTRY_KINDS.get(entry.kind, entry.kind),
                school_year=entry.school_year,
            )
            + (" · " + _("en sesión: %(title)s", title=entry.encounter_title) if entry.is_in_session else ""),
            size=8.5,
        )
        pdf.set_text_color(0)
        pdf.para(entry.display_title, bold=True)
        if entry.body:
            pdf.para(entry.body, size=9.5)
        if entry.commitment is not None:
            pdf.para(
                _(
                    "Estado: %(status_label)s · Fecha límite: %(value3)s",
                    status_label=entry.commitment.status_label,
                    value3=day_text(entry.commitment.due_date),
                ),
                size=9,
            )
    if problem_contributions:
        _problem_contributions(pdf, problem_contributions)
    return bytes(pdf.output())


def _problem_contributions(pdf: Document, sections: list[dict]) -> None:
    """The bitácora's *Aportaciones sobre nuestras problemáticas*, a heading per problem."""
    pdf.ln(4)
    pdf.subheading(_("Aportaciones sobre nuestras problemáticas"))
    for section in sections:
        pdf.para(section["title"], bold=True)
        for item in section["contributions"]:
            author = f" ({item['author_school']['name']})" if item.get("author_school") else ""
            activity = (
                f" · {_('Actividad %(n)s', n=item['activity'])}" if item.get("activity") is not None else ""
            )
            will_try = _(" [la probaremos]") if item.get("will_try") else ""
            pdf.bullet(
                f"{item['kind_label']}: {item['text']}{author}{activity} · "
                f"{_local(item['created_at'])}{will_try}"
            )
