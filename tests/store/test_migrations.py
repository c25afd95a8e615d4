"""The packaged Alembic migrations: they build the schema from nothing and match the models."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from leaktrace.store import Store
from leaktrace.store.db import MIGRATIONS, alembic_config, create_store_engine, downgrade, upgrade
from leaktrace.store.models import Base
from tests.store.backends import BACKENDS, backend_url

TABLES = {"scans", "findings", "fingerprints"}


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    for url in backend_url(request.param, tmp_path):
        (tmp_path / "store").mkdir(exist_ok=True)
        made = create_store_engine(url)
        try:
            yield made
        finally:
            made.dispose()


def head() -> str:
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert revision is not None
    return revision


def current(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_migrations_are_packaged_with_one_head() -> None:
    assert (MIGRATIONS / "env.py").is_file()
    assert (MIGRATIONS / "script.py.mako").is_file()
    assert (MIGRATIONS / "versions" / "0001_initial.py").is_file()
    assert ScriptDirectory.from_config(alembic_config()).get_heads() == ["0006"]


def test_upgrade_from_empty_to_head(engine: Engine) -> None:
    assert not TABLES & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES
    assert current(engine) == head()


def test_models_and_migrations_agree(engine: Engine) -> None:
    # The `alembic check` of this project: a model change without a migration fails here.
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_downgrade_to_base_and_up_again(engine: Engine) -> None:
    upgrade(engine)
    downgrade(engine, "base")
    assert not TABLES & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert current(engine) == head()


def test_store_open_upgrades_an_empty_database(engine: Engine) -> None:
    with Store.open(engine.url.render_as_string(hide_password=False)) as store:
        assert store.latest_scan_id() is None
    assert current(engine) == head()


def test_offline_sql_can_be_generated() -> None:
    # `alembic upgrade head --sql`: what a DBA can review and apply by hand.
    buffer = io.StringIO()
    config = alembic_config()
    config.output_buffer = buffer
    config.set_main_option("sqlalchemy.url", "postgresql://")
    command.upgrade(config, "head", sql=True)
    sql = buffer.getvalue()
    assert "CREATE TABLE scans" in sql
    assert "CREATE TABLE fingerprints" in sql
