"""LeakTrace's exceptions, all in one tree.

    LeakTraceError                 anything LeakTrace raises on purpose
    ├── UsageError                 a bad argument or option; the CLI exits 2 with one line
    ├── PolicyError                a policy file that cannot be read or does not validate
    ├── StoreError                 the database cannot be opened, migrated or written
    ├── PluginError                a registered extractor or detector cannot be loaded
    └── ItemError                  one item cannot be inspected (becomes an `error` finding)
        └── LimitReached           a scan limit stopped inspection (becomes a `limit` finding)

Third-party errors (zipfile, tarfile, pypdf, SQLAlchemy, ...) are translated into these where
they enter. Per-item problems never abort a scan: the pipeline turns an ``ItemError`` into a
finding for that item and goes on with the rest.
"""

from __future__ import annotations


def first_line(error: BaseException) -> str:
    """The first line of an error's message, at most 200 characters ("" when it has none)."""
    text = str(error).strip()
    return text.splitlines()[0][:200] if text else ""


def error_reason(error: BaseException) -> str:
    """An error as a short reason for a finding or a message: its first line, or its type."""
    return first_line(error) or type(error).__name__


def os_error_reason(error: OSError) -> str:
    """What the operating system said ("no such file or directory"), in lower case."""
    return error.strerror.lower() if error.strerror else str(error)


class LeakTraceError(Exception):
    """Base of every error LeakTrace raises on purpose."""


class UsageError(LeakTraceError):
    """A bad command-line argument or option."""


class PolicyError(LeakTraceError):
    """A policy file that cannot be read, parsed or validated."""


class StoreError(LeakTraceError):
    """The store cannot be opened, migrated, read or written."""


class PluginError(LeakTraceError):
    """An extractor or detector plugin cannot be loaded."""


class ItemError(LeakTraceError):
    """One item cannot be (fully) inspected; reported as a finding, never fatal."""

    rule = "unreadable"


class LimitReached(ItemError):
    """A scan limit stopped inspection of an item."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
