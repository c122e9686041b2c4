"""PDF of a relato and the zone's booklet of good practices, on the platform's PDF layout (app.pdf) (fpdf2 with
the DejaVu fonts shipped in ``app/static/fonts``)."""

from __future__ import annotations

from flask_babel import gettext as _

from app.dates import day_text
from app.goodpractices.services import (
    NARRATIVE_SECTIONS,
    ZoneGoodPractice,
    recognised_by_text,
    stored_thumbnail,
)
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


THUMB_BOX = (40.0, 30.0)  # mm: four evidence thumbnails to a row


def _thumbnails(pdf: Document, evidence: list) -> int:
    """Draw the stored thumbnails of the evidence images, four to a row; an image whose thumbnail
    its job has not made yet is left out (the booklet never decodes an original photo). Returns how
    many were drawn."""
    paths = [path for path in (stored_thumbnail(e) for e in evidence) if path is not None]
    width, height = THUMB_BOX
    gap = 3.0
    per_row = max(int((pdf.epw + gap) // (width + gap)), 1)
    for start in range(0, len(paths), per_row):
        if pdf.get_y() + height > pdf.h - pdf.b_margin:
            pdf.add_page()
        top = pdf.get_y()
        for n, path in enumerate(paths[start : start + per_row]):
            pdf.image(
                str(path),
                x=pdf.l_margin + n * (width + gap),
                y=top,
                w=width,
                h=height,
                keep_aspect_ratio=True,
            )
        pdf.set_y(top + height + gap)
    return len(paths)


def booklet_pdf(zone, items: list[ZoneGoodPractice], totals) -> bytes:
    """The zone's recognised good practices as a booklet for the zone council's meetings: each with
    its steps, materials, evidence (thumbnails), results, the outcomes of the schools that adopted it,
    and who recognised it."""
    pdf = Document(_("Buenas prácticas · %(name)s", name=zone.name))
    pdf.heading(_("Buenas prácticas de la zona escolar"))
    pdf.para(f"{zone.name} ({zone.cct})", bold=True, size=12)
    pdf.muted(_("%(n)s práctica(s) reconocida(s) como buenas prácticas de la zona.", n=len(items)))
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
        _booklet_practice(pdf, item)
    return bytes(pdf.output())


def _booklet_practice(pdf: Document, item: ZoneGoodPractice) -> None:
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
    pdf.muted(recognised_by_text(item.recognition))
    pdf.para(p.summary)
    if p.steps:
        pdf.para(_("Pasos"), bold=True, size=10)
        pdf.para(p.steps, size=9.5)
    if p.resources:
        pdf.para(_("Materiales y recursos"), bold=True, size=10)
        for resource in p.resources:
            pdf.bullet(f"{resource.description} ({resource.criterion_label})")
    if p.results:
        pdf.para(_("Resultados"), bold=True, size=10)
        pdf.para(p.results, size=9.5)
    if p.evidence:
        pdf.para(_("Evidencias"), bold=True, size=10)
        _thumbnails(pdf, [e for e in p.evidence if e.is_image])
        for e in p.evidence:
            if e.caption or not e.is_image:
                pdf.bullet(e.caption or e.original_name)
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
    for adoption in p.adoptions:  # each school's outcome and what it saw
        line = f"{adoption.school.name}: {adoption.outcome_label}"
        if adoption.outcome_notes:
            line += f". {adoption.outcome_notes}"
        pdf.bullet(line)
