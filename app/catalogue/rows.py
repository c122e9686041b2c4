"""One catalogue row, parsed and checked: a zone or a school, or the reason it is skipped or bad."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from app.catalogue.fields import (
    CCT_HELP,
    SCHOOL_TYPE,
    SUPERVISION_TYPE,
    _clip,
    _coordinate,
    _folded,
    _is_basic_supervision,
    _optional_cct,
    is_valid_cct,
    school_address,
    school_level,
    zone_level,
    zone_number,
    zone_service,
)

_NEEDED = (
    "CV_CCT",
    "C_NOMBRE",
    "C_TIPO",
    "SUPERVISION_CV_CCT",
    "TIPONIVELSUB_C_SERVICION1",
    "TIPONIVELSUB_C_SERVICION2",
    "TIPONIVELSUB_C_SERVICION3",
    "INMUEBLE_C_NOM_MUN",
    "JEFSEC_CV_CCT",
    "SERREG_CV_CCT",
    "INMUEBLE_LATITUD",
    "INMUEBLE_LONGITUD",
    "SOSTENIMIENTO_C_CONTROL",
    "SOSTENIMIENTO_C_SUBCONTROL",
    "C_TUNO_1",
    "C_TUNO_2",
    "C_TUNO_3",
    "INMUEBLE_CV_CODIGO_POSTAL",
    "INMUEBLE_C_NOM_LOC",
    "INMUEBLE_C_VIALIDAD_PRINCIPAL",
    "INMUEBLE_N_EXTNUM",
    "INMUEBLE_C_EXTALF",
    "INMUEBLE_C_NOM_ASEN",
)


class _RowParser:
    """Classifies the records of one file; the columns it needs are picked with one itemgetter."""

    def __init__(self, header: list[str]):
        self.width = len(header)
        index = {name: i for i, name in enumerate(header)}
        # A column the header lacks points one past the end, where parse() appends "".
        self.pick = itemgetter(*[index.get(name, self.width) for name in _NEEDED])
        self.cct_index = index["CV_CCT"]

    def parse(
        self, fields: list[str], bad_encoding: bool, seen: dict[str, int], line: int
    ) -> tuple[str, Any, str]:
        """(kind, values or reason, cct): kind is 'zone', 'school', 'skip' or 'bad'."""
        width = self.width
        if len(fields) != width:
            cct = fields[self.cct_index].strip().upper() if self.cct_index < len(fields) else ""
            return (
                "bad",
                (f"La fila tiene {len(fields)} columnas y el encabezado {width}: faltan o sobran columnas."),
                cct[:20],
            )
        fields.append("")
        (
            cct,
            name,
            kind,
            supervision,
            nivel1,
            nivel2,
            nivel3,
            municipality,
            sector,
            region,
            lat_text,
            lon_text,
            control,
            subcontrol,
            shift1,
            shift2,
            shift3,
            postal,
            locality,
            street,
            extnum,
            extalf,
            settlement,
        ) = [value.strip() for value in self.pick(fields)]
        cct = cct.upper()
        if bad_encoding:
            return (
                "bad",
                ("La fila no está en UTF-8 (caracteres no válidos); guarda el archivo como UTF-8."),
                cct[:20],
            )
        if not cct:
            return "bad", "Falta la clave del centro de trabajo (CV_CCT).", ""
        if not is_valid_cct(cct):
            return "bad", f"CCT no válida «{cct[:20]}»: se esperan {CCT_HELP}.", cct[:20]
        if cct in seen:
            return "bad", f"CCT repetida: ya aparece en la línea {seen[cct]}.", cct
        seen[cct] = line
        if not name:
            return "bad", "Falta el nombre del centro de trabajo (C_NOMBRE).", cct
        kind = _folded(kind)
        if kind == SUPERVISION_TYPE:
            if not _is_basic_supervision(name):
                return "skip", None, cct
            return (
                "zone",
                {
                    "cct": cct,
                    "number": zone_number(name),
                    "name": name[:255],
                    "level": zone_level(name),
                    "service": _clip(zone_service(name), 120),
                    "municipality": _clip(municipality, 120),
                    "sector_cct": _optional_cct(sector),
                    "region_cct": _optional_cct(region),
                },
                cct,
            )
        if kind != SCHOOL_TYPE:
            return "skip", None, cct
        level = school_level(cct, nivel1, nivel2)
        if level is None:
            return "skip", None, cct
        supervision = supervision.upper()
        if supervision and not is_valid_cct(supervision):
            return "bad", (f"SUPERVISION_CV_CCT no válida «{supervision[:20]}»: se esperan {CCT_HELP}."), cct
        lat, lat_ok = _coordinate(lat_text, 90)
        lon, lon_ok = _coordinate(lon_text, 180)
        if not (lat_ok and lon_ok):
            return "bad", "Coordenadas no válidas (INMUEBLE_LATITUD, INMUEBLE_LONGITUD).", cct
        if lat is None or lon is None:
            lat = lon = None
        shifts = [s for s in (shift1, shift2, shift3) if s]
        return (
            "school",
            {
                "cct": cct,
                "name": name[:255],
                "level": level,
                "service": _clip(nivel3, 120),
                "shift": _clip(", ".join(dict.fromkeys(shifts)), 60),
                "municipality": _clip(municipality, 120),
                "locality": _clip(locality, 160),
                "address": school_address(street, extnum, extalf, settlement),
                "postal_code": _clip(postal if postal.strip("0") else "", 10),
                "lat": lat,
                "lon": lon,
                "is_public": _folded(control) != "privado",
                "control": _clip(subcontrol or control, 60),
                "supervision_cct": supervision or None,
                "sector_cct": _optional_cct(sector),
                "region_cct": _optional_cct(region),
            },
            cct,
        )
