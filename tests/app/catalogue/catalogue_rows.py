"""Build small catalogue files in SEP's SIGED format (the real header of the Querétaro file)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
QUERETARO = ROOT / "app" / "data" / "catalogo_cct_22_queretaro.csv"
ENLACE = ROOT / "app" / "data" / "enlace2011_matematicas6_queretaro.csv"
DATA = ROOT / "tests" / "data"

with open(QUERETARO, encoding="utf-8", newline="") as _fh:
    HEADER: list[str] = next(csv.reader(_fh))

LEVELS = {
    "PR": ("BÁSICA", "PRIMARIA", "GENERAL"),
    "PB": ("BÁSICA", "PRIMARIA", "INDÍGENA"),
    "JN": ("BÁSICA", "PREESCOLAR", "GENERAL"),
    "CC": ("BÁSICA", "PREESCOLAR", "INDÍGENA"),
    "TV": ("BÁSICA", "SECUNDARIA", "TELESECUNDARIA"),
    "ES": ("BÁSICA", "SECUNDARIA", "GENERAL"),
    "DI": ("INICIAL", "INICIAL", "LACTANTE Y MATERNAL"),
    "BH": ("MEDIA SUPERIOR", "BACHILLERATO", "GENERAL"),
}


def school(cct: str, name: str = "BENITO JUÁREZ", *, supervision: str = "", **extra) -> dict:
    """An ESCUELA row; its level from the CCT's type letters."""
    n1, n2, n3 = LEVELS.get(cct[3:5], ("BÁSICA", "PRIMARIA", "GENERAL"))
    row = {
        "CV_CCT": cct,
        "C_NOMBRE": name,
        "C_TIPO": "ESCUELA",
        "SUPERVISION_CV_CCT": supervision,
        "TIPONIVELSUB_C_SERVICION1": n1,
        "TIPONIVELSUB_C_SERVICION2": n2,
        "TIPONIVELSUB_C_SERVICION3": n3,
        "C_TUNO_1": "MATUTINO",
        "INMUEBLE_C_NOM_MUN": "QUERÉTARO",
        "INMUEBLE_C_NOM_LOC": "SANTIAGO DE QUERÉTARO",
        "INMUEBLE_C_VIALIDAD_PRINCIPAL": "CALLE HIDALGO",
        "INMUEBLE_N_EXTNUM": "12",
        "INMUEBLE_C_NOM_ASEN": "CENTRO",
        "INMUEBLE_CV_CODIGO_POSTAL": "76000",
        "INMUEBLE_LATITUD": "20.5931",
        "INMUEBLE_LONGITUD": "-100.3920",
        "SOSTENIMIENTO_C_CONTROL": "PÚBLICO",
        "SOSTENIMIENTO_C_SUBCONTROL": "FEDERAL TRANSFERIDO",
        "SERREG_CV_CCT": "22ADG0001Z",
    }
    row.update(extra)
    return row


def supervision(cct: str, name: str, **extra) -> dict:
    """A supervision row (a zone)."""
    row = {
        "CV_CCT": cct,
        "C_NOMBRE": name,
        "C_TIPO": "SUPERVISION DE ZONA DE EDUCACION",
        "INMUEBLE_C_NOM_MUN": "QUERÉTARO",
        "SERREG_CV_CCT": "22ADG0001Z",
    }
    row.update(extra)
    return row


def other(cct: str, kind: str = "BIBLIOTECA", name: str = "BIBLIOTECA PÚBLICA") -> dict:
    """A row that is neither a school nor a supervision."""
    return {"CV_CCT": cct, "C_NOMBRE": name, "C_TIPO": kind}


def render(
    rows: list, header: list[str] | None = None, encoding: str = "utf-8", delimiter: str = ","
) -> bytes:
    """The CSV bytes, separated by ``delimiter``; a row may be a dict (by column) or a raw string line."""
    header = header or HEADER
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        if isinstance(row, str):
            out.write(row + "\r\n")
        else:
            writer.writerow([row.get(name, "") for name in header])
    return out.getvalue().encode(encoding)


def sample_rows() -> list[dict]:
    """The rows of tests/data/catalogo_muestra.csv: schools before and after their supervisions."""
    return [
        school("22DPR0001A", "NIÑOS HÉROES", supervision="22FIZ0005Z"),  # line 2
        school("22DJN0002B", "ROSAURA ZAPATA", supervision="22FZP0001C"),  # 3
        school("22KJN0003C", "PREESCOLAR COMUNITARIO"),  # 4
        school(
            "22PPR0004D",
            "COLEGIO MONTE ALBÁN",
            supervision="22FIZ0005Z",
            SOSTENIMIENTO_C_CONTROL="PRIVADO",
            SOSTENIMIENTO_C_SUBCONTROL="PARTICULAR",
        ),  # 5
        other("22DBP0001E"),  # 6
        school("22PBH0001F", "BACHILLERATO"),  # 7
        supervision(
            "22FIZ0005Z",
            "SUPERVISION DE ZONA DE EDUCACION PRIMARIA GENERAL NUM. 5",
            JEFSEC_CV_CCT="22FJS0001K",
        ),  # 8
        supervision("22FZP0001C", "SUPERVISION DE ZONA DE EDUCACION PREESCOLAR GENERAL NUM. 1"),  # 9
        supervision("22FSE0001G", "SUPERVISION DE EDUCACION ESPECIAL NUM. 01"),  # 10
        supervision("22FZI0001H", "SUPERVISION DE ZONA DE EDUCACION INDIGENA NUM. 1"),  # 11
        school("22DPB0005I", "CUAUHTÉMOC", supervision="22FZI0001H"),  # 12
        school("22DCC0006J", "XIMHAI", supervision="22FZI0001H"),  # 13
        school("22DCC0007K", "NDEHE", supervision="22FZI0001H"),  # 14
        school(
            "22DTV0008L",
            "TELESECUNDARIA 8",
            C_TUNO_2="VESPERTINO",
            INMUEBLE_LATITUD="0",
            INMUEBLE_LONGITUD="0",
        ),  # 15
    ]
