"""Issued documents: recipient-marked copies, their code's key and every recipient's code word.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "issued_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("media_type", sa.String(length=128), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("collusion", sa.Integer(), nullable=False),
        sa.Column("key", sa.LargeBinary(), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("slot_count", sa.Integer(), nullable=False),
        sa.Column("fingerprints", sa.LargeBinary(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_documents")),
    )
    op.create_index(
        op.f("ix_issued_documents_sha256"), "issued_documents", ["sha256"], unique=False
    )
    op.create_table(
        "issued_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("code", sa.LargeBinary(), nullable=False),
        sa.Column("copy_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["issued_documents.id"],
            name=op.f("fk_issued_recipients_document_id_issued_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_recipients")),
        sa.UniqueConstraint("document_id", "number", name="uq_issued_recipients_number"),
        sa.UniqueConstraint("document_id", "recipient", name="uq_issued_recipients_recipient"),
    )
    op.create_index(
        op.f("ix_issued_recipients_document_id"),
        "issued_recipients",
        ["document_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_issued_recipients_copy_sha256"),
        "issued_recipients",
        ["copy_sha256"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("issued_recipients")
    op.drop_table("issued_documents")
