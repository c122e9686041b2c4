"""Communities of practice (comunidades de práctica): schools and people of any zone gathered around
a problem category or theme, with an asynchronous board (posts tied to a problem, a practice or a
relato, replies, *me sirvió*, pinned resources), members who join, leave and follow, and leaders who
moderate; every moderation is recorded."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.catalogue.models import School
from app.extensions import db
from app.goodpractices.models import Narrative
from app.practices.models import Practice
from app.problems.models import Category, Problem
from app.utils import utcnow

NAME_MAX = 120
DESCRIPTION_MAX = 2000
POST_MAX = 3000
REASON_MAX = 300
MEMBER_ROLES = {"miembro": _l("Miembro"), "lider": _l("Líder")}

community_categories = Table(
    "community_categories",
    db.metadata,
    Column("community_id", ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True),
)


def community_path(community: Community) -> str:
    """The community's page, as a path (notices and e-mails are built outside a request)."""
    return f"/comunidades/{community.id}"


class Community(db.Model):
    """A community of practice around one or more problem categories."""

    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    description: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    categories: Mapped[list[Category]] = relationship(secondary=community_categories, order_by=Category.name)
    created_by: Mapped[User | None] = relationship()
    members: Mapped[list[CommunityMember]] = relationship(
        back_populates="community", cascade="all, delete-orphan", order_by="CommunityMember.id"
    )

    def __repr__(self) -> str:
        return f"<Community {self.id} {self.name!r}>"


class CommunityMember(db.Model):
    """A person in a community, with the school they belonged to when joining; leaders moderate."""

    __tablename__ = "community_members"
    __table_args__ = (UniqueConstraint("community_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    role: Mapped[str] = mapped_column(String(20), default="miembro")
    is_following: Mapped[bool] = mapped_column(Boolean, default=True)
    # A daily e-mail with the day's posts of the community (``flask communities digest``), opt-in.
    wants_digest: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    community: Mapped[Community] = relationship(back_populates="members")
    user: Mapped[User] = relationship()
    school: Mapped[School | None] = relationship()

    @property
    def is_leader(self) -> bool:
        return self.role == "lider"

    def __repr__(self) -> str:
        return f"<CommunityMember community={self.community_id} user={self.user_id} {self.role}>"


class CommunityPost(db.Model):
    """A post on the board (or a reply to one), tied to a problem, a practice or a relato."""

    __tablename__ = "community_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_posts.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    body: Mapped[str] = mapped_column(Text)
    problem_id: Mapped[int | None] = mapped_column(ForeignKey("problems.id", ondelete="SET NULL"))
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("practices.id", ondelete="SET NULL"))
    narrative_id: Mapped[int | None] = mapped_column(ForeignKey("narratives.id", ondelete="SET NULL"))
    is_pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    # An image or PDF of evidence, checked and stored as the practices' evidence is (app.uploads).
    evidence_stored_name: Mapped[str | None] = mapped_column(String(100))
    evidence_name: Mapped[str | None] = mapped_column(String(255))
    evidence_mime: Mapped[str | None] = mapped_column(String(50))
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hidden_reason: Mapped[str | None] = mapped_column(String(REASON_MAX))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author: Mapped[User | None] = relationship()
    school: Mapped[School | None] = relationship()
    problem: Mapped[Problem | None] = relationship()
    practice: Mapped[Practice | None] = relationship()
    narrative: Mapped[Narrative | None] = relationship()
    replies: Mapped[list[CommunityPost]] = relationship(
        order_by="CommunityPost.id", cascade="all, delete-orphan"
    )
    reactions: Mapped[list[PostReaction]] = relationship(cascade="all, delete-orphan")

    @property
    def evidence_is_image(self) -> bool:
        return bool(self.evidence_mime and self.evidence_mime.startswith("image/"))

    def __repr__(self) -> str:
        return f"<CommunityPost {self.id} community={self.community_id}>"


class PostReaction(db.Model):
    """*Me sirvió*: one person found a post useful (once)."""

    __tablename__ = "community_post_reactions"
    __table_args__ = (UniqueConstraint("post_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("community_posts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<PostReaction post={self.post_id} user={self.user_id}>"


class ModerationRecord(db.Model):
    """What a leader did (hide a post, pin it, remove a member, name a leader), by whom and why."""

    __tablename__ = "community_moderation"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("community_posts.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(String(REASON_MAX))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])

    def __repr__(self) -> str:
        return f"<ModerationRecord {self.action} community={self.community_id}>"
