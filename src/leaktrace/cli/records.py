"""`leaktrace records`: register tables of sensitive records for exact data match."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from leaktrace.cli.common import CommandError, format_option, open_store
from leaktrace.core.errors import UsageError

_MAX_CSV_BYTES = 2 << 30


@click.group()
def records() -> None:
    """Register sensitive records (a customer table, a payroll export) so that scans report
    when the values of one record appear together.

    Only salted hashes of the chosen columns' values are stored, with each value's record and
    column number; never a value. A scan reports a record when values from at least
    --min-columns of its columns appear within a few lines of each other, one of them found
    in that record only. Values are compared word by word, ignoring case and punctuation:
    `John.Smith@Corp.example` matches `john smith corp example`.

    \b
    Examples:
      leaktrace records add customers.csv --columns name,email,iban
      leaktrace records add staff.csv --columns "full name,ssn,phone" --min-columns 2
      leaktrace records list
      leaktrace records remove 3
    """


@records.command("add", short_help="Register a CSV table's columns as hashed records.")
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(dir_okay=False))
@click.option(
    "--columns",
    required=True,
    metavar="A,B,...",
    help="Comma-separated header names of the columns to register (case-insensitive).",
)
@click.option("--name", metavar="NAME", help="The table's name in findings. Default: file name.")
@click.option(
    "--min-columns",
    type=int,
    metavar="N",
    help="How many columns of one record must appear together. Default: 2 (1 for one column).",
)
@click.pass_context
def add(
    ctx: click.Context, csv_file: str, columns: str, name: str | None, min_columns: int | None
) -> None:
    """Register FILE.csv (a header row, any encoding, comma/semicolon/tab separated).

    Values shorter than 4 characters or longer than 8 words are skipped: they would either
    match everywhere or never match exactly.

    Exit status: 0 registered, 2 usage or operational error (unreadable file, unknown column,
    a name already taken).
    """
    from leaktrace.protect.records import read_csv  # here: numpy loads only when needed

    path = Path(csv_file)
    data = _read(path)
    wanted = [column.strip() for column in columns.split(",") if column.strip()]
    table_name = (name or path.stem).strip()
    if not table_name:
        raise click.UsageError("--name must not be empty", ctx)
    try:
        read = read_csv(data, wanted, name=table_name, min_columns=min_columns)
    except UsageError as error:
        raise click.UsageError(str(error), ctx) from None
    with open_store(ctx) as store:
        set_id = store.add_record_set(read.table, source=str(path.resolve()))
    table = read.table
    click.echo(
        f"added #{set_id} {table.name}: {table.record_count} records, {table.value_count} "
        f"values from {', '.join(table.columns)}; a finding needs {table.min_columns} column(s)"
    )
    if read.skipped_values or read.short_rows:
        click.echo(
            f"  skipped {read.skipped_values} empty, too short or too long values; "
            f"{read.short_rows} rows had fewer cells than the header"
        )


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > _MAX_CSV_BYTES:
            raise CommandError(f"{path}: larger than 2 GiB; split the table")
        return path.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except OSError as error:
        raise CommandError(f"{path}: cannot read: {error.strerror or error}") from None


@records.command("list", short_help="List registered tables.")
@format_option("table", "jsonl")
@click.pass_context
def list_tables(ctx: click.Context, output_format: str) -> None:
    """List registered tables, oldest first (no values: there are none to show)."""
    with open_store(ctx) as store:
        summaries = store.record_sets()
    if output_format == "jsonl":
        for summary in summaries:
            sys.stdout.write(json.dumps(summary.to_dict(), ensure_ascii=False) + "\n")
        return
    if not summaries:
        click.echo("No records registered yet; add a table with `leaktrace records add FILE.csv`.")
        return
    for summary in summaries:
        click.echo(
            f"#{summary.id} {summary.name}: {summary.record_count} records, columns "
            f"{', '.join(summary.columns)} (needs {summary.min_columns}), added "
            f"{summary.added_at:%Y-%m-%d %H:%M} from {summary.source}"
        )


@records.command("remove", short_help="Forget a registered table.")
@click.argument("set_id", metavar="ID", type=int)
@click.pass_context
def remove(ctx: click.Context, set_id: int) -> None:
    """Forget table ID and all its hashes."""
    with open_store(ctx) as store:
        if not store.remove_record_set(set_id):
            raise CommandError(f"no record set #{set_id}")
    click.echo(f"removed #{set_id}")
