"""package-lock.json is committed, matches package.json and names no registry (issue 13, 7)."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_npmrc_keeps_registry_addresses_out_of_the_lock():
    lines = (ROOT / ".npmrc").read_text().split()
    assert "omit-lockfile-registry-resolved=true" in lines


def test_lock_matches_package_json_and_has_no_resolved_addresses():
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    root = lock["packages"][""]
    assert root.get("devDependencies", {}) == package.get("devDependencies", {})
    assert root.get("dependencies", {}) == package.get("dependencies", {})
    installed = {path: meta for path, meta in lock["packages"].items() if path}
    assert installed, "the lock lists no packages"
    for path, meta in installed.items():
        assert "resolved" not in meta, f"{path} names where it was downloaded from"
        assert meta.get("integrity", "").startswith("sha512-"), f"{path} has no integrity hash"
