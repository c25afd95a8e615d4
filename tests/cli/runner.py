"""`leaktrace --home HOME --db URL ...` in-process, through click's test runner."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from leaktrace.cli.main import _register_commands, cli


class RunCli:
    """Runs commands against one data folder and one store."""

    def __init__(self, home: Path, url: str) -> None:
        _register_commands()
        self.home = home
        self.url = url

    def __call__(self, *args: str) -> Result:
        argv = ["--home", str(self.home), "--db", self.url, *args]
        return CliRunner().invoke(cli, argv, catch_exceptions=False)
