"""A practice's evidence files (images, PDF): stored by content type under random names, removed from
disk only once the removal is committed (app.transactions).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from app import permissions, uploads
from app.extensions import db
from app.practices.limits import (
    CAPTION_MAX,
)
from app.practices.models import (
    Evidence,
    Practice,
)
from app.practices.search import (  # noqa: F401
    COUNT_LIMIT,
    RANK_WINDOW,
    TextSearch,
    category_tag,
    query_terms,
    text_search,
)
from app.transactions import on_commit, on_rollback
from app.validation import PermissionDenied, ValidationError


def evidence_folder() -> Path:
    """The folder evidence files are stored in (created on first use)."""
    return uploads.upload_folder("evidence")


def evidence_path(evidence: Evidence) -> Path:
    """Where an evidence file lives on disk."""
    return evidence_folder() / evidence.stored_name


def add_evidence(practice: Practice, file_storage, *, actor, caption: str | None = None) -> Evidence:
    """Store an uploaded image (JPEG, PNG, WebP) or PDF as evidence of a practice."""
    if not permissions.can_edit_practice(actor, practice):
        raise PermissionDenied(_("No puedes agregar evidencias a esta práctica."))
    caption = (caption or "").strip() or None
    if caption and len(caption) > CAPTION_MAX:
        raise ValidationError(
            {
                "caption": _(
                    "La descripción admite máximo %(CAPTION_MAX)s caracteres.", CAPTION_MAX=CAPTION_MAX
                )
            }
        )
    stored = uploads.store_evidence(
        file_storage, evidence_folder(), max_bytes=current_app.config["MAX_EVIDENCE_BYTES"]
    )
    on_rollback(partial(stored.path.unlink, missing_ok=True))  # the evidence's row may not be kept
    evidence = Evidence(
        practice=practice,
        original_name=stored.display_name,
        stored_name=stored.stored_name,
        mime_type=stored.mime_type,
        size=stored.size,
        caption=caption,
        uploaded_by_id=getattr(actor, "id", None),
    )
    db.session.add(evidence)
    db.session.flush()
    uploads.thumbnail_after_commit(stored)  # made by a job, never by a page
    return evidence


def remove_evidence(evidence: Evidence, *, actor) -> None:
    """Delete an evidence record; its file is deleted once the deletion is committed."""
    if not permissions.can_edit_practice(actor, evidence.practice):
        raise PermissionDenied(_("No puedes quitar evidencias de esta práctica."))
    on_commit(
        partial(uploads.discard, evidence_path(evidence))
    )  # with its thumbnail, once the deletion is kept
    db.session.delete(evidence)
    db.session.flush()
