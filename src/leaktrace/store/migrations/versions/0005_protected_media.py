"""Protected media: registered photos and videos, as perceptual hashes and metadata.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 06:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "protected_media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("media_type", sa.String(length=128), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("frame_count", sa.Integer(), nullable=False),
        sa.Column("feature_count", sa.Integer(), nullable=False),
        sa.Column("pdq", sa.String(length=64), nullable=False),
        sa.Column("camera_serial", sa.String(length=128), nullable=True),
        sa.Column("hashes", sa.LargeBinary(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('image', 'video')", name=op.f("ck_protected_media_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protected_media")),
        sa.UniqueConstraint("sha256", name=op.f("uq_protected_media_sha256")),
    )
    op.create_index(op.f("ix_protected_media_camera_serial"), "protected_media", ["camera_serial"])


def downgrade() -> None:
    op.drop_index(op.f("ix_protected_media_camera_serial"), table_name="protected_media")
    op.drop_table("protected_media")
