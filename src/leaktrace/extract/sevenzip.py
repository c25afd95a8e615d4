"""7z archives, decompressed in memory with py7zr and never written to disk.

Declared member sizes are checked against the budget before anything is decompressed, so a 7z
bomb is refused from its header. Password-protected archives are reported, not guessed at.

py7zr's public extraction calls turn member names into output paths first and refuse names such
as ``../x`` for the whole archive; to read every member under its own name, the members are
handed to py7zr's worker one by one with an in-memory writer (the same objects its public
``extract(factory=...)`` uses).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import py7zr
from py7zr.io import MemIO, Py7zIO, WriterFactory

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError, LimitReached, error_reason
from leaktrace.core.finding import Severity
from leaktrace.core.item import Item
from leaktrace.core.limits import Budget
from leaktrace.core.plugin import Child, ExtractContext, Extraction, Extractor
from leaktrace.detect.concealment import severity_of
from leaktrace.extract.zip import is_member_limit, member_path

MAGIC = b"7z\xbc\xaf\x27\x1c"


class SevenZipExtractor(Extractor):
    name = "7z"
    media_types = frozenset({mediatypes.SEVEN_ZIP})

    def sniff(self, head: bytes, data: bytes) -> str | None:
        return mediatypes.SEVEN_ZIP if head.startswith(MAGIC) else None

    def extract(self, item: Item, context: ExtractContext) -> Extraction:
        archive = _open_archive(item.data)
        if archive is None or archive.needs_password():
            _close(archive)
            reason = "has encrypted headers" if archive is None else "has encrypted members"
            message = f"7z archive {reason}; not inspected"
            context.notice("concealment", "encrypted", message, severity_of("encrypted"))
            return Extraction()
        return Extraction(children=_members(archive, item.data, context))


def _open_archive(data: bytes) -> Any:
    """The opened archive, or ``None`` when even its member list is encrypted."""
    try:
        return py7zr.SevenZipFile(io.BytesIO(data), mode="r")
    except py7zr.PasswordRequired:
        return None
    except Exception as error:  # py7zr raises many types on damaged input; all mean "corrupt"
        raise ItemError(f"corrupt 7z: {error_reason(error)}") from None


def _close(archive: Any) -> None:
    if archive is None:
        return
    with contextlib.suppress(Exception):  # closing an in-memory archive has nothing to report
        archive.close()


class _MemberBuffer(Py7zIO):
    """Collects one member's bytes in memory, no more than it declared, watching the clock."""

    def __init__(self, name: str, declared: int, budget: Budget) -> None:
        self._name = name
        self._declared = declared
        self._budget = budget
        self._buffer = io.BytesIO()
        self.complete = False

    def write(self, data: bytes | bytearray) -> int:
        self._budget.check_time()
        if self._buffer.tell() + len(data) > self._declared:
            raise ItemError(f"7z member {self._name!r} expands past its declared size")
        return self._buffer.write(data)

    def read(self, size: int | None = None) -> bytes:
        return self._buffer.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._buffer.seek(offset, whence)

    def flush(self) -> None:
        pass

    def size(self) -> int:
        return self._buffer.getbuffer().nbytes

    def close(self) -> None:
        self.complete = True  # py7zr calls this only when the member decompressed cleanly

    def content(self) -> bytes:
        return self._buffer.getvalue()


class _OneMember(WriterFactory):
    def __init__(self, buffer: _MemberBuffer) -> None:
        self.buffer = buffer

    def create(self, filename: str) -> Py7zIO:
        return self.buffer


@dataclass(frozen=True, slots=True)
class _Planned:
    name: str
    packed: int
    buffer: _MemberBuffer


@dataclass(frozen=True, slots=True)
class _Plan:
    members: list[_Planned]
    stopped: LimitReached | None = None
    """The limit that ended the plan early; raised once the planned members are yielded."""


def _members(archive: Any, data: bytes, context: ExtractContext) -> Iterator[Child]:
    try:
        plan = _plan(archive, data, context)
        failure = _decompress(archive, plan, context.budget)
    finally:
        _close(archive)
    for planned in plan.members:
        if not planned.buffer.complete:
            break
        content = context.budget.accept(planned.buffer.content(), planned.packed)
        yield Child(planned.name, content)
    if failure is not None:
        raise failure
    if plan.stopped is not None:
        raise plan.stopped


def _plan(archive: Any, data: bytes, context: ExtractContext) -> _Plan:
    """Choose the members to decompress from their declared sizes, leaving notices for others."""
    budget = context.budget
    packed_by_folder = _packed_sizes(archive.files)
    room = budget.limits.max_total_bytes - budget.bytes_expanded
    planned: list[_Planned] = []
    examined = 0
    for file in archive.files:
        budget.check_time()
        if file.is_directory:
            continue
        examined += 1  # links count too: each costs a finding
        try:
            budget.check_members(examined)
        except LimitReached as error:
            return _Plan(planned, error)
        name = member_path(file.filename)
        if not file.is_file:
            context.notice(
                "error",
                "not-regular",
                "link or special entry; not followed",
                Severity.INFO,
                member=name,
            )
            continue
        declared = int(file.uncompressed or 0)
        packed = packed_by_folder.get(id(file.folder), len(data))
        try:
            budget.charge(declared, packed)
        except LimitReached as error:
            if not is_member_limit(error):
                return _Plan(planned, error)
            context.notice("limit", error.rule, str(error), Severity.MEDIUM, member=name)
            continue
        if declared > room:
            limit = budget.limits.max_total_bytes
            message = f"7z contents declare more than {limit} bytes in all; rest not inspected"
            return _Plan(planned, LimitReached("total", message))
        room -= declared
        buffer = _MemberBuffer(name, declared, budget)
        archive.worker.register_filelike(file.id, MemIO(name, _OneMember(buffer)))
        planned.append(_Planned(name, packed, buffer))
    return _Plan(planned)


def _packed_sizes(files: Any) -> dict[int, int]:
    """Compressed bytes per solid block (py7zr states them on the block's first member only)."""
    sizes: dict[int, int] = {}
    for file in files:
        if file.folder is not None:
            sizes[id(file.folder)] = sizes.get(id(file.folder), 0) + int(file.compressed or 0)
    return sizes


def _decompress(archive: Any, plan: _Plan, budget: Budget) -> ItemError | None:
    """Decompress the planned members; return what stopped it, if anything did."""
    if not plan.members:
        return None
    # Also bounds what py7zr decompresses only to check the CRC of members we skipped.
    archive.worker.max_extract_size = budget.limits.max_total_bytes - budget.bytes_expanded
    try:
        archive.worker.extract(archive.fp, None, parallel=False)
    except ItemError as error:
        return error
    except py7zr.DecompressionBombError:
        return LimitReached("total", "7z contents expand past the bytes left for this file")
    except py7zr.PasswordRequired:
        return ItemError("7z member is password-protected; not inspected")
    except Exception as error:  # py7zr raises many types on damaged input; all mean "corrupt"
        return ItemError(f"corrupt 7z: {error_reason(error)}")
    return None
