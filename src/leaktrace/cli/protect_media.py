"""`leaktrace protect add` for photos and videos, and `leaktrace protect media list|show|remove`.

``protect add`` hands every file whose bytes are an image or a video here (``split_media``);
the rest are registered as documents. OpenCV, PyAV and the store load only when a command runs.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from leaktrace.cli.common import CommandError, format_option, open_store
from leaktrace.cli.context import AppContext

if TYPE_CHECKING:
    from leaktrace.media.registry import MediaRegistration
    from leaktrace.store import Store
    from leaktrace.store.media import MediaSummary


def split_media(
    ctx: click.Context, paths: Sequence[str], *, name: str | None, public: bool
) -> tuple[list[str], list[Path]]:
    """The arguments as documents to register (unchanged paths) and media files (walked)."""
    from leaktrace.core.sources import find_sources
    from leaktrace.media.registry import sniff_file

    documents: list[str] = []
    media: list[Path] = []
    for source in find_sources(list(paths)):  # folders walked; "-" and problems stay as given
        if source.path is not None and sniff_file(source.path):
            media.append(source.path)
        else:
            documents.append(source.display)
    if media and public:
        raise click.UsageError("--public is for text; photos and videos cannot be public", ctx)
    if name is not None and media and (documents or len(media) > 1):
        raise click.UsageError("--name needs exactly one file", ctx)
    return documents, media


def register_media_files(
    store: Store, files: list[Path], label: str | None, name: str | None, home: Path
) -> list[MediaRegistration]:
    """Register ``files`` as protected media and print one line for each."""
    if not files:
        return []
    from leaktrace.media import media_index_folder
    from leaktrace.media.registry import register_media

    results = register_media(
        store, files, label=label, name=name, index_folder=media_index_folder(home)
    )
    for result in results:
        _echo(result)
    return results


def _echo(result: MediaRegistration) -> None:
    if result.status == "added":
        size = (
            f"{result.frames} frames" if result.kind == "video" else f"{result.features} features"
        )
        click.echo(f"added media #{result.media_id} {result.name} ({result.kind}, {size})")
    elif result.status == "duplicate":
        click.echo(f"duplicate {result.path}: {result.message}")
    else:
        click.echo(f"error {result.path}: {result.message}", err=True)


@click.group("media")
def media() -> None:
    """Registered photos and videos: list, show, remove.

    \b
    Examples:
      leaktrace protect add lab-photos/ --label lab
      leaktrace protect media list
      leaktrace protect media show 3
      leaktrace protect media remove 3
    """


@media.command("list")
@format_option("table", "jsonl")
@click.pass_context
def list_media(ctx: click.Context, output_format: str) -> None:
    """List registered photos and videos, oldest first."""
    from leaktrace.store.media import MediaStore

    with open_store(ctx) as store:
        summaries = MediaStore(store).list()
    if output_format == "jsonl":
        for summary in summaries:
            sys.stdout.write(json.dumps(summary.to_dict(), ensure_ascii=False) + "\n")
        sys.stdout.flush()
    elif not summaries:
        click.echo("No photos or videos registered yet; add some with `leaktrace protect add`.")
    else:
        for s in summaries:
            size = f"{s.width}x{s.height}"
            length = f" {s.duration_ms / 1000:.1f} s" if s.duration_ms is not None else ""
            label = f" [{s.label}]" if s.label else ""
            click.echo(f"#{s.id:<5} {s.kind:<5} {size:>11}{length}  {s.name}{label}")


@media.command("show")
@click.argument("media_id", metavar="ID", type=click.IntRange(min=1))
@format_option("text", "json")
@click.pass_context
def show_media(ctx: click.Context, media_id: int, output_format: str) -> None:
    """Show what is recorded about one registered photo or video (never its pixels)."""
    with open_store(ctx) as store:
        summary = _existing(store, media_id)
    record = summary.to_dict()
    if output_format == "json":
        click.echo(json.dumps(record, indent=2, ensure_ascii=False))
        return
    click.echo(f"Protected {summary.kind} {summary.id}")
    for field, value in record.items():
        if field != "id":
            click.echo(f"  {field:<14} {'-' if value is None else value}")


@media.command("remove")
@click.argument("media_id", metavar="ID", type=click.IntRange(min=1))
@click.pass_context
def remove_media(ctx: click.Context, media_id: int) -> None:
    """Forget one registered photo or video; later scans no longer find it."""
    from leaktrace.store.media import MediaStore

    with open_store(ctx) as store:
        summary = _existing(store, media_id)
        MediaStore(store).remove(media_id)
        rebuild(ctx, store)
    click.echo(f"removed media #{summary.id} {summary.name}")


def rebuild(ctx: click.Context, store: Store) -> None:
    """Rebuild the media index from the store."""
    from leaktrace.core.errors import LeakTraceError
    from leaktrace.media import media_index_folder
    from leaktrace.media.registry import rebuild_media_index

    app = ctx.find_object(AppContext) or AppContext.from_options(None, None)
    try:
        rebuild_media_index(store, media_index_folder(app.home))
    except LeakTraceError as error:
        raise CommandError(str(error)) from None


def _existing(store: Store, media_id: int) -> MediaSummary:
    from leaktrace.store.media import MediaStore

    summary = MediaStore(store).get(media_id)
    if summary is None:
        raise CommandError(f"no protected photo or video with id {media_id} in {store.display_url}")
    return summary
