"""`leaktrace mark`: issue a document as recipient-marked copies."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from leaktrace.cli.common import CommandError, format_option, open_store
from leaktrace.core.errors import LeakTraceError, UsageError

if TYPE_CHECKING:
    from leaktrace.trace.capacity import RetypedCapacity
    from leaktrace.trace.issue import Issued, Prepared
    from leaktrace.trace.plan import ExplainedSlot


@click.command(short_help="Give each recipient a uniquely marked copy of a document.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--recipients",
    "recipients_csv",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="CSV",
    help="CSV with a header; column `id` names each recipient (and their copy's folder), "
    "other columns (name, unit, e-mail...) are kept as their details.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Where the copies go: DIR/<id>/<file name>. Required unless --dry-run.",
)
@click.option(
    "--collusion",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="How many recipients may combine their copies and still be traced (one at least).",
)
@click.option(
    "--veto",
    multiple=True,
    metavar="VARIANT",
    help="A variant id or group never to use (repeatable): e.g. contraction, spelling.toward, "
    "invisible. See the ids with --explain.",
)
@click.option(
    "--style",
    type=click.Choice(["safe", "bold"]),
    default="safe",
    show_default=True,
    help="bold adds wording variants that change a copy's style visibly (dates written four "
    "ways, contractions in a formal text): more marks survive retyping, at that cost.",
)
@click.option("--explain", is_flag=True, help="Show every mark position and its forms.")
@click.option("--dry-run", is_flag=True, help="Plan and explain the marks; write nothing.")
@click.option("--name", metavar="NAME", help="The name traces use. Default: the file's name.")
@click.option("--label", metavar="LABEL", help="A label kept with the issued document.")
@format_option("text", "json")
@click.pass_context
def mark(
    ctx: click.Context,
    file: Path,
    recipients_csv: Path,
    out: Path | None,
    collusion: int,
    veto: tuple[str, ...],
    style: str,
    explain: bool,
    dry_run: bool,
    name: str | None,
    label: str | None,
    output_format: str,
) -> None:
    """Write one copy of FILE per recipient, each carrying its own mark, and remember the marks.

    Every copy reads like the original. The marks come in layers so that some survive
    whatever a leaker does: wording variants that survive retyping (spelling variants,
    punctuation, number styles, small synonym choices), invisible characters with much more
    capacity (lost on retyping), and format marks in docx and HTML files for whole-file leaks.
    The bits of all layers form a collusion-resistant fingerprinting code with a fresh secret
    key, so a copy mixed from up to --collusion recipients' copies still points at one of
    them. `leaktrace trace LEAK` names the source later. The last line says how many
    retyped words will still name a recipient (and whether --style bold would carry more).

    Formats: plain text, Markdown, HTML and Word (.docx). The store keeps the code's key, where
    the marks are (hashes, never text) and every recipient's code word; never the copies.

    \b
    Examples:
      leaktrace mark briefing.docx --recipients staff.csv --out issued/
      leaktrace mark plan.md --recipients board.csv --dry-run --explain
      leaktrace mark plan.md --recipients board.csv --out issued/ --veto contraction
      leaktrace mark memo.docx --recipients staff.csv --out issued/ --style bold
      leaktrace trace found-on-forum.txt
    """
    from leaktrace.trace.capacity import retyped_capacity
    from leaktrace.trace.issue import issue, prepare
    from leaktrace.trace.recipients import read_recipients

    if out is None and not dry_run:
        raise click.UsageError("--out DIR is required (or --dry-run to only plan)")
    try:
        recipients = read_recipients(recipients_csv)
        prepared = prepare(file, veto, style=style)
    except UsageError as error:
        raise click.UsageError(str(error), ctx) from None
    if explain or dry_run:
        _echo_explained(prepared.explained(), output_format)
    capacity = retyped_capacity(prepared.plan, prepared.document.nodes, len(recipients), collusion)
    if dry_run:
        _echo_plan(prepared, len(recipients), capacity, output_format)
        _echo_capacity(capacity, style, output_format)
        return
    assert out is not None
    with open_store(ctx) as store:
        try:
            issued = issue(
                store, prepared, recipients, out, collusion=collusion, name=name, label=label
            )
        except UsageError as error:
            raise click.UsageError(str(error), ctx) from None
        except LeakTraceError as error:
            raise CommandError(str(error)) from None
    _echo_issued(issued, out, capacity, output_format)
    _echo_capacity(capacity, style, output_format)


def _echo_explained(slots: list[ExplainedSlot], output_format: str) -> None:
    if output_format == "json":
        for slot in slots:
            row = {
                "slot": slot.index,
                "layer": slot.layer,
                "variant": slot.variant,
                "line": slot.line,
                "column": slot.column,
                "context": slot.context,
                "original": slot.original,
                "alternatives": list(slot.alternatives),
            }
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    for slot in slots:
        forms = " | ".join(repr(a) if slot.layer == "invisible" else a for a in slot.alternatives)
        click.echo(
            f"{slot.index:5d}  {slot.layer:9s} {slot.variant:28s} "
            f"line {slot.line}:{slot.column}  {slot.context}  ->  {forms}"
        )


def _layer_text(prepared: Prepared) -> str:
    counts = prepared.plan.layer_counts()
    return ", ".join(f"{layer} {count}" for layer, count in counts.items() if count)


def _echo_plan(
    prepared: Prepared, recipients: int, capacity: RetypedCapacity, output_format: str
) -> None:
    counts = prepared.plan.layer_counts()
    if output_format == "json":
        plan = {
            "file": str(prepared.path),
            "slots": counts,
            "recipients": recipients,
            "retyped": capacity.as_json(),
        }
        sys.stdout.write(json.dumps({"plan": plan}) + "\n")
        return
    click.echo(
        f"{prepared.path.name}: {len(prepared.plan.slots)} mark positions "
        f"({_layer_text(prepared)}) for {recipients} recipients; nothing written (--dry-run)"
    )


def _echo_issued(issued: Issued, out: Path, capacity: RetypedCapacity, output_format: str) -> None:
    prepared = issued.prepared
    if output_format == "json":
        result = {
            "document_id": issued.document_id,
            "document": prepared.path.name,
            "slots": prepared.plan.layer_counts(),
            "collusion": issued.collusion,
            "retyped": capacity.as_json(),
            "copies": [
                {"recipient": c.recipient, "path": str(c.path), "sha256": c.sha256}
                for c in issued.copies
            ],
        }
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        return
    click.echo(
        f"issued #{issued.document_id} {prepared.path.name} to {len(issued.copies)} "
        f"recipients: {len(prepared.plan.slots)} mark positions ({_layer_text(prepared)}), "
        f"traceable with up to {issued.collusion} colluders"
    )
    click.echo(f"copies in {out}/<id>/{prepared.path.name}")


def _echo_capacity(capacity: RetypedCapacity, style: str, output_format: str) -> None:
    if output_format != "json":
        click.echo(capacity.advice(style, bold="--style bold"), err=True)
