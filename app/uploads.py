"""Uploads of every area (evidence, commitment evidence, presentations): images (JPEG, PNG, WebP) and PDF,
recognised by their content, never their name.

A file is read up to the size limit, its type detected from its first bytes (``filetype``), a PDF
is also opened with ``pypdf``, and it is written under a random name with the extension of the
detected type. The name the person's computer gave it is kept only as display text.
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _
from werkzeug.utils import secure_filename

from app.validation import ValidationError

# Detected MIME type -> extension of the stored file.
ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}
INLINE_TYPES = frozenset(ALLOWED_TYPES)
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class StoredFile:
    """A file accepted and written to disk."""

    path: Path
    stored_name: str
    display_name: str
    mime_type: str
    size: int


def upload_folder(name: str) -> Path:
    """The folder of one kind of upload under UPLOAD_FOLDER (created on first use)."""
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def read_limited(stream, max_bytes: int) -> bytes:
    """Read at most ``max_bytes``; refuse a longer stream without reading all of it."""
    buffer = io.BytesIO()
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        buffer.write(chunk)
        if buffer.tell() > max_bytes:
            raise ValidationError(
                {"file": _("El archivo pasa del límite de %(value1)s.", value1=human_size(max_bytes))}
            )
    return buffer.getvalue()


def human_size(size: int) -> str:
    """A size in words for people.

    >>> human_size(10 * 1024 * 1024), human_size(1536)
    ('10 MB', '1.5 KB')
    """
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            text = f"{size:.1f}".rstrip("0").rstrip(".") if unit != "bytes" else str(size)
            return f"{text} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def detect_type(data: bytes) -> str | None:
    """The MIME type of an accepted file, from its content, or None."""
    kind = filetype.guess(data[:8192])
    if kind is None or kind.mime not in ALLOWED_TYPES:
        return None
    if kind.mime == "application/pdf" and not pdf_opens(data):
        return None
    return kind.mime


def pdf_opens(data: bytes) -> bool:
    """True when pypdf can open the document and count its pages."""
    from pypdf import PdfReader

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                return False
            return len(reader.pages) > 0
    except Exception:  # pypdf raises many kinds of errors for broken files
        return False


def display_name(filename: str | None, mime_type: str) -> str:
    """The original name, made safe, for display only."""
    name = secure_filename(filename or "")[:200]
    return name or f"evidencia.{ALLOWED_TYPES[mime_type]}"


#: The most pixels an uploaded image may have: 40 megapixels (a phone photo has 12 to 50). A small file
#: can declare a huge image (a "decompression bomb": 0.7 MB for 13000 x 13000); decoding it would
#: block the process for seconds and take gigabytes, so it is refused from its header alone.
MAX_IMAGE_PIXELS = 40_000_000


def _refuse_huge_image(data: bytes) -> None:
    """Raise ValidationError for an image whose header declares more than MAX_IMAGE_PIXELS."""
    from PIL import Image

    try:
        with warnings.catch_warnings():  # Pillow's own warning: this check answers it
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                width, height = image.size
    except (OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"file": _("La imagen está dañada o es demasiado grande.")}) from None
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(
            {
                "file": _(
                    "La imagen mide %(width)s × %(height)s píxeles; el máximo es %(mp)s megapíxeles. "
                    "Redúcela y vuelve a subirla.",
                    width=width,
                    height=height,
                    mp=MAX_IMAGE_PIXELS // 1_000_000,
                )
            }
        )


def store_evidence(file_storage, folder: Path, *, max_bytes: int) -> StoredFile:
    """Check an uploaded file and write it to ``folder`` under a random name."""
    if file_storage is None or not getattr(file_storage, "filename", None):
        raise ValidationError({"file": _("Elige un archivo.")})
    data = read_limited(file_storage.stream, max_bytes)
    if not data:
        raise ValidationError({"file": _("El archivo está vacío.")})
    head = filetype.guess(data[:8192])
    if head is not None and head.mime == "application/pdf" and not pdf_opens(data):
        raise ValidationError({"file": _("El PDF está dañado o protegido y no se puede abrir.")})
    mime_type = detect_type(data)
    if mime_type is None:
        raise ValidationError({"file": _("Solo se aceptan imágenes JPEG, PNG o WebP y documentos PDF.")})
    if mime_type.startswith("image/"):
        _refuse_huge_image(data)
    stored_name = f"{secrets.token_hex(16)}.{ALLOWED_TYPES[mime_type]}"
    path = folder / stored_name
    with open(path, "xb") as handle:
        handle.write(data)
    return StoredFile(path, stored_name, display_name(file_storage.filename, mime_type), mime_type, len(data))
