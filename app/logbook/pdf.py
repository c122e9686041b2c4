"""PDF versions of the minutes and of a school's logbook (fpdf2).

The text uses DejaVu Sans, a Unicode TrueType font shipped with the app in ``app/static/fonts``
(license alongside), so that Spanish accents and the letters of indigenous languages print; nothing
is read from outside the project.
"""
from __future__ import annotations

from flask_babel import gettext as _
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from app.logbook.models import ENTRY_KINDS
from app.utils import as_utc

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONT = "DejaVu"


class _Document(FPDF):
    """A Letter-size page with the platform's name in the footer and page numbers."""

    footer_text = "Aprendizaje entre Escuelas"

    def __init__(self, title: str):
        super().__init__(format="Letter")
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_creator("Aprendizaje entre Escuelas")
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 16, 18)
        self.add_page()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(110)
        self.cell(0, 5, _('%(footer_text)s · página %(value2)s/{nb}', footer_text=self.footer_text, value2=self.page_no()), align="C")
        self.set_text_color(0)

    def heading(self, text: str, size: int = 16) -> None:
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def subheading(self, text: str) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(2)
        self.set_font(FONT, "B", 11.5)
        self.set_fill_color(232, 245, 238)
        self.multi_cell(0, 6.5, text, fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def para(self, text: str, *, bold: bool = False, size: float = 10, indent: float = 0) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        if indent:
            self.set_x(self.l_margin + indent)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bullet(self, text: str, *, indent: float = 4) -> None:
        self.para(f"• {text}", indent=indent)

    def muted(self, text: str) -> None:
        self.set_text_color(110)
        self.para(text, size=9)
        self.set_text_color(0)


def _local(value: str | datetime | None, zone: str, fmt: str = "%d/%m/%Y %H:%M") -> str:
    if not value:
        return "—"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return as_utc(moment).astimezone(ZoneInfo(zone)).strftime(fmt)


def _school(s: dict | None) -> str:
    return f"{s['name']} ({s['cct']})" if s else ""


def _date(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%d/%m/%Y")


def minutes_pdf(encounter, minutes_list, *, zone: str = "America/Mexico_City") -> bytes:
    """The minutes of every group of an encounter, one after the other, as a PDF."""
    pdf = _Document(_('Acta · %(title)s', title=encounter.title))
    pdf.heading(_("Acta del encuentro de Aprendizaje entre escuelas"))
    pdf.para(encounter.title, bold=True, size=12)
    pdf.para(_('Fecha: %(value1)s · Modalidad: %(modality_label)s', value1=_local(encounter.starts_at, zone), modality_label=encounter.modality_label))
    if encounter.closed_at:
        pdf.muted(_('Cerrado el %(value1)s', value1=_local(encounter.closed_at, zone)))
    if not minutes_list:
        pdf.ln(4)
        pdf.para(_("El acta se genera cuando se cierra el encuentro."))
    for minutes in minutes_list:
        _group_minutes(pdf, minutes.content or {}, zone)
    return bytes(pdf.output())


def _group_minutes(pdf: _Document, c: dict, zone: str) -> None:
    group = c.get("group") or {}
    pdf.ln(4)
    pdf.heading(group.get("label") or "Grupo", size=14)
    if group.get("host_school"):
        pdf.para(_('Sede: %(value1)s', value1=_school(group['host_school'])))
    if group.get("place"):
        pdf.para(_('Lugar: %(value1)s', value1=group['place']))
    if group.get("facilitator"):
        pdf.para(_('Facilitación: %(value1)s', value1=group['facilitator']))

    summary = c.get("attendance_summary") or {}
    pdf.subheading(_('Asistencia (%(value1)s de %(value3)s escuelas)', value1=summary.get('present', 0), value3=summary.get('registered', 0)))
    for a in c.get("attendance") or []:
        people = _(', %(value1)s personas', value1=a['people']) if a.get("people") else ""
        pdf.bullet(f"{a['name']} ({a['cct']}): {a['status_label']}{people}")

    pdf.subheading(_("Aportaciones por problemática"))
    if not c.get("problems"):
        pdf.muted(_("No se registraron aportaciones."))
    for p in c.get("problems") or []:
        title = p["title"] + (f" — {_school(p['school'])}" if p.get("school") else "")
        pdf.para(title, bold=True)
        for item in p["contributions"]:
            author = f" ({item['author_school']['name']})" if item.get("author_school") else ""
            will_try = _(" [la probaremos]") if item.get("will_try") else ""
            pdf.bullet(f"{item['kind_label']}: {item['text']}{author}{will_try}")
        if p.get("hidden_count"):
            pdf.muted(_('%(value0)s aportación(es) ocultada(s) por la moderación, no incluidas.', value0=p['hidden_count']))

    pdf.subheading("Acuerdos")
    _items(pdf, [a["text"] + (f" ({a['school']['name']})" if a.get("school") else "")
                 for a in c.get("agreements") or []], _("Sin acuerdos registrados."))

    pdf.subheading(_("Compromisos por escuela"))
    for block in c.get("commitments_by_school") or []:
        pdf.para(_school(block["school"]), bold=True)
        if not block["commitments"]:
            pdf.muted(_("Sin compromisos registrados."))
        for item in block["commitments"]:
            room = f" [{item['classroom']}]" if item.get("classroom") else ""
            pdf.bullet(f"{item['action']}{room}")
            details = _('Responsable: %(value1)s · Fecha límite: %(value3)s', value1=item['responsible'], value3=_date(item['due_date']))
            if item.get("follow_up"):
                details += _(' · Seguimiento: %(value1)s', value1=item['follow_up'])
            pdf.para(details, size=9, indent=8)

    pdf.subheading(_("Requiere asesoría externa"))
    _items(pdf, [n["text"] + (f" ({n['school']['name']})" if n.get("school") else "")
                 for n in c.get("external_advice") or []], _("Nada pendiente de asesoría externa."))

    pdf.subheading(_("Experiencia de aula a observar en el próximo encuentro"))
    _items(pdf, [o["text"] + (f" ({o['school']['name']})" if o.get("school") else "")
                 for o in c.get("to_observe") or []], _("No se eligió una experiencia a observar."))
    pdf.muted(_('Acta generada el %(value1)s.', value1=_local(c.get('generated_at'), zone)))


def _items(pdf: _Document, lines: list[str], empty: str) -> None:
    if not lines:
        pdf.muted(empty)
    for line in lines:
        pdf.bullet(line)


def logbook_pdf(school, entries, *, filters: str = "", zone: str = "America/Mexico_City") -> bytes:
    """A school's logbook (the entries given, in order) as a PDF."""
    pdf = _Document(_('Cuaderno de Bitácora · %(name)s', name=school.name))
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
        pdf.para(_('%(value0)s · %(value2)s · ciclo %(school_year)s', value0=_local(entry.created_at, zone), value2=ENTRY_KINDS.get(entry.kind, entry.kind), school_year=entry.school_year), size=8.5)
        pdf.set_text_color(0)
        pdf.para(entry.title, bold=True)
        if entry.body:
            pdf.para(entry.body, size=9.5)
        if entry.commitment is not None:
            pdf.para(_('Estado: %(status_label)s · Fecha límite: %(value3)s', status_label=entry.commitment.status_label, value3=entry.commitment.due_date.strftime('%d/%m/%Y')), size=9)
    return bytes(pdf.output())
