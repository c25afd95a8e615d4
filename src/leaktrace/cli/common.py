"""Pieces every command group shares: common options, the store, one-line errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from leaktrace.cli.context import AppContext
from leaktrace.core.errors import StoreError
from leaktrace.core.finding import Severity

if TYPE_CHECKING:
    from leaktrace.store import Store

EXIT_ERROR = 2
FORMAT_HELP = {
    "table": "table for people",
    "text": "text for people",
    "jsonl": "jsonl (one JSON object per line) for machines",
    "json": "json for machines",
}
Command = TypeVar("Command", bound=Callable[..., Any])
SEVERITIES = [s.label for s in Severity] + ["never"]


class CommandError(click.ClickException):
    """An operational error of a command: one line on stderr, exit 2."""

    exit_code = EXIT_ERROR

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"leaktrace: {self.format_message()}", err=True, file=file)


def format_option(*choices: str, extra_help: str = "") -> Callable[[Command], Command]:
    """``--format`` with ``choices``, the first being the default."""
    help_text = "; ".join(FORMAT_HELP.get(choice, choice) for choice in choices) + extra_help
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help=help_text + ".",
    )


def fail_on_option(function: Command) -> Command:
    """``--fail-on SEVERITY``, as every command that reports findings has it."""
    return click.option(
        "--fail-on",
        type=click.Choice(SEVERITIES),
        default="low",
        show_default=True,
        help="Exit 1 when a finding at or above this severity is reported "
        "(`never`: always exit 0 unless something broke).",
    )(function)


def recording_options(noun: str) -> Callable[[Command], Command]:
    """``--no-store`` and ``--progress/--no-progress`` for a command that records its work."""

    def decorate(function: Command) -> Command:
        function = click.option(
            "--progress/--no-progress",
            default=None,
            help="Progress bar on stderr. Default: only when stderr is a terminal.",
        )(function)
        return click.option(
            "--no-store", is_flag=True, help=f"Do not record this {noun} in the store."
        )(function)

    return decorate


@contextmanager
def open_store(ctx: click.Context) -> Iterator[Store]:
    """The store named by the global options; store errors become one-line command errors."""
    from leaktrace.store import Store  # here: SQLAlchemy loads only when needed

    app = ctx.find_object(AppContext)
    if app is None:  # invoked without the top-level group (a test calling the group directly)
        app = AppContext.from_options(None, None)
    try:
        with Store.open(app.database_url) as store:
            yield store
    except StoreError as error:
        raise CommandError(str(error)) from None
