"""Sources: the top-level files a scan was asked to look at, found without surprises.

Directories are walked in sorted order (scans are reproducible); symbolic links to directories are
followed once (a link loop is reported, never walked forever); anything that is not a regular file
(a FIFO would block a reader forever, a device could be endless) is reported and not opened.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

from leaktrace.core.errors import os_error_reason

STDIN = "-"


@dataclass(frozen=True, slots=True)
class Source:
    """One top-level input: a file on disk, standard input, or a path that cannot be read."""

    display: str
    path: Path | None = None
    problem: str | None = None

    @property
    def is_stdin(self) -> bool:
        return self.path is None and self.problem is None


class PathFilter:
    """Include and exclude patterns, gitignore style, relative to each scanned root."""

    def __init__(self, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> None:
        self._include = pathspec.GitIgnoreSpec.from_lines(include) if include else None
        self._exclude = pathspec.GitIgnoreSpec.from_lines(exclude) if exclude else None

    def excludes_dir(self, relative: str) -> bool:
        return bool(self._exclude and self._exclude.match_file(relative.rstrip("/") + "/"))

    def accepts_file(self, relative: str) -> bool:
        if self._exclude and self._exclude.match_file(relative):
            return False
        return not (self._include and not self._include.match_file(relative))


def find_sources(
    arguments: Sequence[str], path_filter: PathFilter | None = None
) -> Iterator[Source]:
    """Every top-level input named by ``arguments``, in a stable order."""
    path_filter = path_filter or PathFilter()
    for argument in arguments:
        if argument == STDIN:
            yield Source(display=STDIN)
            continue
        yield from _sources_of(argument, path_filter)


def _sources_of(argument: str, path_filter: PathFilter) -> Iterator[Source]:
    try:
        info = os.stat(argument)
    except OSError as error:
        yield Source(display=argument, problem=os_error_reason(error))
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk(argument, path_filter, {(info.st_dev, info.st_ino)})
    elif path_filter.accepts_file(os.path.basename(argument)):
        yield _file_source(argument, info)


def _walk(root: str, path_filter: PathFilter, seen: set[tuple[int, int]]) -> Iterator[Source]:
    """Files below ``root``, depth first in name order. A directory reached a second time
    through a link is read once: a link back to one of its own ancestors (a loop) is reported,
    a link to a directory read elsewhere (an alias, as ``/usr/share/doc/gcc`` -> ``gcc-12``)
    is not, as its files are read under their other path."""
    stack: list[tuple[str, frozenset[tuple[int, int]]]] = [("", frozenset(seen))]
    while stack:
        relative_dir, ancestors = stack.pop()
        directory = os.path.join(root, relative_dir) if relative_dir else root
        try:
            names = sorted(os.listdir(directory))
        except OSError as error:
            yield Source(display=directory, problem=os_error_reason(error))
            continue
        subdirectories = []
        for name in names:
            relative = f"{relative_dir}/{name}" if relative_dir else name
            full = os.path.join(root, relative)
            try:
                info = os.stat(full)
            except OSError as error:
                if path_filter.accepts_file(relative):
                    yield Source(display=full, problem=os_error_reason(error))
                continue
            if stat.S_ISDIR(info.st_mode):
                if path_filter.excludes_dir(relative):
                    continue
                identity = (info.st_dev, info.st_ino)
                if identity in ancestors:
                    yield Source(display=full, problem="directory link loop; not followed again")
                    continue
                if identity in seen:
                    continue  # an alias of a directory read under another path
                seen.add(identity)
                subdirectories.append((relative, ancestors | {identity}))
            elif path_filter.accepts_file(relative):
                yield _file_source(full, info)
        stack.extend(reversed(subdirectories))


def _file_source(path: str, info: os.stat_result) -> Source:
    if not stat.S_ISREG(info.st_mode):
        return Source(display=path, problem="not a regular file (device, FIFO or socket); not read")
    return Source(display=path, path=Path(path))
