"""PDF versions of the minutes and of a school's logbook (fpdf2).

The text uses DejaVu Sans, a Unicode TrueType font shipped with the app in ``app/static/fonts``
(license alongside), so that Spanish accents and the letters of indigenous languages print; nothing
is read from outside the project.
"""
from __future__ import annotations

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
        self.cell(0, 5, f"{self.footer_text} · página {self.page_no()}/{{nb}}", align="C")
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
    pdf = _Document(f"Acta · {encounter.title}")
    pdf.heading("Acta del encuentro de Aprendizaje entre escuelas")
    pdf.para(encounter.title, bold=True, size=12)
    pdf.para(f"Fecha: {_local(encounter.starts_at, zone)} · Modalidad: {encounter.modality_label}")
    if encounter.closed_at:
        pdf.muted(f"Cerrado el {_local(encounter.closed_at, zone)}")
    if not minutes_list:
        pdf.ln(4)
        pdf.para("El acta se genera cuando se cierra el encuentro.")
    for minutes in minutes_list:
        _group_minutes(pdf, minutes.content or {}, zone)
    return bytes(pdf.output())


def _group_minutes(pdf: _Document, c: dict, zone: str) -> None:
    group = c.get("group") or {}
    pdf.ln(4)
    pdf.heading(group.get("label") or "Grupo", size=14)
    if group.get("host_school"):
        pdf.para(f"Sede: {_school(group['host_school'])}")
    if group.get("place"):
        pdf.para(f"Lugar: {group['place']}")
    if group.get("facilitator"):
        pdf.para(f"Facilitación: {group['facilitator']}")

    summary = c.get("attendance_summary") or {}
    pdf.subheading(f"Asistencia ({summary.get('present', 0)} de {summary.get('registered', 0)} escuelas)")
    for a in c.get("attendance") or []:
        people = f", {a['people']} personas" if a.get("people") else ""
        pdf.bullet(f"{a['name']} ({a['cct']}): {a['status_label']}{people}")

    pdf.subheading("Aportaciones por problemática")
    if not c.get("problems"):
        pdf.muted("No se registraron aportaciones.")
    for p in c.get("problems") or []:
        title = p["title"] + (f" — {_school(p['school'])}" if p.get("school") else "")
        pdf.para(title, bold=True)
        for item in p["contributions"]:
            author = f" ({item['author_school']['name']})" if item.get("author_school") else ""
            will_try = " [la probaremos]" if item.get("will_try") else ""
            pdf.bullet(f"{item['kind_label']}: {item['text']}{author}{will_try}")
        if p.get("hidden_count"):
            pdf.muted(f"{p['hidden_count']} aportación(es) ocultada(s) por la moderación, no incluidas.")

    pdf.subheading("Acuerdos")
    _items(pdf, [a["text"] + (f" ({a['school']['name']})" if a.get("school") else "")
                 for a in c.get("agreements") or []], "Sin acuerdos registrados.")

    pdf.subheading("Compromisos por escuela")
    for block in c.get("commitments_by_school") or []:
        pdf.para(_school(block["school"]), bold=True)
        if not block["commitments"]:
            pdf.muted("Sin compromisos registrados.")
        for item in block["commitments"]:
            room = f" [{item['classroom']}]" if item.get("classroom") else ""
            pdf.bullet(f"{item['action']}{room}")
            details = f"Responsable: {item['responsible']} · Fecha límite: {_date(item['due_date'])}"
            if item.get("follow_up"):
                details += f" · Seguimiento: {item['follow_up']}"
            pdf.para(details, size=9, indent=8)

    pdf.subheading("Requiere asesoría externa")
    _items(pdf, [n["text"] + (f" ({n['school']['name']})" if n.get("school") else "")
                 for n in c.get("external_advice") or []], "Nada pendiente de asesoría externa.")

    pdf.subheading("Experiencia de aula a observar en el próximo encuentro")
    _items(pdf, [o["text"] + (f" ({o['school']['name']})" if o.get("school") else "")
                 for o in c.get("to_observe") or []], "No se eligió una experiencia a observar.")
    pdf.muted(f"Acta generada el {_local(c.get('generated_at'), zone)}.")


def _items(pdf: _Document, lines: list[str], empty: str) -> None:
    if not lines:
        pdf.muted(empty)
    for line in lines:
        pdf.bullet(line)


def logbook_pdf(school, entries, *, filters: str = "", zone: str = "America/Mexico_City") -> bytes:
    """A school's logbook (the entries given, in order) as a PDF."""
    pdf = _Document(f"Cuaderno de Bitácora · {school.name}")
    pdf.heading("Cuaderno de Bitácora del CTE")
    pdf.para(f"{school.name} ({school.cct})", bold=True, size=12)
    if filters:
        pdf.muted(filters)
    if not entries:
        pdf.ln(4)
        pdf.para("No hay entradas con estos filtros.")
    for entry in entries:
        pdf.ln(2)
        pdf.set_text_color(90)
        pdf.para(f"{_local(entry.created_at, zone)} · {ENTRY_KINDS.get(entry.kind, entry.kind)}"
                 f" · ciclo {entry.school_year}", size=8.5)
        pdf.set_text_color(0)
        pdf.para(entry.title, bold=True)
        if entry.body:
            pdf.para(entry.body, size=9.5)
        if entry.commitment is not None:
            pdf.para(f"Estado: {entry.commitment.status_label} · Fecha límite: "
                     f"{entry.commitment.due_date.strftime('%d/%m/%Y')}", size=9)
    return bytes(pdf.output())
