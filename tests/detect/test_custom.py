"""Policy rules: checked when the policy loads, then found like built-in ones."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from leaktrace.core.errors import PolicyError
from leaktrace.core.item import Item
from leaktrace.core.lineage import Lineage
from leaktrace.core.policy import Policy
from leaktrace.detect.custom import policy_rules
from leaktrace.detect.marking import MarkingDetector
from leaktrace.detect.secret import SecretDetector

DEPLOY_KEY = {
    "id": "acme-deploy-key",
    "description": "ACME deployment key",
    "pattern": r"acme_dk_[0-9a-f]{32}",
    "severity": "critical",
    "must_match": ["acme_dk_5f0c2a9e61b84d7f9a3e0c1b2d4f6a8e"],
    "must_not_match": ["acme_dk_example"],
}


def item(text: str) -> Item:
    return Item(Lineage.root("notes.txt"), text.encode(), "text/plain", text)


def test_a_policy_rule_finds_and_redacts_like_a_built_in_one() -> None:
    detector = SecretDetector({"rules": [DEPLOY_KEY]})
    text = "deploy with\n  key acme_dk_5f0c2a9e61b84d7f9a3e0c1b2d4f6a8e\n"
    [finding] = detector.detect(item(text))
    assert (finding.rule, finding.severity.label, finding.line) == (
        "acme-deploy-key",
        "critical",
        2,
    )
    assert "5f0c2a9e61b84d7f" not in (finding.evidence or "")
    assert finding.evidence == "acme… (40 chars)"


def test_built_in_rules_still_run_beside_policy_rules() -> None:
    detector = SecretDetector({"rules": [DEPLOY_KEY]})
    found = {f.rule for f in detector.detect(item("aws_access_key_id = AKIA2OGYBAH6STMMNXNN"))}
    assert found == {"aws-access-key-id"}


def test_min_entropy_keeps_only_random_looking_values() -> None:
    rule = {**DEPLOY_KEY, "pattern": r"acme_dk_\w{8,}", "min_entropy": 3.5}
    rule["must_match"] = ["acme_dk_Zq81mPx0Lr4T"]
    rule["must_not_match"] = ["acme_dk_aaaaaaaaaaaa"]
    [parsed] = policy_rules([rule], "secret")
    assert [value for _, value in parsed.matches("acme_dk_Zq81mPx0Lr4T")]
    assert not list(parsed.matches("acme_dk_abababababab"))


def test_marking_detector_takes_policy_rules_too() -> None:
    rule = {
        "id": "project-codename",
        "pattern": r"PROJECT (?:FALCON|HERON)",
        "severity": "high",
        "must_match": ["PROJECT FALCON"],
        "must_not_match": ["project falcon"],
    }
    findings = list(MarkingDetector({"rules": [rule]}).detect(item("Re: PROJECT HERON budget")))
    assert [(f.rule, f.evidence) for f in findings] == [("project-codename", "PROJECT HERON")]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pattern": "acme_dk_[0-9a-f"}, "rule secret/acme-deploy-key: invalid pattern"),
        ({"pattern": "x*"}, "matches empty text"),
        ({"severity": "dire"}, "unknown severity 'dire'"),
        ({"must_match": ["nothing like it"]}, "example 'nothing like it' does not match"),
        (
            {"must_not_match": ["acme_dk_5f0c2a9e61b84d7f9a3e0c1b2d4f6a8e"]},
            "counter-example",
        ),
        ({"id": "Bad Id"}, "needs an `id`"),
        ({"colour": "red"}, "unknown key(s) colour"),
        ({"min_entropy": 12}, "min_entropy"),
        ({"ignore_case": "yes"}, "ignore_case"),
    ],
)
def test_a_bad_rule_is_an_error_naming_it(change: dict[str, object], message: str) -> None:
    with pytest.raises(PolicyError, match=r"rules?\b") as error:
        policy_rules([{**DEPLOY_KEY, **change}], "secret")
    assert message in str(error.value)


def test_duplicate_ids_and_wrong_shapes_are_refused() -> None:
    with pytest.raises(PolicyError, match="defined twice"):
        policy_rules([DEPLOY_KEY, DEPLOY_KEY], "secret")
    with pytest.raises(PolicyError, match="array of tables"):
        policy_rules("acme", "secret")
    with pytest.raises(PolicyError, match="must be a table"):
        policy_rules(["acme"], "secret")


POLICY = """
[[detectors.secret.rules]]
id = "acme-deploy-key"
pattern = 'acme_dk_[0-9a-f]{32}'
severity = "high"
must_match = ["acme_dk_5f0c2a9e61b84d7f9a3e0c1b2d4f6a8e"]
must_not_match = ["acme_dk_example"]
"""


def run_scan(tmp_path: Path, policy_text: str) -> subprocess.CompletedProcess[str]:
    policy = tmp_path / "policy.toml"
    policy.write_text(policy_text)
    (tmp_path / "in").mkdir(exist_ok=True)
    (tmp_path / "in" / "a.txt").write_text("k = acme_dk_00112233445566778899aabbccddeeff\n")
    (tmp_path / "in" / "b.txt").write_text("nothing\n")
    return subprocess.run(
        [
            *(sys.executable, "-m", "leaktrace", "--home", str(tmp_path / "home"), "scan"),
            *("--no-store", "--format", "jsonl", "--jobs", "2", "--policy", str(policy)),
            str(tmp_path / "in"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_scan_with_a_policy_rule_reports_it_from_every_worker(tmp_path: Path) -> None:
    result = run_scan(tmp_path, POLICY)
    assert result.returncode == 1, result.stderr
    assert '"rule": "acme-deploy-key"' in result.stdout
    assert "00112233445566778899aabbccddeeff" not in result.stdout


def test_scan_with_a_broken_policy_rule_is_one_line_naming_it(tmp_path: Path) -> None:
    result = run_scan(tmp_path, POLICY.replace("acme_dk_[", "acme_dk_(["))
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "secret/acme-deploy-key" in line
    assert "invalid pattern" in line


def test_policy_file_loads_rules_as_detector_options(tmp_path: Path) -> None:
    policy = tmp_path / "p.toml"
    policy.write_text(POLICY)
    loaded = Policy.load(policy)
    assert loaded.detector_options["secret"]["rules"][0]["id"] == "acme-deploy-key"
