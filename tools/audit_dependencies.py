"""Dependency audit for CI (issue 13, item 7): fail on a known vulnerability that has a fix.

    uv run python tools/audit_dependencies.py [npm] [python]    # both when none is named

* npm: `npm audit --json` over package-lock.json (every package: the front end has only
  development dependencies, and they build what is served).
* Python: `pip-audit` over `uv export --no-hashes --format requirements-txt` (the locked
  versions of every dependency, development ones included), each pinned, without resolving again.

The rule (`npm_verdict`, `python_verdict`): a vulnerability with a fixed version available FAILS
the run (exit 1): upgrading is the fix. One with no fix yet is printed as a WARNING and does not
fail, since there is nothing to upgrade to; it stays in every run's output until fixed.

An audit service that cannot be reached (no network, or a mirror that does not answer the audit
endpoint) is a loud WARNING and does not fail: CI must run where the registries are mirrors
(docs/adr/0016-static-logs-health.md). A vulnerability found is never excused that way.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess  # noqa: S404 - runs npm, uv and pip-audit with fixed arguments
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Verdict:
    ecosystem: str
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unreachable: str | None = None  # why nothing could be audited
    audited: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.failures)


def npm_verdict(report: dict) -> Verdict:
    """`npm audit --json` (report version 2): each vulnerable package, failing where
    `fixAvailable` is truthy (true, or the upgrade that fixes it)."""
    verdict = Verdict("npm")
    vulnerabilities = report.get("vulnerabilities")
    if not isinstance(vulnerabilities, dict):
        error = report.get("error") or {}
        verdict.unreachable = str(
            report.get("message") or error.get("summary") or "npm audit gave no report"
        )
        return verdict
    verdict.audited = int(
        (report.get("metadata") or {}).get("dependencies", {}).get("total", 0) or 0
    )
    for name, vuln in sorted(vulnerabilities.items()):
        advisories = [
            via.get("url") or via.get("title") or str(via)
            for via in vuln.get("via", [])
            if isinstance(via, dict)
        ]
        via = ", ".join(advisories) or "through " + ", ".join(
            v for v in vuln.get("via", []) if isinstance(v, str)
        )
        fix = vuln.get("fixAvailable")
        line = f"{name} {vuln.get('range', '')} ({vuln.get('severity', '?')}): {via}"
        if fix:
            if isinstance(fix, dict):
                line += f"; fixed by {fix.get('name')} {fix.get('version')}"
            verdict.failures.append(line)
        else:
            verdict.warnings.append(line + "; no fixed version yet")
    return verdict


def python_verdict(report: dict) -> Verdict:
    """`pip-audit --format json`: each vulnerability, failing where `fix_versions` is not empty.
    When every dependency was skipped (the service answered for none), nothing was audited."""
    verdict = Verdict("python")
    dependencies = report.get("dependencies")
    if not isinstance(dependencies, list):
        verdict.unreachable = "pip-audit gave no report"
        return verdict
    skipped = [d for d in dependencies if d.get("skip_reason")]
    verdict.audited = len(dependencies) - len(skipped)
    if dependencies and not verdict.audited:
        verdict.unreachable = (
            f"the vulnerability service answered for none of {len(dependencies)} packages "
            f"(for example: {skipped[0]['skip_reason']})"
        )
        return verdict
    if skipped:
        names = ", ".join(d["name"] for d in skipped)
        verdict.warnings.append(f"not audited ({len(skipped)}): {names}")
    for dep in dependencies:
        for vuln in dep.get("vulns") or []:
            fixes = vuln.get("fix_versions") or []
            aliases = ", ".join(vuln.get("aliases") or [])
            line = f"{dep['name']} {dep.get('version', '')}: {vuln.get('id')}"
            if aliases:
                line += f" ({aliases})"
            if fixes:
                verdict.failures.append(line + f"; fixed in {', '.join(fixes)}")
            else:
                verdict.warnings.append(line + "; no fixed version yet")
    return verdict


def _json(text: str) -> dict | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def audit_npm() -> Verdict:
    npm = shutil.which("npm")
    if npm is None:
        return Verdict("npm", unreachable="npm is not installed")
    result = subprocess.run(  # noqa: S603
        [npm, "audit", "--json"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    report = _json(result.stdout)
    if report is None:
        return Verdict("npm", unreachable=(result.stderr.strip() or "no output")[-500:])
    return npm_verdict(report)


def audit_python() -> Verdict:
    uv = shutil.which("uv")
    if uv is None:
        return Verdict("python", unreachable="uv is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        requirements = Path(tmp) / "requirements.txt"
        subprocess.run(  # noqa: S603
            [
                uv,
                "export",
                "--no-hashes",
                "--format",
                "requirements-txt",
                "--no-emit-project",
                "--quiet",
                "--output-file",
                str(requirements),
            ],
            cwd=ROOT,
            check=True,
        )
        result = subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "pip_audit",
                "--requirement",
                str(requirements),
                "--no-deps",
                "--disable-pip",
                "--format",
                "json",
                "--progress-spinner",
                "off",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    report = _json(result.stdout)
    if report is None:
        return Verdict("python", unreachable=(result.stderr.strip() or "no output")[-500:])
    return python_verdict(report)


def report(verdict: Verdict, write=print) -> None:
    if verdict.unreachable:
        # The service's own words, without its address: the log names no registry host.
        why = re.sub(r"\bhttps?://\S+", "(the audit service)", verdict.unreachable)
        write(f"WARNING: {verdict.ecosystem} dependencies were NOT audited: {why}")
        return
    for line in verdict.warnings:
        write(f"WARNING ({verdict.ecosystem}): {line}")
    for line in verdict.failures:
        write(f"FAIL ({verdict.ecosystem}): {line}")
    write(
        f"{verdict.ecosystem}: {verdict.audited} packages audited, "
        f"{len(verdict.failures)} vulnerable with a fix available"
    )


AUDITS = {"npm": audit_npm, "python": audit_python}


def main(argv: list[str]) -> int:
    names = argv or list(AUDITS)
    unknown = set(names) - set(AUDITS)
    if unknown:
        print(f"usage: audit_dependencies.py [{' '.join(AUDITS)}]", file=sys.stderr)
        return 2
    verdicts = [AUDITS[name]() for name in names]
    for verdict in verdicts:
        report(verdict)
    return 1 if any(v.failed for v in verdicts) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
