"""The zones a catalogue file itself defines, and the message for a school that names none we know.

A school row may name (``SUPERVISION_CV_CCT``) a zone whose row comes later in the same file; the
import looks for the file's zone rows first, reading three columns only (app.catalogue.writing).
"""

from __future__ import annotations

import csv

from flask_babel import gettext as _

from app.catalogue.fields import SUPERVISION_TYPE, _folded, _is_basic_supervision, is_valid_cct
from app.catalogue.reading import _header, _records, _Scan, _Source


def zones_in_file(src: _Source, scan: _Scan) -> set[str]:
    """The zones (basic-education supervision rows) the file itself has, so that a school may
    name a zone that comes after it; a cheap pass that looks at three columns only."""
    zones: set[str] = set()
    records = _records(src, scan)
    try:
        first = next(records, None)
        if first is None:
            return zones
        index = {name: i for i, name in enumerate(_header(first[1]))}
        if not all(name in index for name in ("CV_CCT", "C_TIPO", "C_NOMBRE")):
            return zones
        cct_at, kind_at, name_at = index["CV_CCT"], index["C_TIPO"], index["C_NOMBRE"]
        width = max(cct_at, kind_at, name_at)
        for _line, fields, _bad in records:
            if len(fields) <= width or _folded(fields[kind_at].strip()) != SUPERVISION_TYPE:
                continue
            cct = fields[cct_at].strip().upper()
            if is_valid_cct(cct) and _is_basic_supervision(fields[name_at].strip()):
                zones.add(cct)
    except csv.Error:
        return zones  # the import's own pass reports where the file is malformed
    return zones


def unknown_zone(supervision_cct: str) -> str:
    """Why a school row naming an unknown zone was not imported (its line carries it)."""
    return _(
        "La supervisión «%(cct)s» (SUPERVISION_CV_CCT) no existe: no es una zona registrada ni viene en "
        "este archivo. La escuela no se importó; si ya estaba registrada, sigue en su zona actual.",
        cct=supervision_cct,
    )
