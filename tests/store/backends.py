"""The database backends store tests run against: SQLite always, PostgreSQL when configured.

PostgreSQL runs when ``LEAKTRACE_TEST_PG_URL`` is set (``scripts/start-postgres.sh`` prints one);
each test gets a schema of its own, dropped afterwards. Without the URL the PostgreSQL cases are
skipped, unless ``LEAKTRACE_REQUIRE_PG=1`` (as in CI), where they fail instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

PG_URL_ENV = "LEAKTRACE_TEST_PG_URL"
REQUIRE_PG_ENV = "LEAKTRACE_REQUIRE_PG"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def sqlite_url(folder: Path) -> str:
    # A folder that does not exist yet: Store.open must create it.
    return f"sqlite:///{folder / 'store' / 'leaktrace.db'}"


def postgres_base_url() -> str:
    url = os.environ.get(PG_URL_ENV)
    if url:
        return url
    message = f"{PG_URL_ENV} is not set (see scripts/start-postgres.sh)"
    if os.environ.get(REQUIRE_PG_ENV) == "1":
        pytest.fail(f"{REQUIRE_PG_ENV}=1 but {message}")
    pytest.skip(message)


def postgres_schema_url() -> Iterator[str]:
    """A URL whose connections work in a fresh schema; the schema is dropped afterwards."""
    base = make_url(postgres_base_url())
    schema = f"lt_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        scoped = base.update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def backend_url(backend: str, folder: Path) -> Iterator[str]:
    """Fixture body: a fresh, empty database of ``backend`` for one test."""
    if backend == "sqlite":
        yield sqlite_url(folder)
    else:
        yield from postgres_schema_url()
