"""Alembic environment for the store, run from code by ``leaktrace.store.db``.

Online runs use the engine that ``db.alembic_config`` put in ``config.attributes``; offline runs
(``alembic upgrade --sql``) use the ``sqlalchemy.url`` option.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from leaktrace.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online(engine: Engine) -> None:
    with engine.connect() as connection:
        # Batch mode: SQLite can only alter a table by copying it; Alembic does that for us.
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    run_offline()
else:
    engine = config.attributes.get("engine")
    if not isinstance(engine, Engine):
        raise RuntimeError("run the store's migrations through leaktrace.store.db.upgrade()")
    run_online(engine)
