"""The platform's printable documents (fpdf2): one page layout for every area's PDF.

The text uses DejaVu Sans, a Unicode TrueType font shipped with the app in ``app/static/fonts``
(license alongside), so that Spanish accents and the letters of indigenous languages print; nothing
is read from outside the project.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIR = Path(__file__).resolve().parent / "static" / "fonts"
FONT = "DejaVu"


class Document(FPDF):
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
        self.cell(
            0,
            5,
            _(
                "%(footer_text)s · página %(value2)s/{nb}",
                footer_text=self.footer_text,
                value2=self.page_no(),
            ),
            align="C",
        )
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
