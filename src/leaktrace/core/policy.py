"""Policy: a small TOML file saying what to scan, which rules are on, how severe they are,
what should happen, and which findings are already accepted.

    [scan]
    exclude = [".git/", "*.iso"]        # gitignore-style patterns, relative to each scanned root
    include = []                       # when given, only matching files are scanned
    baseline = "leaktrace-baseline.json"   # relative to the policy file

    [limits]                           # see leaktrace.core.limits.Limits
    max_depth = 8

    [detectors.marking]                # any detector; `enabled` plus detector options
    enabled = true

    [rules."secret/generic-password"]  # any rule, by detector/rule
    enabled = true
    severity = "high"
    action = "block"

    [actions]                          # default action per severity
    critical = "block"

    [[allow]]                          # accepted findings, by path pattern and/or rule
    path = "docs/examples/*"
    rule = "secret/*"
"""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from leaktrace.core.errors import PolicyError
from leaktrace.core.finding import Action, Finding, Severity
from leaktrace.core.limits import Limits

DEFAULT_ACTIONS: Mapping[Severity, Action] = {
    Severity.INFO: Action.ALLOW,
    Severity.LOW: Action.ALERT,
    Severity.MEDIUM: Action.ALERT,
    Severity.HIGH: Action.BLOCK,
    Severity.CRITICAL: Action.BLOCK,
}


@dataclass(frozen=True)
class RulePolicy:
    enabled: bool = True
    severity: Severity | None = None
    action: Action | None = None


@dataclass(frozen=True)
class Allow:
    path: str | None = None
    rule: str | None = None

    def matches(self, finding: Finding) -> bool:
        if self.rule and not fnmatch.fnmatchcase(f"{finding.detector}/{finding.rule}", self.rule):
            return False
        return not (self.path and not fnmatch.fnmatchcase(finding.path, self.path))


@dataclass(frozen=True)
class Policy:
    """Everything a scan is told; the default policy scans everything with every rule on."""

    limits: Limits = field(default_factory=Limits)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    detectors: Mapping[str, bool] = field(default_factory=dict)
    detector_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    rules: Mapping[str, RulePolicy] = field(default_factory=dict)
    actions: Mapping[Severity, Action] = field(default_factory=lambda: dict(DEFAULT_ACTIONS))
    allow: tuple[Allow, ...] = ()
    baseline: frozenset[str] = frozenset()
    baseline_path: Path | None = None
    source: Path | None = None

    @classmethod
    def load(cls, path: Path) -> Policy:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise PolicyError(f"policy file not found: {path}") from None
        except (OSError, UnicodeDecodeError) as error:
            raise PolicyError(f"cannot read policy {path}: {error}") from None
        except tomllib.TOMLDecodeError as error:
            raise PolicyError(f"policy {path} is not valid TOML: {error}") from None
        return cls.from_mapping(raw, base=path.parent, source=path)

    @classmethod
    def from_mapping(
        cls, raw: Mapping[str, Any], base: Path | None = None, source: Path | None = None
    ) -> Policy:
        where = f"policy {source}" if source else "policy"
        _only(raw, {"scan", "limits", "detectors", "rules", "actions", "allow"}, where)
        scan = _table(raw, "scan", where)
        _only(scan, {"include", "exclude", "baseline"}, f"{where} [scan]")
        detectors, options = _detectors(_table(raw, "detectors", where), where)
        policy = cls(
            limits=Limits.from_mapping(_table(raw, "limits", where)),
            include=string_list(scan.get("include", []), f"{where} scan.include"),
            exclude=string_list(scan.get("exclude", []), f"{where} scan.exclude"),
            detectors=detectors,
            detector_options=options,
            rules=_rules(_table(raw, "rules", where), where),
            actions=_actions(_table(raw, "actions", where), where),
            allow=_allows(raw.get("allow", []), where),
            source=source,
        )
        if "baseline" in scan:
            from leaktrace.core.baseline import load_baseline

            baseline_path = (base or Path.cwd()) / str(scan["baseline"])
            if baseline_path.exists():
                policy = replace(
                    policy, baseline=load_baseline(baseline_path), baseline_path=baseline_path
                )
            else:
                policy = replace(policy, baseline_path=baseline_path)
        return policy

    def with_detector_defaults(self, detector: str, defaults: Mapping[str, Any]) -> Policy:
        """Options a detector gets unless the policy file already sets them (the data folder's
        document index, for instance)."""
        options = {name: dict(values) for name, values in self.detector_options.items()}
        options[detector] = {**defaults, **options.get(detector, {})}
        return replace(self, detector_options=options)

    def with_baseline(self, fingerprints: frozenset[str], path: Path | None = None) -> Policy:
        return replace(self, baseline=self.baseline | fingerprints, baseline_path=path)

    def apply(self, finding: Finding) -> Finding | None:
        """The finding as the policy wants it reported, or ``None`` when it is off or accepted."""
        if not self.detectors.get(finding.detector, True):
            return None
        rule = self.rules.get(f"{finding.detector}/{finding.rule}", RulePolicy())
        if not rule.enabled:
            return None
        if finding.fingerprint in self.baseline:
            return None
        if any(allow.matches(finding) for allow in self.allow):
            return None
        severity = rule.severity if rule.severity is not None else finding.severity
        action = rule.action or self.actions.get(severity, DEFAULT_ACTIONS[severity])
        return finding.with_policy(severity, action)


def _only(raw: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(raw) - allowed
    if unknown:
        raise PolicyError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")


def _table(raw: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, Mapping):
        raise PolicyError(f"{where}: [{key}] must be a table")
    return value


def string_list(value: Any, where: str) -> tuple[str, ...]:
    """A policy value that must be a list of strings (``where`` names it in the error)."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PolicyError(f"{where} must be a list of strings")
    return tuple(value)


def severity_setting(value: Any, where: str) -> Severity:
    """A policy value naming a severity (``where`` names it in the error)."""
    try:
        return Severity.parse(str(value))
    except ValueError as error:
        raise PolicyError(f"{where}: {error}") from None


def _action(value: Any, where: str) -> Action:
    try:
        return Action(str(value))
    except ValueError:
        known = ", ".join(a.value for a in Action)
        raise PolicyError(f"{where}: unknown action {value!r} (expected one of: {known})") from None


def _detectors(
    raw: Mapping[str, Any], where: str
) -> tuple[dict[str, bool], dict[str, dict[str, Any]]]:
    enabled: dict[str, bool] = {}
    options: dict[str, dict[str, Any]] = {}
    for name, table in raw.items():
        if isinstance(table, bool):
            enabled[name] = table
            continue
        if not isinstance(table, Mapping):
            raise PolicyError(f"{where}: [detectors.{name}] must be a table or true/false")
        settings = dict(table)
        enabled[name] = bool(settings.pop("enabled", True))
        options[name] = settings
    return enabled, options


def _rules(raw: Mapping[str, Any], where: str) -> dict[str, RulePolicy]:
    rules: dict[str, RulePolicy] = {}
    for rule_id, table in raw.items():
        here = f'{where} [rules."{rule_id}"]'
        if "/" not in rule_id:
            raise PolicyError(f"{here}: rule ids are written detector/rule")
        if not isinstance(table, Mapping):
            raise PolicyError(f"{here} must be a table")
        _only(table, {"enabled", "severity", "action"}, here)
        rules[rule_id] = RulePolicy(
            enabled=bool(table.get("enabled", True)),
            severity=severity_setting(table["severity"], here) if "severity" in table else None,
            action=_action(table["action"], here) if "action" in table else None,
        )
    return rules


def _actions(raw: Mapping[str, Any], where: str) -> dict[Severity, Action]:
    actions = dict(DEFAULT_ACTIONS)
    here = f"{where} [actions]"
    for severity, action in raw.items():
        actions[severity_setting(severity, here)] = _action(action, here)
    return actions


def _allows(raw: Any, where: str) -> tuple[Allow, ...]:
    if not isinstance(raw, list):
        raise PolicyError(f"{where}: [[allow]] must be an array of tables")
    allows = []
    for entry in raw:
        if not isinstance(entry, Mapping) or not set(entry) <= {"path", "rule"} or not entry:
            raise PolicyError(f"{where}: each [[allow]] needs `path` and/or `rule`, nothing else")
        allows.append(Allow(path=entry.get("path"), rule=entry.get("rule")))
    return tuple(allows)
