"""SARIF 2.1.0, for code-scanning dashboards and other security tools.

A finding inside a container keeps its whole lineage as the artifact URI
(``outbox/msg1.eml!lecture.docx``, percent-encoded) and as ``properties.lineage``; line and column
refer to the text LeakTrace extracted from that item.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, TextIO
from urllib.parse import quote

from leaktrace import __version__
from leaktrace.core.finding import Finding, Rule, Severity
from leaktrace.core.lineage import Lineage

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://example.invalid/leaktrace"
LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}


def sarif_log(
    findings: Sequence[Finding], known_rules: Mapping[str, Rule] | None = None
) -> dict[str, Any]:
    """The SARIF log for one scan. ``known_rules`` (by detector/rule) adds rule descriptions."""
    known_rules = known_rules or {}
    rule_ids = sorted({f"{f.detector}/{f.rule}" for f in findings})
    index = {rule_id: position for position, rule_id in enumerate(rule_ids)}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "LeakTrace",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [
                            _rule(rule_id, known_rules.get(rule_id), findings)
                            for rule_id in rule_ids
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index[f"{f.detector}/{f.rule}"]) for f in findings],
            }
        ],
    }


def write_sarif(
    findings: Sequence[Finding], stream: TextIO, known_rules: Mapping[str, Rule] | None = None
) -> None:
    json.dump(sarif_log(findings, known_rules), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def _rule(rule_id: str, rule: Rule | None, findings: Sequence[Finding]) -> dict[str, Any]:
    detector, _, short = rule_id.partition("/")
    severity = (
        rule.severity
        if rule
        else max(f.severity for f in findings if f"{f.detector}/{f.rule}" == rule_id)
    )
    description = rule.description if rule else f"{detector} finding: {short}"
    return {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in rule_id.replace("/", "-").split("-")),
        "shortDescription": {"text": description},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {"security-severity": SECURITY_SEVERITY[severity], "tags": [detector]},
    }


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": quote(finding.path, safe="/!:@")}}
    if finding.line is not None:
        region: dict[str, Any] = {"startLine": finding.line}
        if finding.column is not None:
            region["startColumn"] = finding.column
        location["region"] = region
    properties: dict[str, Any] = {
        "severity": finding.severity.label,
        "detector": finding.detector,
        "action": finding.action.value,
        "lineage": list(Lineage.parse(finding.path).parts),
    }
    if finding.evidence is not None:
        properties["evidence"] = finding.evidence
    if finding.details:
        properties["details"] = json.loads(json.dumps(dict(finding.details), default=str))
    return {
        "ruleId": f"{finding.detector}/{finding.rule}",
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {"leaktrace/v1": finding.fingerprint},
        "properties": properties,
    }
