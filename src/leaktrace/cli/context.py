"""What every command shares: the data folder, the database URL and the console streams."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

HOME_ENV = "LEAKTRACE_HOME"
DB_ENV = "LEAKTRACE_DB"


def default_home() -> Path:
    return Path(platformdirs.user_data_dir("leaktrace", appauthor=False))


@dataclass
class AppContext:
    """Options given before the command (`leaktrace --home DIR --db URL scan ...`)."""

    home: Path
    db_url: str | None = None

    @classmethod
    def from_options(cls, home: str | None, db_url: str | None) -> AppContext:
        chosen = home or os.environ.get(HOME_ENV)
        return cls(
            home=Path(chosen).expanduser() if chosen else default_home(),
            db_url=db_url or os.environ.get(DB_ENV) or None,
        )

    @property
    def database_url(self) -> str:
        """The store's SQLAlchemy URL: the one given, or SQLite inside the data folder."""
        if self.db_url:
            return self.db_url
        return f"sqlite:///{self.home / 'leaktrace.db'}"
