"""PDF of a relato and the zone's booklet of good practices, on the logbook's PDF layer (fpdf2 with
the DejaVu fonts shipped in ``app/static/fonts``)."""
from __future__ import annotations

from app.goodpractices.services import NARRATIVE_SECTIONS, ZoneGoodPractice
from app.logbook.pdf import _Document
from app.practices.models import OUTCOMES


def narrative_pdf(narrative) -> bytes:
    """A relato as a clean, printable PDF."""
    pdf = _Document(f"Relato · {narrative.title}")
    pdf.heading(narrative.title)
    pdf.para(f"{narrative.school.name} ({narrative.school.cct})", bold=True)
    context = []
    if narrative.practice is not None:
        context.append(f"Práctica: {narrative.practice.title}")
    if narrative.problem is not None:
        context.append(f"Problemática: {narrative.problem.title}")
    if narrative.encounter is not None:
        context.append(f"Encuentro: {narrative.encounter.title}")
    for line in context:
        pdf.muted(line)
    if narrative.author is not None:
        pdf.muted(f"Escribió: {narrative.author.name} · {narrative.created_at.strftime('%d/%m/%Y')}")
    for key, label in NARRATIVE_SECTIONS.items():
        pdf.subheading(label)
        pdf.para(getattr(narrative, key))
    return bytes(pdf.output())


def booklet_pdf(zone, items: list[ZoneGoodPractice], totals) -> bytes:
    """The zone's recognised good practices as a booklet for the zone council's meetings."""
    pdf = _Document(f"Buenas prácticas · {zone.name}")
    pdf.heading("Buenas prácticas de la zona escolar")
    pdf.para(f"{zone.name} ({zone.cct})", bold=True, size=12)
    pdf.muted(f"{len(items)} práctica(s) reconocida(s) por el Consejo Técnico de Zona.")
    adopted = sum(t.count for t in totals)
    if adopted:
        pdf.para("Adopciones por resultado: " + ", ".join(f"{t.label}: {t.count}" for t in totals))
    if not items:
        pdf.ln(4)
        pdf.para("La zona aún no ha reconocido buenas prácticas.")
    for item in items:
        p = item.practice
        pdf.subheading(p.title)
        pdf.para(f"{p.school.name} ({p.school.cct})" + (f" · {p.school.municipality}" if p.school.municipality else ""),
                 bold=True, size=9.5)
        tags = [p.level.capitalize()] if p.level else []
        tags += [c.name for c in p.categories]
        if tags:
            pdf.muted(" · ".join(tags))
        pdf.para(p.summary)
        if p.results:
            pdf.para("Resultados", bold=True, size=10)
            pdf.para(p.results, size=9.5)
        pdf.para("Por qué es una buena práctica", bold=True, size=10)
        pdf.para(item.recognition.rationale, size=9.5)
        outcome = f"Sus autores: {OUTCOMES[p.outcome]}. " if p.outcome in OUTCOMES else ""
        adoptions = ", ".join(f"{o.label}: {o.count}" for o in item.outcomes if o.count)
        pdf.muted(f"{outcome}{len(p.evidence)} evidencia(s). {item.adoption_count} escuela(s) la adoptaron"
                  + (f" ({adoptions})." if adoptions else "."))
    return bytes(pdf.output())
