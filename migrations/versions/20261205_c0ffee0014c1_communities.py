"""Communities of practice (issue 14): communities around problem categories, their members (with
the leader role and following), the board's posts and replies tied to a problem, practice or relato,
*me sirvió* reactions, and the record of every moderation.

Revision ID: c0ffee0014c1
Revises: c0ffee0013a1
Create Date: 2026-12-05 17:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c0ffee0014c1"
down_revision = "c0ffee0013a1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "communities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_communities_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communities")),
    )
    op.create_table(
        "community_categories",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name=op.f("fk_community_categories_category_id_categories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_community_categories_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("community_id", "category_id", name=op.f("pk_community_categories")),
    )
    op.create_table(
        "community_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("is_following", sa.Boolean(), nullable=False),
        sa.Column("wants_digest", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_community_members_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_community_members_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_community_members_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_members")),
        sa.UniqueConstraint("community_id", "user_id", name=op.f("uq_community_members_community_id")),
    )
    with op.batch_alter_table("community_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_community_members_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_community_members_user_id"), ["user_id"], unique=False)

    op.create_table(
        "community_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=True),
        sa.Column("practice_id", sa.Integer(), nullable=True),
        sa.Column("narrative_id", sa.Integer(), nullable=True),
        sa.Column("is_pinned", sa.Boolean(), nullable=False),
        sa.Column("evidence_stored_name", sa.String(length=100), nullable=True),
        sa.Column("evidence_name", sa.String(length=255), nullable=True),
        sa.Column("evidence_mime", sa.String(length=50), nullable=True),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_reason", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_community_posts_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_community_posts_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["narrative_id"],
            ["narratives.id"],
            name=op.f("fk_community_posts_narrative_id_narratives"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["community_posts.id"],
            name=op.f("fk_community_posts_parent_id_community_posts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practices.id"],
            name=op.f("fk_community_posts_practice_id_practices"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["problem_id"],
            ["problems.id"],
            name=op.f("fk_community_posts_problem_id_problems"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_community_posts_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_posts")),
    )
    with op.batch_alter_table("community_posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_community_posts_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_community_posts_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "community_moderation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_community_moderation_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_community_moderation_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["community_posts.id"],
            name=op.f("fk_community_moderation_post_id_community_posts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_community_moderation_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_moderation")),
    )
    with op.batch_alter_table("community_moderation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_community_moderation_community_id"), ["community_id"], unique=False
        )

    op.create_table(
        "community_post_reactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["community_posts.id"],
            name=op.f("fk_community_post_reactions_post_id_community_posts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_community_post_reactions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_post_reactions")),
        sa.UniqueConstraint("post_id", "user_id", name=op.f("uq_community_post_reactions_post_id")),
    )
    with op.batch_alter_table("community_post_reactions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_community_post_reactions_post_id"), ["post_id"], unique=False)


def downgrade():
    with op.batch_alter_table("community_post_reactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_post_reactions_post_id"))

    op.drop_table("community_post_reactions")
    with op.batch_alter_table("community_moderation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_moderation_community_id"))

    op.drop_table("community_moderation")
    with op.batch_alter_table("community_posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_posts_parent_id"))
        batch_op.drop_index(batch_op.f("ix_community_posts_community_id"))

    op.drop_table("community_posts")
    with op.batch_alter_table("community_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_members_user_id"))
        batch_op.drop_index(batch_op.f("ix_community_members_community_id"))

    op.drop_table("community_members")
    op.drop_table("community_categories")
    op.drop_table("communities")
