"""Baselines: fingerprints of findings already seen and accepted, so a rescan shows what is new."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from leaktrace.core.errors import PolicyError
from leaktrace.core.finding import Finding

FORMAT = "leaktrace-baseline/1"


def load_baseline(path: Path) -> frozenset[str]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError(f"baseline file not found: {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PolicyError(f"cannot read baseline {path}: {error}") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise PolicyError(f"{path} is not a LeakTrace baseline ({FORMAT})")
    entries = raw.get("findings", [])
    if not isinstance(entries, list):
        raise PolicyError(f"baseline {path}: `findings` must be a list")
    return frozenset(str(e["fingerprint"]) for e in entries if isinstance(e, dict))


def write_baseline(
    path: Path, findings: Iterable[Finding], keep: Iterable[dict[str, str]] = ()
) -> int:
    """Write a baseline of ``findings`` (plus entries kept from an older one); return its size."""
    entries = {e["fingerprint"]: e for e in keep}
    for finding in findings:
        entries.setdefault(
            finding.fingerprint,
            {
                "fingerprint": finding.fingerprint,
                "path": finding.path,
                "rule": f"{finding.detector}/{finding.rule}",
            },
        )
    document = {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "findings": sorted(
            entries.values(), key=lambda e: (e["path"], e["rule"], e["fingerprint"])
        ),
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return len(entries)


def read_entries(path: Path) -> list[dict[str, str]]:
    """The raw entries of an existing baseline (for ``baseline update``)."""
    load_baseline(path)  # validates
    raw = json.loads(path.read_text(encoding="utf-8"))
    return [e for e in raw["findings"] if isinstance(e, dict) and "fingerprint" in e]
