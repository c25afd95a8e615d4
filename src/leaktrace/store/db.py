"""Engines and schema migrations for the store.

The Alembic environment ships inside the package (``store/migrations``) and is driven from
code, so an installed LeakTrace upgrades its database without an ``alembic.ini`` or a checkout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

MIGRATIONS = Path(__file__).with_name("migrations")


def safe_url(url: str | URL) -> str:
    """The URL as it may be shown to a person: never with its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL: show nothing of it that could be a secret
        return "<invalid database URL>"


def prepare_sqlite_folder(url: URL) -> None:
    """Create the folder a SQLite file will live in; SQLite would only say 'unable to open'."""
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return
    if database.startswith("file:"):  # a URI filename: leave it to SQLite
        return
    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def create_store_engine(url: str | URL) -> Engine:
    """An engine for the store's URL, with the per-backend settings the store relies on."""
    parsed = make_url(url)
    engine = create_engine(parsed)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets a dashboard read while a scan writes; SQLite leaves foreign keys off by default.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic configuration for the packaged migrations; ``engine`` is used when given."""
    config = Config()
    # Config values go through ConfigParser interpolation: a "%" in the path must be doubled.
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (the newest by default)."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to ``revision`` (``"base"`` drops every table)."""
    command.downgrade(alembic_config(engine), revision)
