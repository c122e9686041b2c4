"""The good-practice cycle (issue 12): an adoption keeps what its school meant to adapt (``notes``)
apart from what it saw when applying it (``outcome_notes``); a recognition keeps the role in which it
was made (``recognised_as``); relatos get the folded text the relatos index searches
(``search_text``), filled here for those already written.

Revision ID: c0ffee0012b1
Revises: c0ffee0016a3
Create Date: 2026-12-05 09:00:00
"""
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "c0ffee0012b1"
down_revision = "c0ffee0016a3"
branch_labels = None
depends_on = None

SECTIONS = ("title", "faced", "tried", "happened", "learned")


def _fold(text):  # app.utils.fold (migrations do not import the app)
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def upgrade():
    op.add_column("adoptions", sa.Column("outcome_notes", sa.Text(), nullable=True))
    op.add_column("recognitions", sa.Column("recognised_as", sa.String(length=20), nullable=True))
    op.add_column("narratives", sa.Column("search_text", sa.Text(), server_default="", nullable=False))
    bind = op.get_bind()
    # Who recognised a practice before this column: their role now, the best there is.
    bind.execute(sa.text(
        "UPDATE recognitions SET recognised_as = "
        "(SELECT users.role FROM users WHERE users.id = recognitions.recognised_by_id)"))
    rows = bind.execute(sa.text(
        "SELECT id, title, faced, tried, happened, learned FROM narratives")).all()
    for row in rows:
        text = " ".join(_fold(getattr(row, name)) for name in SECTIONS)
        bind.execute(sa.text("UPDATE narratives SET search_text = :text WHERE id = :id"),
                     {"text": text, "id": row.id})


def downgrade():
    with op.batch_alter_table("narratives") as batch_op:
        batch_op.drop_column("search_text")
    with op.batch_alter_table("recognitions") as batch_op:
        batch_op.drop_column("recognised_as")
    with op.batch_alter_table("adoptions") as batch_op:
        batch_op.drop_column("outcome_notes")
