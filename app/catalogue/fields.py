"""The catalogue's fields, one at a time: CCT keys, levels of education, zone numbers and services,
addresses and coordinates.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.utils import fold

CCT_RE = re.compile(r"^\d{2}[A-Z]{3}\d{4}[A-Z0-9]$")


CCT_HELP = "2 dígitos de entidad, 3 letras, 4 dígitos y 1 carácter verificador, por ejemplo 22DPR0012K"


SUPERVISION_TYPE = "supervision de zona de educacion"


SCHOOL_TYPE = "escuela"


_LEVEL_WORDS = {
    "inicial": "inicial",
    "preescolar": "preescolar",
    "primaria": "primaria",
    "secundaria": "secundaria",
}


# Type letters of the CCT (positions 4-5) that name one basic level without doubt; used only when
# the TIPONIVELSUB columns say nothing.
_LEVEL_BY_TYPE = {
    "DI": "inicial",
    "EI": "inicial",
    "IN": "inicial",
    "JN": "preescolar",
    "CC": "preescolar",
    "PR": "primaria",
    "PB": "primaria",
    "ES": "secundaria",
    "ST": "secundaria",
    "TV": "secundaria",
}


_NUMBER_RE = re.compile(r"\bNUM\.?\s*(\d+)", re.IGNORECASE)


_ZONE_SERVICE_RE = re.compile(
    r"^SUPERVISI[OÓ]N\s+(?:DE\s+ZONA\s+|ESCOLAR\s+)?(?:DE\s+)?(?:EDUCACI[OÓ]N\s+)?(.*?)"
    r"\s*(?:\bNUM\.?\s*\d+.*)?$",
    re.IGNORECASE,
)


_NOWHERE = {"", "ninguno", "ninguno ninguno", "sin nombre", "0"}


def is_valid_cct(value: str | None) -> bool:
    """Whether ``value`` has the form of a CCT: 2 digits, 3 letters, 4 digits, 1 check character.

    >>> is_valid_cct("22DPR0012K"), is_valid_cct("22DPR012K"), is_valid_cct("")
    (True, False, False)
    """
    return bool(value) and CCT_RE.match(value) is not None


@lru_cache(maxsize=4096)
def _folded(value: str) -> str:
    return fold(value).strip()


def zone_number(name: str) -> int | None:
    """The zone number in a supervision's name.

    >>> zone_number("SUPERVISION DE ZONA DE EDUCACION PRIMARIA GENERAL NUM. 5")
    5
    >>> zone_number("SUPERVISION DE ZONA DE EDUCACION PRIMARIA GENERAL NUM 91"), zone_number("X")
    (91, None)
    """
    match = _NUMBER_RE.search(name or "")
    return int(match.group(1)) if match else None


def zone_service(name: str) -> str | None:
    """The service named in a supervision's name (what follows 'de educación').

    >>> zone_service("SUPERVISION DE ZONA DE EDUCACION PRIMARIA GENERAL NUM. 5")
    'PRIMARIA GENERAL'
    >>> zone_service("SUPERVISION DE ZONA DE TELESECUNDARIA NUM. 3")
    'TELESECUNDARIA'
    >>> zone_service("SUPERVISION ESCOLAR DE EDUCACION INDIGENA NUM. 2")
    'INDIGENA'
    """
    match = _ZONE_SERVICE_RE.match((name or "").strip())
    return (match.group(1).strip() or None) if match else None


def zone_level(name: str) -> str | None:
    """The basic level a supervision's name names, or None (indígena zones serve several).

    >>> zone_level("SUPERVISION DE ZONA DE TELESECUNDARIA NUM. 3")
    'secundaria'
    >>> zone_level("SUPERVISION DE ZONA DE EDUCACION INDIGENA NUM. 1") is None
    True
    """
    words = _folded(name or "").split()
    for word in words:
        if word in _LEVEL_WORDS:
            return _LEVEL_WORDS[word]
        if word == "telesecundaria":
            return "secundaria"
    return None


def _is_basic_supervision(name: str) -> bool:
    """Especial, physical-education and upper-level supervisions are not zones of this platform."""
    folded = _folded(name or "")
    return not any(word in folded for word in ("especial", "fisica", "media superior", "superior"))


def school_level(cct: str, nivel1: str, nivel2: str) -> str | None:
    """The basic level of an ESCUELA row, from TIPONIVELSUB columns, else the CCT's type letters.

    >>> school_level("22DPR0012K", "BÁSICA", "PRIMARIA")
    'primaria'
    >>> school_level("22DJN0001Z", "", ""), school_level("22PBH0001A", "MEDIA SUPERIOR", "")
    ('preescolar', None)
    """
    n1 = _folded(nivel1)
    if n1 and n1 not in ("basica", "inicial"):
        return None
    level = _LEVEL_WORDS.get(_folded(nivel2))
    if level:
        return level
    if n1 == "inicial":
        return "inicial"
    return _LEVEL_BY_TYPE.get(cct[3:5])


def _clip(value: str | None, size: int) -> str | None:
    value = (value or "").strip()
    return value[:size] if value else None


def _number_part(extnum: str, extalf: str) -> str:
    number = extnum if extnum not in ("", "0") else ""
    letters = "S/N" if extalf.upper() == "SN" else extalf
    return " ".join(p for p in (number, letters) if p)


def school_address(street: str, extnum: str, extalf: str, settlement: str) -> str | None:
    """Street, number and settlement (asentamiento), skipping SIGED's 'NINGUNO' placeholders.

    >>> school_address("ANDADOR 17", "0", "SN", "LOMAS DE CASA BLANCA")
    'ANDADOR 17 S/N, LOMAS DE CASA BLANCA'
    >>> school_address("NINGUNO NINGUNO", "12", "", "")
    '12'
    """
    street = "" if _folded(street) in _NOWHERE else street
    settlement = "" if _folded(settlement) in _NOWHERE else settlement
    first = " ".join(p for p in (street, _number_part(extnum, extalf)) if p)
    return _clip(", ".join(p for p in (first, settlement) if p), 300)


def _coordinate(value: str, limit: float) -> tuple[float | None, bool]:
    """(value, ok): empty or zero is no coordinate; anything not a number in range is bad."""
    if not value:
        return None, True
    try:
        number = float(value)
    except ValueError:
        return None, False
    if number != number or abs(number) > limit:
        return None, False
    return (number if number != 0 else None), True


def _optional_cct(value: str) -> str | None:
    value = value.upper()
    return value if is_valid_cct(value) else None
