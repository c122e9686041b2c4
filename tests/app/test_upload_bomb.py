"""A small file that declares a huge image (a decompression bomb) is refused from its header."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from app import uploads
from app.validation import ValidationError


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG", optimize=True)  # 1 bit a pixel: a tiny file
    return buffer.getvalue()


def test_a_13000_by_13000_png_is_refused_and_nothing_is_written(app, tmp_path):
    bomb = _png(13000, 13000)
    assert len(bomb) < 1_000_000
    with app.app_context(), pytest.raises(ValidationError) as refused:
        uploads.store_evidence(FileStorage(io.BytesIO(bomb), "foto.png"), tmp_path, max_bytes=10_000_000)
    assert "13000 × 13000" in refused.value.errors["file"] and "megapíxeles" in refused.value.errors["file"]
    assert list(tmp_path.iterdir()) == []


def test_an_ordinary_photo_is_kept(app, tmp_path):
    with app.app_context():
        stored = uploads.store_evidence(
            FileStorage(io.BytesIO(_png(4000, 3000)), "foto.png"), tmp_path, max_bytes=10_000_000
        )
    assert stored.mime_type == "image/png" and stored.path.is_file()
