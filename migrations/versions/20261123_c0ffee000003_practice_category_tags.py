"""Practices: each category's word (``zzcat`` + its code) in ``search_text``, so that the full-text
index answers the library's category filter (``app.practices.search.category_tag``). The practices
already recorded get theirs here; the application adds them from now on.

Revision ID: c0ffee000003
Revises: c0ffee000002
Create Date: 2026-11-23 00:30:00
"""
import re

import sqlalchemy as sa
from alembic import op

revision = "c0ffee000003"
down_revision = "c0ffee000002"
branch_labels = None
depends_on = None

PREFIX = "zzcat"  # app.practices.search.CATEGORY_TAG_PREFIX (migrations do not import the app)


def _tag(code: str) -> str:
    return PREFIX + re.sub(r"[^a-z0-9]", "", code.lower())


def _without_tags(text: str) -> str:
    return " ".join(word for word in text.split() if not word.startswith(PREFIX))


def upgrade():
    bind = op.get_bind()
    tags: dict[int, list[str]] = {}
    for practice_id, code in bind.execute(sa.text(
            "SELECT pc.practice_id, c.code FROM practice_categories pc "
            "JOIN categories c ON c.id = pc.category_id ORDER BY pc.practice_id, c.code")):
        tags.setdefault(practice_id, []).append(_tag(code))
    for practice_id, words in tags.items():
        bind.execute(sa.text("UPDATE practices SET search_text = search_text || :words WHERE id = :id"),
                     {"words": " " + " ".join(words), "id": practice_id})


def downgrade():
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, search_text FROM practices WHERE search_text LIKE :p"),
                        {"p": f"%{PREFIX}%"}).all()
    for practice_id, text in rows:
        bind.execute(sa.text("UPDATE practices SET search_text = :t WHERE id = :id"),
                     {"t": _without_tags(text), "id": practice_id})
