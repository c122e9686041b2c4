"""Fixtures of the problems tests: the real taxonomy, and a valid problem as a service expects it."""

from __future__ import annotations

import pytest

from app.problems.taxonomy import sync_categories


@pytest.fixture
def taxonomy(db):
    """The categories of app/data/taxonomia_problematicas.csv, committed."""
    sync_categories()
    db.session.commit()


@pytest.fixture
def valid_data():
    """A complete, valid ``data`` dict for a primaria; keyword arguments override keys."""

    def _data(**overrides):
        data = {
            "title": "Bajo logro en resolución de problemas",
            "description": "Los alumnos de 4° a 6° no plantean ni resuelven problemas de varias operaciones.",
            "grades": ["4°", "5°", "6°"],
            "causes": "Se privilegia el cálculo mecánico.",
            "actions_tried": "Rincón de matemáticas.",
            "results": "Mejoró el cálculo, no la resolución.",
            "status": "abierta",
            "school_year": "2025-2026",
            "categories": [
                {"code": "amb-aprovechamiento", "priority": "alta"},
                {"code": "pensamiento-matematico", "priority": "alta"},
                {"code": "lectura-escritura", "priority": "media"},
            ],
        }
        data.update(overrides)
        return data

    return _data
