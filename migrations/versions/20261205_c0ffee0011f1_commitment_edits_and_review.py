"""Room commitments are editable until the close, each edit kept (``commitment_edits``, and
``commitments.edited_at``); a previous commitment's status set in the next room's review is stored
once by its client id and names the encounter that reviewed it (issue 11).

Revision ID: c0ffee0011f1
Revises: c0ffee0011e1
Create Date: 2026-12-05 19:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c0ffee0011f1"
down_revision = "c0ffee0011e1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "commitment_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("edited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_commitment_edits_commitment_id_commitments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["edited_by_id"], ["users.id"], name=op.f("fk_commitment_edits_edited_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_edits")),
        sa.UniqueConstraint("client_id", name=op.f("uq_commitment_edits_client_id")),
    )
    with op.batch_alter_table("commitment_edits") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_edits_commitment_id"), ["commitment_id"], unique=False
        )
    with op.batch_alter_table("commitments") as batch_op:
        batch_op.add_column(sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("commitment_notes") as batch_op:
        batch_op.add_column(sa.Column("client_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("encounter_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_commitment_notes_client_id"), ["client_id"])
        batch_op.create_index(batch_op.f("ix_commitment_notes_encounter_id"), ["encounter_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_commitment_notes_encounter_id_encounters"),
            "encounters",
            ["encounter_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("commitment_notes") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_commitment_notes_encounter_id_encounters"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_commitment_notes_encounter_id"))
        batch_op.drop_constraint(batch_op.f("uq_commitment_notes_client_id"), type_="unique")
        batch_op.drop_column("encounter_id")
        batch_op.drop_column("client_id")
    with op.batch_alter_table("commitments") as batch_op:
        batch_op.drop_column("edited_at")
    with op.batch_alter_table("commitment_edits") as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_edits_commitment_id"))
    op.drop_table("commitment_edits")
