"""`leaktrace`: find your organization's protected material wherever it goes.

Exit codes, for every command: 0 nothing at or above --fail-on was found, 1 something was,
2 a usage or operational error (one line on stderr, never a traceback).
"""

from __future__ import annotations

import sys

import click

from leaktrace import __version__
from leaktrace.cli.common import EXIT_ERROR
from leaktrace.cli.context import AppContext
from leaktrace.core.errors import LeakTraceError

EXIT_FOUND = 1


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--home",
    metavar="DIR",
    help="Data folder (holds the store). Default: $LEAKTRACE_HOME or your user data folder.",
)
@click.option(
    "--db",
    "db_url",
    metavar="URL",
    help="SQLAlchemy URL of the store, e.g. postgresql+psycopg://user@host/leaktrace. "
    "Default: $LEAKTRACE_DB or SQLite in the data folder.",
)
@click.version_option(__version__, prog_name="leaktrace")
@click.pass_context
def cli(ctx: click.Context, home: str | None, db_url: str | None) -> None:
    """Find protected material in files, folders, archives, mail and documents.

    \b
    Start with:
      leaktrace demo                     build a sample case and scan it
      leaktrace scan ./outbox            scan a folder (any depth, any container)
      leaktrace scan - < message.eml     scan standard input
      leaktrace findings list            what earlier scans found
      leaktrace protect add secret.docx  find a document again, whole or in part
      leaktrace records add customers.csv --columns name,email,iban
                                         find a table's records, as salted hashes
      leaktrace mark memo.docx --recipients staff.csv --out issued/
                                         one marked copy per recipient
      leaktrace trace leak.txt           who leaked it
      leaktrace serve                    the web dashboard and REST API
      leaktrace rf sweep room.sigmf-meta --allow room.toml
                                         unauthorized transmitters in a radio recording
    """
    ctx.obj = AppContext.from_options(home, db_url)


def _register_commands() -> None:
    # Imported here so that `leaktrace --help` stays fast and a broken optional part
    # cannot stop the others from loading.
    from leaktrace.cli import (
        baseline,
        demo,
        findings,
        mark,
        protect,
        records,
        rf,
        scan,
        serve,
        trace,
    )

    cli.add_command(scan.scan)
    cli.add_command(findings.findings)
    cli.add_command(protect.protect)
    cli.add_command(records.records)
    cli.add_command(baseline.baseline)
    cli.add_command(mark.mark)
    cli.add_command(trace.trace)
    cli.add_command(demo.demo)
    cli.add_command(serve.serve)
    cli.add_command(serve.users)
    cli.add_command(rf.rf)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the command, turning our errors into exit 2 with one line."""
    _register_commands()
    try:
        code = cli.main(args=argv, prog_name="leaktrace", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("leaktrace: interrupted", err=True)
        sys.exit(EXIT_ERROR)
    except click.UsageError as error:
        # One line, not click's three: the message and where to look.
        command = error.ctx.command_path if error.ctx else "leaktrace"
        click.echo(f"leaktrace: {error.format_message()} (see `{command} --help`)", err=True)
        sys.exit(EXIT_ERROR)
    except click.ClickException as error:
        click.echo(f"leaktrace: {error.format_message()}", err=True)
        sys.exit(EXIT_ERROR)
    except LeakTraceError as error:
        click.echo(f"leaktrace: {error}", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(code if isinstance(code, int) else 0)
