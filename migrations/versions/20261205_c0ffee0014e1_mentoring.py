"""Mentoring (issue 14): offers to mentor on problem categories (with capacity and a note), requests
for a mentor on a problem or a category, the pairs a network leader confirmed (acceptance of both
sides, plan, closing with its outcome) and the log of their sessions.

Revision ID: c0ffee0014e1
Revises: c0ffee0014c1
Create Date: 2026-12-05 16:56:17
"""

import sqlalchemy as sa
from alembic import op

revision = "c0ffee0014e1"
down_revision = "c0ffee0014c1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mentor_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_mentor_offers_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mentor_offers_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_offers")),
        sa.UniqueConstraint("user_id", name=op.f("uq_mentor_offers_user_id")),
    )
    with op.batch_alter_table("mentor_offers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentor_offers_is_active"), ["is_active"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentor_offers_school_id"), ["school_id"], unique=False)

    op.create_table(
        "mentor_offer_categories",
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"], ["categories.id"], name=op.f("fk_mentor_offer_categories_category_id_categories")
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["mentor_offers.id"],
            name=op.f("fk_mentor_offer_categories_offer_id_mentor_offers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("offer_id", "category_id", name=op.f("pk_mentor_offer_categories")),
    )
    with op.batch_alter_table("mentor_offer_categories", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mentor_offer_categories_category_id"), ["category_id"], unique=False
        )

    op.create_table(
        "mentoring_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"], ["categories.id"], name=op.f("fk_mentoring_requests_category_id_categories")
        ),
        sa.ForeignKeyConstraint(
            ["problem_id"],
            ["problems.id"],
            name=op.f("fk_mentoring_requests_problem_id_problems"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["users.id"],
            name=op.f("fk_mentoring_requests_requester_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_mentoring_requests_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_requests")),
    )
    with op.batch_alter_table("mentoring_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mentoring_requests_requester_id"), ["requester_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_mentoring_requests_school_id"), ["school_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentoring_requests_status"), ["status"], unique=False)

    op.create_table(
        "mentoring_pairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mentor_accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mentee_accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("declined_by_id", sa.Integer(), nullable=True),
        sa.Column("goals", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["users.id"],
            name=op.f("fk_mentoring_pairs_closed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"],
            ["users.id"],
            name=op.f("fk_mentoring_pairs_confirmed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["declined_by_id"],
            ["users.id"],
            name=op.f("fk_mentoring_pairs_declined_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["mentor_offers.id"],
            name=op.f("fk_mentoring_pairs_offer_id_mentor_offers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["mentoring_requests.id"],
            name=op.f("fk_mentoring_pairs_request_id_mentoring_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_pairs")),
    )
    with op.batch_alter_table("mentoring_pairs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentoring_pairs_offer_id"), ["offer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentoring_pairs_request_id"), ["request_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentoring_pairs_status"), ["status"], unique=False)

    op.create_table(
        "mentoring_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("done", sa.Text(), nullable=False),
        sa.Column("next_step", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_mentoring_sessions_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["mentoring_pairs.id"],
            name=op.f("fk_mentoring_sessions_pair_id_mentoring_pairs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_sessions")),
    )
    with op.batch_alter_table("mentoring_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentoring_sessions_pair_id"), ["pair_id"], unique=False)


def downgrade():
    with op.batch_alter_table("mentoring_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentoring_sessions_pair_id"))

    op.drop_table("mentoring_sessions")
    with op.batch_alter_table("mentoring_pairs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentoring_pairs_status"))
        batch_op.drop_index(batch_op.f("ix_mentoring_pairs_request_id"))
        batch_op.drop_index(batch_op.f("ix_mentoring_pairs_offer_id"))

    op.drop_table("mentoring_pairs")
    with op.batch_alter_table("mentoring_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentoring_requests_status"))
        batch_op.drop_index(batch_op.f("ix_mentoring_requests_school_id"))
        batch_op.drop_index(batch_op.f("ix_mentoring_requests_requester_id"))

    op.drop_table("mentoring_requests")
    with op.batch_alter_table("mentor_offer_categories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentor_offer_categories_category_id"))

    op.drop_table("mentor_offer_categories")
    with op.batch_alter_table("mentor_offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentor_offers_school_id"))
        batch_op.drop_index(batch_op.f("ix_mentor_offers_is_active"))

    op.drop_table("mentor_offers")
