"""PDF of a relato and the zone's booklet of good practices, on the platform's PDF layout (app.pdf) (fpdf2 with
the DejaVu fonts shipped in ``app/static/fonts``)."""

from __future__ import annotations

from flask_babel import gettext as _

from app.dates import day_text
from app.goodpractices.services import NARRATIVE_SECTIONS, ZoneGoodPractice
from app.pdf import Document
from app.practices.models import OUTCOMES


def narrative_pdf(narrative) -> bytes:
    """A relato as a clean, printable PDF."""
    pdf = Document(_("Relato · %(title)s", title=narrative.title))
    pdf.heading(narrative.title)
    pdf.para(f"{narrative.school.name} ({narrative.school.cct})", bold=True)
    context = []
    if narrative.practice is not None:
        context.append(_("Práctica: %(title)s", title=narrative.practice.title))
    if narrative.problem is not None:
        context.append(_("Problemática: %(title)s", title=narrative.problem.title))
    if narrative.encounter is not None:
        context.append(_("Encuentro: %(title)s", title=narrative.encounter.title))
    for line in context:
        pdf.muted(line)
    if narrative.author is not None:
        pdf.muted(
            _(
                "Escribió: %(name)s · %(value3)s",
                name=narrative.author.name,
                value3=day_text(narrative.created_at),
            )
        )
    for key, label in NARRATIVE_SECTIONS.items():
        pdf.subheading(label)
        pdf.para(getattr(narrative, key))
    return bytes(pdf.output())


def booklet_pdf(zone, items: list[ZoneGoodPractice], totals) -> bytes:
    """The zone's recognised good practices as a booklet for the zone council's meetings."""
    pdf = Document(_("Buenas prácticas · %(name)s", name=zone.name))
    pdf.heading(_("Buenas prácticas de la zona escolar"))
    pdf.para(f"{zone.name} ({zone.cct})", bold=True, size=12)
    pdf.muted(_("%(n)s práctica(s) reconocida(s) por el Consejo Técnico de Zona.", n=len(items)))
    adopted = sum(t.count for t in totals)
    if adopted:
        pdf.para(
            _("Adopciones por resultado: ")
            + ", ".join(_("%(label)s: %(count)s", label=t.label, count=t.count) for t in totals)
        )
    if not items:
        pdf.ln(4)
        pdf.para(_("La zona aún no ha reconocido buenas prácticas."))
    for item in items:
        p = item.practice
        pdf.subheading(p.title)
        pdf.para(
            f"{p.school.name} ({p.school.cct})"
            + (f" · {p.school.municipality}" if p.school.municipality else ""),
            bold=True,
            size=9.5,
        )
        tags = [p.level.capitalize()] if p.level else []
        tags += [c.name for c in p.categories]
        if tags:
            pdf.muted(" · ".join(tags))
        pdf.para(p.summary)
        if p.results:
            pdf.para("Resultados", bold=True, size=10)
            pdf.para(p.results, size=9.5)
        pdf.para(_("Por qué es una buena práctica"), bold=True, size=10)
        pdf.para(item.recognition.rationale, size=9.5)
        outcome = _("Sus autores: %(value1)s. ", value1=OUTCOMES[p.outcome]) if p.outcome in OUTCOMES else ""
        adoptions = ", ".join(f"{o.label}: {o.count}" for o in item.outcomes if o.count)
        pdf.muted(
            _(
                "%(outcome)s%(n)s evidencia(s). %(adoption_count)s escuela(s) la adoptaron",
                outcome=outcome,
                n=len(p.evidence),
                adoption_count=item.adoption_count,
            )
            + (f" ({adoptions})." if adoptions else ".")
        )
    return bytes(pdf.output())
