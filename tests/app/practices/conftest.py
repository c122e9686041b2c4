"""Fixtures of the practices tests: a small world of zones, schools and people, and real files."""

from __future__ import annotations

import base64
import io
import struct
import zlib
from types import SimpleNamespace

import pytest

from app.extensions import db as _db
from tests import factories


def png_bytes(width: int = 1, height: int = 1) -> bytes:
    """A valid RGB PNG written by hand: signature, IHDR, IDAT, IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x20\x80\x40" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    """A valid 1×1 grey baseline JPEG written by hand (one 8×8 block, DC only)."""
    dqt = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + b"\x01" * 64
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 1, 1, 1) + b"\x01\x11\x00"
    one_code = bytes([1] + [0] * 15) + b"\x00"  # one symbol (0) with a 1-bit code
    dht = b"\xff\xc4" + struct.pack(">H", 2 + 2 * 18) + b"\x00" + one_code + b"\x10" + one_code
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00" + b"\x00\x3f\x00"
    scan = bytes([0b00111111])  # DC difference category 0, then end of block, padded with 1s
    return b"\xff\xd8" + dqt + sof + dht + sos + scan + b"\xff\xd9"


# The well-known 1×1 lossless WebP.
WEBP_BYTES = base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")


def pdf_bytes() -> bytes:
    """A one-page PDF made with pypdf."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def world(db):
    """Zone A with schools S and S2, zone B with school T, and one person of each kind."""
    zone_a = factories.create_zone()
    zone_b = factories.create_zone()
    school = factories.create_school(zone_a, name="Escuela Primaria Benito Juárez", municipality="Querétaro")
    sibling = factories.create_school(zone_a)
    far = factories.create_school(zone_b)
    people = {
        "admin": factories.create_user("admin"),
        "supervisor_zona": factories.create_user("supervisor", zone=zone_a),
        "supervisor_otra": factories.create_user("supervisor", zone=zone_b),
        "director": factories.create_user("director", school=school),
        "director_misma_zona": factories.create_user("director", school=sibling),
        "director_otra_zona": factories.create_user("director", school=far),
        "docente": factories.create_user("docente", school=school),
        "asesor_asignado": factories.create_user("asesor"),
        "asesor_no_asignado": factories.create_user("asesor"),
    }
    people["asesor_asignado"].advised_schools.append(school)
    people["asesor_no_asignado"].advised_zones.append(zone_b)
    _db.session.commit()
    return SimpleNamespace(
        zone_a=zone_a, zone_b=zone_b, school=school, sibling=sibling, far=far, people=people
    )


@pytest.fixture
def categories(db):
    """Two categories of the taxonomy."""
    first = factories.get_category("pensamiento-matematico")
    first.name = "Pensamiento matemático"
    second = factories.get_category("lectura-escritura")
    second.name = "Lectura y escritura"
    _db.session.commit()
    return first, second


def practice_data(**overrides) -> dict:
    """A complete, valid ``data`` dict for create_practice."""
    data = {
        "title": "Matemáticas en la cocina",
        "summary": "Los alumnos miden ingredientes y resuelven problemas con fracciones.",
        "steps": "1. Elegir una receta.\n2. Medir con tazas.\n3. Registrar resultados.",
        "level": "primaria",
        "grades": ["4°", "5°"],
        "results": "Mejoró la comprensión de fracciones.",
        "visibility": "zona",
        "categories": ["pensamiento-matematico"],
        "resources": [
            {"description": "Tazas medidoras y recetas", "criterion": "materiales"},
            {"description": "", "criterion": ""},
        ],
        "links": [{"url": "https://www.gob.mx/sep", "label": "SEP"}, {"url": "", "label": ""}],
    }
    data.update(overrides)
    return data
