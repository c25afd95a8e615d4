from pathlib import Path

import pytest

from leaktrace.core.baseline import load_baseline, write_baseline
from leaktrace.core.errors import PolicyError
from leaktrace.core.finding import Action, Finding, Severity
from leaktrace.core.policy import Policy


def finding(
    detector: str = "secret",
    rule: str = "aws-access-key-id",
    severity: Severity = Severity.HIGH,
    path: str = "a/b.txt",
) -> Finding:
    return Finding(path, detector, rule, severity, "found", key="k1")


def test_default_policy_keeps_findings_and_maps_actions() -> None:
    kept = Policy().apply(finding())
    assert kept is not None
    assert kept.action is Action.BLOCK
    low = Policy().apply(finding(severity=Severity.LOW))
    assert low is not None and low.action is Action.ALERT


def test_rule_overrides(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(
        """
[rules."secret/aws-access-key-id"]
severity = "critical"
action = "quarantine"

[rules."marking/handling"]
enabled = false

[detectors]
pii = false

[actions]
medium = "block"

[[allow]]
path = "docs/*"
rule = "secret/*"
""",
        encoding="utf-8",
    )
    policy = Policy.load(path)
    changed = policy.apply(finding())
    assert changed is not None
    assert changed.severity is Severity.CRITICAL
    assert changed.action is Action.QUARANTINE
    assert policy.apply(finding("marking", "handling", Severity.MEDIUM)) is None
    assert policy.apply(finding("pii", "email")) is None
    medium = policy.apply(finding("marking", "classification", Severity.MEDIUM))
    assert medium is not None and medium.action is Action.BLOCK
    assert policy.apply(finding(path="docs/example.md")) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[scan\n", "not valid TOML"),
        ("[bogus]\n", "unknown key"),
        ('[rules."nodetector"]\nenabled = false\n', "detector/rule"),
        ('[rules."a/b"]\nseverity = "huge"\n', "unknown severity"),
        ('[rules."a/b"]\naction = "explode"\n', "unknown action"),
        ('[limits]\nmax_depth = "deep"\n', "positive number"),
        ("[scan]\nexclude = 3\n", "list of strings"),
        ("[[allow]]\nwhat = 1\n", "path` and/or `rule"),
    ],
)
def test_bad_policies_are_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match=message):
        Policy.load(path)


def test_missing_policy_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="not found"):
        Policy.load(tmp_path / "nope.toml")


def test_baseline_hides_accepted_findings(tmp_path: Path) -> None:
    accepted = finding()
    baseline = tmp_path / "baseline.json"
    assert write_baseline(baseline, [accepted]) == 1
    policy_file = tmp_path / "policy.toml"
    policy_file.write_text('[scan]\nbaseline = "baseline.json"\n', encoding="utf-8")
    policy = Policy.load(policy_file)
    assert policy.apply(accepted) is None
    assert policy.apply(finding(path="other.txt")) is not None
    assert load_baseline(baseline) == {accepted.fingerprint}


def test_corrupt_baseline_is_a_policy_error(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text("{not json", encoding="utf-8")
    with pytest.raises(PolicyError):
        load_baseline(baseline)
    baseline.write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(PolicyError, match="not a LeakTrace baseline"):
        load_baseline(baseline)


def test_fingerprint_ignores_line_moves() -> None:
    a = Finding("f.txt", "secret", "r", Severity.HIGH, "m", line=3, key="abc")
    b = Finding("f.txt", "secret", "r", Severity.HIGH, "m", line=30, key="abc")
    c = Finding("g.txt", "secret", "r", Severity.HIGH, "m", line=3, key="abc")
    assert a.fingerprint == b.fingerprint != c.fingerprint
