"""Findings: what a detector (or the pipeline itself) reports about one item."""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

DETECTOR_FAMILIES = (
    "document",
    "media",
    "secret",
    "pii",
    "marking",
    "concealment",
    "mark",
    "rf",
    "limit",
    "error",
)


class Severity(enum.IntEnum):
    """Ordered severities; ``--fail-on`` compares with these."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (expected one of: {names})") from None

    @property
    def label(self) -> str:
        return self.name.lower()


class Action(enum.StrEnum):
    """What the policy says should happen to content carrying a finding."""

    ALLOW = "allow"
    ALERT = "alert"
    BLOCK = "block"
    QUARANTINE = "quarantine"


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule a detector can report, with its default severity; the policy may override both."""

    detector: str
    id: str
    description: str
    severity: Severity = Severity.MEDIUM

    @property
    def qualified_id(self) -> str:
        return f"{self.detector}/{self.id}"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing found in one item.

    ``evidence`` is always redacted by the detector that made it; ``key`` is a detector-chosen
    digest of what matched (never the match itself) so that the same secret in the same place
    gets the same fingerprint even when the lines around it move.
    """

    path: str
    detector: str
    rule: str
    severity: Severity
    message: str
    line: int | None = None
    column: int | None = None
    evidence: str | None = None
    key: str = ""
    action: Action = Action.ALERT
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """A stable identity for de-duplication and baselines."""
        basis = "\x1f".join((self.path, self.detector, self.rule, self.key or self.message))
        return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    def with_policy(self, severity: Severity, action: Action) -> Finding:
        return replace(self, severity=severity, action=action)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape used by JSON Lines output, the store and the API."""
        record: dict[str, Any] = {
            "path": self.path,
            "detector": self.detector,
            "rule": self.rule,
            "severity": self.severity.label,
            "message": self.message,
        }
        if self.line is not None:
            record["line"] = self.line
        if self.column is not None:
            record["column"] = self.column
        if self.evidence is not None:
            record["evidence"] = self.evidence
        record["action"] = self.action.value
        record["fingerprint"] = self.fingerprint
        if self.details:
            record["details"] = dict(self.details)
        return record

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Finding:
        return cls(
            path=record["path"],
            detector=record["detector"],
            rule=record["rule"],
            severity=Severity.parse(record["severity"]),
            message=record["message"],
            line=record.get("line"),
            column=record.get("column"),
            evidence=record.get("evidence"),
            key=record.get("key", ""),
            action=Action(record.get("action", "alert")),
            details=dict(record.get("details") or {}),
        )

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        return (self.path, self.line or 0, self.column or 0, self.detector, self.rule, self.key)


def redact(secret: str, keep: int = 4) -> str:
    """Show only a short prefix and the length: enough to find and rotate, not enough to use."""
    if len(secret) <= keep * 2:
        return f"{'*' * len(secret)} ({len(secret)} chars)"
    return f"{secret[:keep]}… ({len(secret)} chars)"


def digest(text: str) -> str:
    """A short digest of matched content, for ``Finding.key``."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def details_json(details: Mapping[str, Any]) -> str:
    return json.dumps(dict(details), sort_keys=True, default=str)
