"""`leaktrace trace`: name the recipient(s) a leaked copy or excerpt came from."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from leaktrace.cli.common import CommandError, format_option, open_store
from leaktrace.core.errors import LeakTraceError, os_error_reason

if TYPE_CHECKING:
    from leaktrace.trace.tracer import TraceResult

EXIT_ACCUSED = 1


@click.command(short_help="Name the recipient(s) a leaked copy came from.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--false-accusation",
    type=click.FloatRange(1e-300, 0.5),
    default=1e-6,
    show_default=True,
    help="The chance, at most, that any innocent recipient is accused.",
)
@format_option("table", "json")
@click.pass_context
def trace(ctx: click.Context, file: Path, false_accusation: float, output_format: str) -> None:
    """Read the marks that survive in FILE and name who leaked it, or say why nobody is named.

    FILE may be a whole copy, an excerpt, a retyped page, a PDF or a screenshot's OCR text
    pasted into a file: any format a scan reads. The issued document is recognized by its
    marks; each recipient gets a score and a p-value (a proven bound on the chance that an
    innocent recipient's copy would look this guilty), and a recipient is accused only when
    the bound over all recipients is below --false-accusation. Otherwise `accused` is empty:
    it never guesses.

    Exit status: 0 nobody accused, 1 someone accused, 2 usage or operational error.

    \b
    Examples:
      leaktrace trace pasted-from-forum.txt
      leaktrace trace leaked.pdf --format json | jq .accused
    """
    from leaktrace.core.registry import Registry
    from leaktrace.trace.leak import leak_text
    from leaktrace.trace.tracer import Tracer

    try:
        data = file.read_bytes()
    except OSError as error:
        raise click.UsageError(f"cannot read {file}: {os_error_reason(error)}", ctx) from None
    try:
        text = leak_text(Registry.from_entry_points(), file.name, data)
        with open_store(ctx) as store:
            tracer = Tracer(store.iter_issued())
        result = tracer.trace(data, text, false_accusation=false_accusation)
    except LeakTraceError as error:
        raise CommandError(str(error)) from None
    if output_format == "json":
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    else:
        _echo(result)
    if result.accused:
        ctx.exit(EXIT_ACCUSED)


def _echo(result: TraceResult) -> None:
    if result.document is None:
        click.echo(f"No issued document recognized: {result.reason}.")
        return
    click.echo(
        f"Issued document #{result.document.id} {result.document.name!r}: "
        f"{result.marks_read} of {result.marks_total} marks read."
    )
    accused = ", ".join(result.accused) if result.accused else "nobody"
    click.echo(f"Accused: {accused}. {result.reason[:1].upper()}{result.reason[1:]}.")
    for candidate in result.candidates[:5]:
        who = candidate.details.get("name") or ""
        click.echo(
            f"  {candidate.recipient:20s} {who:24s} score {candidate.score:8.2f}  "
            f"p <= {candidate.p_value:.2g}"
        )
