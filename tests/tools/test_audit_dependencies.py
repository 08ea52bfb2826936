"""The dependency audit's rule (tools/audit_dependencies.py): a vulnerability with a fixed version
fails CI, one without is a warning, and an audit service that did not answer is a warning."""

import importlib.util
import sys
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[2] / "tools" / "audit_dependencies.py"
spec = importlib.util.spec_from_file_location("audit_dependencies", PATH)
audit = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = audit  # dataclasses look their module up
spec.loader.exec_module(audit)


def npm_report(**vulnerabilities) -> dict:
    """`npm audit --json` as npm 7+ writes it (auditReportVersion 2)."""
    return {
        "auditReportVersion": 2,
        "vulnerabilities": vulnerabilities,
        "metadata": {"dependencies": {"prod": 1, "dev": 12, "total": 13}},
    }


def npm_vuln(name, fix):
    return {
        "name": name,
        "severity": "high",
        "isDirect": False,
        "via": [
            {
                "source": 1096366,
                "name": name,
                "title": "Regular expression denial of service",
                "url": "https://example.org/advisories/GHSA-0000-0000-0000",
                "severity": "high",
                "range": "<2.0.1",
            }
        ],
        "effects": [],
        "range": "<2.0.1",
        "nodes": [f"node_modules/{name}"],
        "fixAvailable": fix,
    }


def test_npm_vulnerability_with_a_fix_fails():
    verdict = audit.npm_verdict(npm_report(braces=npm_vuln("braces", True)))
    assert verdict.failed
    assert verdict.failures[0].startswith("braces <2.0.1 (high)")
    assert verdict.warnings == []


def test_npm_fix_given_as_an_upgrade_fails_and_names_it():
    fix = {"name": "sass", "version": "1.109.0", "isSemVerMajor": False}
    verdict = audit.npm_verdict(npm_report(sass=npm_vuln("sass", fix)))
    assert verdict.failed
    assert "fixed by sass 1.109.0" in verdict.failures[0]


def test_npm_vulnerability_without_a_fix_warns():
    verdict = audit.npm_verdict(npm_report(braces=npm_vuln("braces", False)))
    assert not verdict.failed
    assert "no fixed version yet" in verdict.warnings[0]


def test_npm_clean_report_passes():
    verdict = audit.npm_verdict(npm_report())
    assert not verdict.failed and verdict.warnings == [] and verdict.unreachable is None
    assert verdict.audited == 13


def test_npm_service_error_is_unreachable_not_a_pass_or_failure():
    error = {"message": "405 Method Not Allowed - POST (the audit endpoint)", "statusCode": 405}
    verdict = audit.npm_verdict(error)
    assert not verdict.failed
    assert "405" in verdict.unreachable


def pip_dep(name, version, *vulns):
    return {"name": name, "version": version, "vulns": list(vulns)}


def pip_vuln(fixes):
    return {
        "id": "GHSA-0000-0000-0000",
        "fix_versions": fixes,
        "aliases": ["CVE-2099-0001"],
        "description": "A synthetic vulnerability",
    }


def test_python_vulnerability_with_a_fix_fails():
    report = {
        "dependencies": [pip_dep("jinja2", "3.1.2", pip_vuln(["3.1.3"])), pip_dep("rules", "3.5")],
        "fixes": [],
    }
    verdict = audit.python_verdict(report)
    assert verdict.failed
    assert verdict.failures == ["jinja2 3.1.2: GHSA-0000-0000-0000 (CVE-2099-0001); fixed in 3.1.3"]
    assert verdict.audited == 2


def test_python_vulnerability_without_a_fix_warns():
    report = {"dependencies": [pip_dep("jinja2", "3.1.2", pip_vuln([]))], "fixes": []}
    verdict = audit.python_verdict(report)
    assert not verdict.failed
    assert verdict.warnings == [
        "jinja2 3.1.2: GHSA-0000-0000-0000 (CVE-2099-0001); no fixed version yet"
    ]


def test_python_every_package_skipped_is_unreachable():
    skip = "Dependency not found on PyPI and could not be audited: rules (3.5)"
    report = {"dependencies": [{"name": "rules", "skip_reason": skip}], "fixes": []}
    verdict = audit.python_verdict(report)
    assert not verdict.failed
    assert "none of 1 packages" in verdict.unreachable


def test_python_some_skipped_still_fails_on_a_fixable_vulnerability():
    report = {
        "dependencies": [
            {"name": "carereview-local", "skip_reason": "not on the index"},
            pip_dep("django", "6.1.0", pip_vuln(["6.1.1"])),
        ],
        "fixes": [],
    }
    verdict = audit.python_verdict(report)
    assert verdict.failed
    assert verdict.warnings == ["not audited (1): carereview-local"]


@pytest.mark.parametrize(
    ("npm_fix", "pip_fixes", "status"),
    [(False, [], 0), (True, [], 1), (False, ["1.0.1"], 1)],
)
def test_main_exits_1_only_on_a_fixable_vulnerability(
    monkeypatch, capsys, npm_fix, pip_fixes, status
):
    monkeypatch.setitem(
        audit.AUDITS,
        "npm",
        lambda: audit.npm_verdict(npm_report(braces=npm_vuln("braces", npm_fix))),
    )
    monkeypatch.setitem(
        audit.AUDITS,
        "python",
        lambda: audit.python_verdict({"dependencies": [pip_dep("x", "1.0", pip_vuln(pip_fixes))]}),
    )
    assert audit.main([]) == status
    out = capsys.readouterr().out
    assert ("FAIL" in out) == bool(status)


def test_main_warns_loudly_and_passes_when_nothing_answers(monkeypatch, capsys):
    monkeypatch.setitem(audit.AUDITS, "npm", lambda: audit.npm_verdict({"message": "offline"}))
    assert audit.main(["npm"]) == 0
    assert "WARNING: npm dependencies were NOT audited: offline" in capsys.readouterr().out


def test_an_unreachable_service_is_reported_without_its_address():
    lines: list[str] = []
    verdict = audit.Verdict(
        "npm", unreachable="405 Method Not Allowed - POST https://host.invalid/-/x"
    )
    audit.report(verdict, write=lines.append)
    assert lines == [
        "WARNING: npm dependencies were NOT audited: 405 Method Not Allowed - POST "
        "(the audit service)"
    ]
