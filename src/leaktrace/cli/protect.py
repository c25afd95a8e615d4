"""`leaktrace protect`: register confidential documents so that every scan finds them.

The store, numpy and the pipeline are imported only when a subcommand runs, so that registering
this group costs nothing for the other commands.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

import click

from leaktrace.cli import protect_media
from leaktrace.cli.common import CommandError, format_option, open_store
from leaktrace.cli.context import AppContext
from leaktrace.core.errors import LeakTraceError, UsageError

if TYPE_CHECKING:
    from leaktrace.protect.registry import Registration
    from leaktrace.store import ProtectedSummary, Store

EXIT_FILE_ERROR = 1


@click.group()
def protect() -> None:
    """Register confidential documents: every later scan finds them, whole or in part.

    Any format a scan reads can be registered (text, Word, Excel, PowerPoint, OpenDocument,
    PDF, RTF, HTML, e-mail, archives...): its text is extracted exactly as a scan would, so a
    registered .docx is also found in its PDF print, in a zip, or pasted into a mail.

    Only fingerprints are stored (hashes of overlapping runs of words) with the file's name,
    label, size, word count and SHA-256. The text itself is never stored. A file without text
    (a CAD drawing) is registered by its SHA-256 alone: exact copies are found.

    Photos (JPEG, PNG, WebP, GIF, TIFF, BMP; HEIC with pillow-heif) and videos (MP4, MOV, MKV,
    WebM, AVI) are registered as protected media: perceptual hashes and local features of their
    frames, never pixels. Scans find them resized, recompressed, recoloured, flipped, cropped,
    rotated, captioned or screenshotted, inside any container (see `protect media`).

    \b
    Examples:
      leaktrace protect add board-minutes.docx --label board
      leaktrace protect add ~/confidential/                  every file in the folder
      leaktrace protect add --public LICENSE templates/      common text: never a finding
      leaktrace protect list
      leaktrace protect show 12
      leaktrace protect remove 12
    """


# -- add ----------------------------------------------------------------------------------------


@protect.command("add", short_help="Register files or folders as protected documents.")
@click.argument("paths", nargs=-1, required=True, metavar="FILE|DIR...")
@click.option(
    "--label",
    metavar="LABEL",
    help="A label shown with every finding of these documents, e.g. board or hr.",
)
@click.option(
    "--name",
    metavar="NAME",
    help="The name findings use for the document (one file only). Default: the file's name.",
)
@click.option(
    "--public",
    is_flag=True,
    help="Register text that is common and not secret (a licence, legal boilerplate, a "
    "template): text shared with it never raises a finding.",
)
@click.pass_context
def add(
    ctx: click.Context, paths: tuple[str, ...], label: str | None, name: str | None, public: bool
) -> None:
    """Register FILE|DIR... (folders are walked) as protected documents.

    Prints one line per file: `added #ID NAME (N words)`, `duplicate` (the same content is
    already registered) or `error` (empty, unreadable, or no text could be extracted). The
    other files are registered all the same.

    With --public the text is registered as public instead: matches of it are ignored, so a
    licence or a template shared by many documents does not make them all look leaked.

    \b
    Examples:
      leaktrace protect add strategy-2026.pptx
      leaktrace protect add --label hr --name "Salary review" salaries.xlsx
      leaktrace protect add --label finance share/finance/
      leaktrace protect add --public LICENSE.txt contract-template.docx

    Exit status: 0 every file added or already registered, 1 some file could not be
    registered, 2 usage or operational error.
    """
    from leaktrace.cli.protect_media import register_media_files, split_media
    from leaktrace.cli.scanning import index_folder  # here: plugins load only when needed
    from leaktrace.core.registry import Registry
    from leaktrace.protect.registry import register

    label, name = _option_text("--label", label), _option_text("--name", name)
    app = _app(ctx)
    documents, media = split_media(ctx, paths, name=name, public=public)
    results: list[Registration] = []
    with open_store(ctx) as store:
        try:
            if documents:
                results = register(
                    store,
                    documents,
                    label=label,
                    name=name,
                    public=public,
                    index_folder=index_folder(app.home),
                    registry=Registry.from_entry_points(),
                )
            media_results = register_media_files(store, media, label, name, app.home)
        except UsageError as error:
            raise click.UsageError(str(error), ctx) from None
        except LeakTraceError as error:  # a plugin that cannot load, an index not written
            raise CommandError(str(error)) from None
    for result in results:
        _echo_registration(result)
    statuses = [result.status for result in results] + [r.status for r in media_results]
    _echo_totals(statuses)
    if not statuses or "error" in statuses:
        ctx.exit(EXIT_FILE_ERROR)


def _option_text(option: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not value.strip():
        raise click.UsageError(f"{option} must not be empty")
    return value.strip()


def _echo_registration(result: Registration) -> None:
    if result.status == "added":
        click.echo(f"added #{result.document_id} {result.name} ({result.word_count} words)")
    elif result.status == "duplicate":
        click.echo(f"duplicate {result.path}: {result.message}")
    else:
        click.echo(f"error {result.path}: {result.message}", err=True)
    for warning in result.warnings:
        click.echo(f"  note: {warning}", err=True)


def _echo_totals(statuses: Sequence[str]) -> None:
    if not statuses:
        click.echo("nothing registered: no files found", err=True)
        return
    counts = {status: 0 for status in ("added", "duplicate", "error")}
    for status in statuses:
        counts[status] += 1
    click.echo(
        f"{counts['added']} added, {counts['duplicate']} already registered, "
        f"{counts['error']} not registered",
        err=True,
    )


# -- list ---------------------------------------------------------------------------------------


@protect.command("list", short_help="List registered documents or public texts.")
@format_option("table", "jsonl")
@click.option("--public", is_flag=True, help="List the public texts instead of the documents.")
@click.pass_context
def list_documents(ctx: click.Context, output_format: str, public: bool) -> None:
    """List registered documents (or, with --public, public texts), oldest first.

    \b
    Examples:
      leaktrace protect list
      leaktrace protect list --public
      leaktrace protect list --format jsonl | jq -r .name
    """
    with open_store(ctx) as store:
        summaries = store.protected_documents("public" if public else "document")
    if output_format == "jsonl":
        for summary in summaries:
            sys.stdout.write(json.dumps(summary.to_dict(), ensure_ascii=False) + "\n")
        sys.stdout.flush()
    elif not summaries:
        what = "public texts" if public else "documents"
        click.echo(f"No {what} registered yet; add some with `leaktrace protect add FILE`.")
    else:
        _write_table(summaries, sys.stdout)


def _write_table(summaries: Sequence[ProtectedSummary], stream: TextIO) -> None:
    from rich.console import Console, JustifyMethod  # here: rich loads only when needed
    from rich.table import Table

    table = Table(header_style="bold")
    for column in ("ID", "Name", "Label", "Words", "Size", "Added (UTC)", "SHA-256"):
        justify: JustifyMethod = "right" if column in ("ID", "Words", "Size") else "left"
        table.add_column(column, justify=justify, overflow="fold")
    for summary in summaries:
        table.add_row(
            str(summary.id),
            summary.name,
            summary.label or "",
            str(summary.word_count),
            _size(summary.size),
            summary.added_at.strftime("%Y-%m-%d %H:%M:%S"),
            summary.sha256[:12],
        )
    console = Console(file=stream, width=None if stream.isatty() else 160, highlight=False)
    console.print(table)


# -- show ---------------------------------------------------------------------------------------


@protect.command("show", short_help="Show one registered document's metadata.")
@click.argument("document_id", metavar="ID", type=click.IntRange(min=1))
@format_option("text", "json")
@click.pass_context
def show(ctx: click.Context, document_id: int, output_format: str) -> None:
    """Show what is recorded about one registered document (never its text).

    \b
    Examples:
      leaktrace protect show 12
      leaktrace protect show 12 --format json
    """
    with open_store(ctx) as store:
        summary = _existing(store, document_id)
    if output_format == "json":
        click.echo(json.dumps(summary.to_dict(), indent=2, ensure_ascii=False))
        return
    fields: list[tuple[str, object]] = [
        ("name", summary.name),
        ("label", summary.label or "-"),
        ("kind", summary.kind),
        ("size", f"{summary.size} bytes ({_size(summary.size)})"),
        ("words", summary.word_count),
        ("sha256", summary.sha256),
        ("fingerprints", summary.fingerprint_count),
        ("added", summary.added_at.isoformat()),
        ("source", summary.source),
    ]
    click.echo(f"Protected document {summary.id}")
    for field, value in fields:
        click.echo(f"  {field:<13} {value}")


# -- remove and reindex -------------------------------------------------------------------------


@protect.command("remove", short_help="Forget one registered document.")
@click.argument("document_id", metavar="ID", type=click.IntRange(min=1))
@click.pass_context
def remove(ctx: click.Context, document_id: int) -> None:
    """Forget one registered document (or public text); later scans no longer find it.

    \b
    Example:
      leaktrace protect remove 12
    """
    with open_store(ctx) as store:
        summary = _existing(store, document_id)
        store.remove_protected(document_id)
        _rebuild(ctx, store)
    click.echo(f"removed #{summary.id} {summary.name}")


@protect.command("reindex", short_help="Rebuild the index from the store.")
@click.pass_context
def reindex(ctx: click.Context) -> None:
    """Rebuild the index of fingerprints from the store.

    `add` and `remove` do this themselves; run it if one of them was interrupted, or after
    restoring the store from a backup.
    """
    from leaktrace.cli.protect_media import rebuild as rebuild_media

    with open_store(ctx) as store:
        _rebuild(ctx, store)
        rebuild_media(ctx, store)
        count = len(store.protected_documents("document"))
    click.echo(f"index rebuilt: {count} documents")


def _rebuild(ctx: click.Context, store: Store) -> None:
    from leaktrace.cli.scanning import index_folder
    from leaktrace.protect.registry import rebuild_index

    try:
        rebuild_index(store, index_folder(_app(ctx).home))
    except LeakTraceError as error:
        raise CommandError(str(error)) from None


protect.add_command(protect_media.media)


# -- helpers ------------------------------------------------------------------------------------


def _app(ctx: click.Context) -> AppContext:
    app = ctx.find_object(AppContext)
    # Invoked without the top-level group (a test calling the group directly): the defaults.
    return app if app is not None else AppContext.from_options(None, None)


def _existing(store: Store, document_id: int) -> ProtectedSummary:
    summary = store.protected_document(document_id)
    if summary is None:
        raise CommandError(f"no protected document with id {document_id} in {store.display_url}")
    return summary


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    units = ("KiB", "MiB", "GiB", "TiB")
    value, unit = size / 1024, 0
    while value >= 1024 and unit < len(units) - 1:
        value, unit = value / 1024, unit + 1
    return f"{value:.1f} {units[unit]}"
