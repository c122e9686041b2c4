"""Contact requests between schools (issue 12): a director writes to another school's directors
about a problem or a practice, the replies of both sides, and the proposal of an encounter between
the two schools to both zones' supervisors.

Revision ID: c0ffee0012c1
Revises: c0ffee0016b1
Create Date: 2026-12-05 16:35:53
"""

import sqlalchemy as sa
from alembic import op

revision = "c0ffee0012c1"
down_revision = "c0ffee0016b1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "contact_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("sender_school_id", sa.Integer(), nullable=False),
        sa.Column("recipient_school_id", sa.Integer(), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=True),
        sa.Column("practice_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("encounter_proposed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("encounter_proposed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["encounter_proposed_by_id"],
            ["users.id"],
            name=op.f("fk_contact_requests_encounter_proposed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practices.id"],
            name=op.f("fk_contact_requests_practice_id_practices"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["problem_id"],
            ["problems.id"],
            name=op.f("fk_contact_requests_problem_id_problems"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_school_id"],
            ["schools.id"],
            name=op.f("fk_contact_requests_recipient_school_id_schools"),
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["users.id"], name=op.f("fk_contact_requests_sender_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["sender_school_id"], ["schools.id"], name=op.f("fk_contact_requests_sender_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_requests")),
    )
    with op.batch_alter_table("contact_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_requests_recipient_school_id"), ["recipient_school_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_contact_requests_sender_id"), ["sender_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_contact_requests_sender_school_id"), ["sender_school_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_contact_requests_status"), ["status"], unique=False)

    op.create_table(
        "contact_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_contact_messages_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["contact_requests.id"],
            name=op.f("fk_contact_messages_request_id_contact_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_contact_messages_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_messages")),
    )
    with op.batch_alter_table("contact_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_messages_request_id"), ["request_id"], unique=False)


def downgrade():
    with op.batch_alter_table("contact_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_messages_request_id"))

    op.drop_table("contact_messages")
    with op.batch_alter_table("contact_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_requests_status"))
        batch_op.drop_index(batch_op.f("ix_contact_requests_sender_school_id"))
        batch_op.drop_index(batch_op.f("ix_contact_requests_sender_id"))
        batch_op.drop_index(batch_op.f("ix_contact_requests_recipient_school_id"))

    op.drop_table("contact_requests")
