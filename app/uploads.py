"""Uploads of every area (evidence, commitment evidence, presentations): images (JPEG, PNG, WebP) and PDF,
recognised by their content, never their name.

A file is read up to the size limit, its type detected from its first bytes (``filetype``), a PDF
is also opened with ``pypdf``, and it is written under a random name with the extension of the
detected type. The name the person's computer gave it is kept only as display text.

An image's thumbnail is made once, after the upload is committed, by a job (``app.jobs``: the RQ
worker with Redis): decoding a photo takes a gevent worker away from every live room it serves, so
no page ever decodes one. Pages serve the stored thumbnail, or the original until the job has run.

Uploaded PDFs are never shown inline by the browser's own viewer, where a PDF's scripts and forms
would run on our origin: they are downloads (``INLINE_TYPES`` holds images only), sandboxed by
``app.security_headers``; pages draw them with pdf.js instead.
"""

from __future__ import annotations

import io
import logging
import os
import secrets
import warnings
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import safe_join
from werkzeug.utils import secure_filename

from app import jobs
from app.transactions import on_commit
from app.validation import ValidationError

log = logging.getLogger(__name__)

# Detected MIME type -> extension of the stored file.
ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}
#: Uploaded types a browser may show inline: images. A PDF is a download (its JavaScript and forms
#: would run in the browser's PDF viewer on our origin); pages draw it with pdf.js.
INLINE_TYPES = frozenset(t for t in ALLOWED_TYPES if t.startswith("image/"))
#: The longest sides of an image's thumbnail (library cards, a practice's page).
THUMBNAIL_SIZE = (480, 480)
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


# --- thumbnails, made by a job after the upload is committed -------------------------------------------


def thumbnail_path(path: Path) -> Path:
    """Where the JPEG thumbnail of the stored image ``path`` is kept: a ``thumbs`` folder beside it."""
    return path.parent / "thumbs" / f"{path.stem}.jpg"


def thumbnail_after_commit(stored: StoredFile) -> None:
    """Have the thumbnail of an uploaded image made once the upload is committed: by the job worker
    when Redis is configured, else in this process right after the commit. Not for PDFs."""
    if not stored.mime_type.startswith("image/"):
        return
    relative = stored.path.relative_to(Path(current_app.config["UPLOAD_FOLDER"])).as_posix()
    on_commit(partial(jobs.enqueue, make_thumbnail, relative))


def discard(path: Path) -> None:
    """Delete a stored file and its thumbnail, if any (after the deletion of its row is committed)."""
    path.unlink(missing_ok=True)
    thumbnail_path(path).unlink(missing_ok=True)


def make_thumbnail(relative: str) -> bool:
    """The job: write the thumbnail of the image ``relative`` (to UPLOAD_FOLDER). True when it exists.

    Runs in the job worker (or right after the upload's commit without Redis), never for a page. An
    image over MAX_IMAGE_PIXELS (stored before uploads refused them) or unreadable gets none.
    """
    from PIL import Image, ImageOps

    found = safe_join(current_app.config["UPLOAD_FOLDER"], relative)
    if found is None:
        return False
    source = Path(found)
    target = thumbnail_path(source)
    if target.is_file():
        return True
    if not source.is_file():
        return False
    try:
        with Image.open(source) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                return False
            image.draft("RGB", THUMBNAIL_SIZE)  # JPEG: decode at a reduced size, much faster
            image = ImageOps.exif_transpose(image)
            image.thumbnail(THUMBNAIL_SIZE)
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, (255, 255, 255))
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            target.parent.mkdir(parents=True, exist_ok=True)
            partial_file = target.with_suffix(f".{os.getpid()}.tmp")
            image.save(partial_file, "JPEG", quality=80, optimize=True)
            os.replace(partial_file, target)  # atomic: a concurrent reader never sees half a file
    except Exception:  # Pillow raises many kinds of errors for broken files; the page shows the original
        log.warning("No se pudo hacer la miniatura de %s", relative, exc_info=True)
        return False
    return True


def missing_thumbnails(name: str) -> list[str]:
    """The images of the upload folder ``name`` that have no thumbnail yet (stored before thumbnails
    were made at upload), as the paths ``make_thumbnail`` takes."""
    extensions = {f".{ext}" for mime, ext in ALLOWED_TYPES.items() if mime.startswith("image/")}
    return sorted(
        f"{name}/{path.name}"
        for path in upload_folder(name).iterdir()
        if path.suffix in extensions and path.is_file() and not thumbnail_path(path).is_file()
    )
