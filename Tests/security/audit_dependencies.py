#!/usr/bin/env python3
"""Dependency audit (docs/security.md, "Dependency audit").

1. Swift packages: every pin in Package.resolved (what this build resolved) must be listed in
   docs/security.md with the same version and revision, and every listed one must be pinned. A
   new, removed or moved dependency fails until the table is updated, so each change is looked at
   by a person (no vulnerability database for Swift packages is reachable from CI). The rows to
   paste are printed.
2. Python test tools (pytest, playwright, schemathesis, websockets, pip-audit) and everything they
   pull in, at the versions installed: run through pip-audit. A known vulnerability fails. When
   pip-audit cannot reach a vulnerability database (PyPI's JSON API or OSV), it reports every
   package as skipped and "No known vulnerabilities found"; this script says NOT AUDITED instead,
   counts the check as skipped, and fails only with --strict (or SWITCHBOARD_AUDIT_STRICT=1),
   for machines that do have the network.

Ends with "dependency audit: N passed, N failed, N skipped"; exits 1 on any failure.
"""

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs/security.md"
BEGIN, END = "<!-- swift-packages:begin -->", "<!-- swift-packages:end -->"
TEST_TOOLS = ["pytest", "playwright", "schemathesis", "websockets", "pip-audit"]


class Audit:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0

    def result(self, status, name, lines=()):
        """Records one check: status is "ok", "FAIL" or "SKIP"; lines say why."""
        counter = {"ok": "passed", "FAIL": "failed", "SKIP": "skipped"}[status]
        setattr(self, counter, getattr(self, counter) + 1)
        print(f"{status:<4} {name}")
        for line in lines:
            print(f"       {line}")


def resolved_pins():
    """{identity: (version, revision, location)} from Package.resolved."""
    path = REPO / "Package.resolved"
    document = json.loads(path.read_text())
    pins = {}
    for pin in document["pins"]:
        state = pin["state"]
        pins[pin["identity"]] = (state.get("version") or state.get("branch") or "?", state["revision"], pin["location"])
    return pins


def direct_dependencies():
    """{identity: minimum version} of the packages Package.swift names."""
    text = (REPO / "Package.swift").read_text()
    direct = {}
    for url, version in re.findall(r'\.package\(url: "([^"]+)", from: "([^"]+)"\)', text):
        identity = url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git").lower()
        direct[identity] = version
    return direct


def documented_pins():
    """{identity: (version, short revision)} from the table between the markers in docs/security.md."""
    text = DOC.read_text()
    if BEGIN not in text or END not in text:
        return None
    table = text.split(BEGIN, 1)[1].split(END, 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| ([^ |]+) \| `([0-9a-f]{7,40})` \|", table, re.MULTILINE)
    return {identity: (version, revision) for identity, version, revision in rows}


def table_row(identity, pin, direct):
    version, revision, location = pin
    how = f"direct, from {direct[identity]}" if identity in direct else "through another package"
    source = "/".join(location.removesuffix(".git").rstrip("/").split("/")[-2:])
    return f"| `{identity}` | {version} | `{revision[:7]}` | {how} | {source} |"


def audit_swift(audit):
    if not (REPO / "Package.resolved").is_file():
        audit.result("FAIL", "Swift packages: Package.resolved is missing", ["run `swift build` first: it writes the pins this audit reads"])
        return
    pins, direct = resolved_pins(), direct_dependencies()
    documented = documented_pins()
    name = f"Swift packages: the {len(pins)} pins ({len(direct)} direct) are the ones docs/security.md lists"
    problems = []
    if documented is None:
        problems.append(f"docs/security.md has no table between {BEGIN} and {END}")
        documented = {}
    for identity, pin in sorted(pins.items()):
        listed = documented.get(identity)
        if listed is None:
            problems.append(f"{identity} {pin[0]} is resolved but not listed")
        elif listed[0] != pin[0] or not pin[1].startswith(listed[1]):
            problems.append(f"{identity} is {pin[0]} ({pin[1][:7]}) but listed as {listed[0]} ({listed[1]})")
    for identity in sorted(set(documented) - set(pins)):
        problems.append(f"{identity} is listed but no longer resolved")
    missing_direct = sorted(set(direct) - set(pins))
    if missing_direct:
        problems.append(f"Package.swift names {missing_direct}, which Package.resolved does not pin")
    if problems:
        problems.append("review the change (release notes, security advisories), then put these rows in the table:")
        problems += [table_row(identity, pin, direct) for identity, pin in sorted(pins.items())]
    audit.result("FAIL" if problems else "ok", name, problems)


def installed_closure(roots):
    """{name: version} of the installed distributions `roots` need, transitively (extras' and other
    platforms' requirements included when installed: an over-approximation, never an under-)."""
    found, queue = {}, list(roots)
    while queue:
        wanted = queue.pop()
        try:
            distribution = importlib.metadata.distribution(wanted)
        except importlib.metadata.PackageNotFoundError:
            continue
        key = distribution.metadata["Name"].lower().replace("_", "-")
        if key in found:
            continue
        found[key] = distribution.version
        for requirement in distribution.requires or []:
            match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
            if match:
                queue.append(match.group(1))
    return found


def run_pip_audit(requirements, service):
    """pip-audit's JSON answer, or None and why when it gave none."""
    command = [shutil.which("pip-audit") or "pip-audit", "-r", requirements, "--no-deps", "--disable-pip",
               "--progress-spinner", "off", "-f", "json", "-s", service]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, str(error)
    try:
        return json.loads(done.stdout), None
    except ValueError:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"exit {done.returncode}: {last[:200]}"


def audit_python(audit, strict):
    missing = [tool for tool in TEST_TOOLS if tool != "pip-audit" and installed_closure([tool]) == {}]
    closure = installed_closure(TEST_TOOLS)
    listing = ", ".join(f"{tool} {closure.get(tool, 'not installed')}" for tool in TEST_TOOLS)
    print(f"     Python test tools: {listing}; {len(closure)} distributions with their dependencies")
    if missing:
        audit.result("FAIL", "Python test tools are installed", [f"missing: {missing} (.ci/run installs them)"])
        return
    if not shutil.which("pip-audit"):
        audit.result("FAIL" if strict else "SKIP", "Python test tools: NOT AUDITED", ["pip-audit is not installed: pip install pip-audit"])
        return
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as requirements:
        requirements.write("".join(f"{name}=={version}\n" for name, version in sorted(closure.items())))
    try:
        reasons = []
        for service in ("pypi", "osv"):
            answer, error = run_pip_audit(requirements.name, service)
            if answer is None:
                reasons.append(f"{service}: pip-audit gave no answer ({error})")
                continue
            dependencies = answer.get("dependencies", [])
            audited = [d for d in dependencies if "skip_reason" not in d]
            vulnerable = [d for d in audited if d.get("vulns")]
            if vulnerable:
                lines = [f"{d['name']} {d.get('version')}: {v['id']} (fixed in {', '.join(v.get('fix_versions') or ['nothing yet'])})"
                         for d in vulnerable for v in d["vulns"]]
                audit.result("FAIL", f"Python test tools: known vulnerabilities ({service})", lines)
                return
            if audited and len(audited) == len(dependencies):
                audit.result("ok", f"Python test tools: {len(audited)} distributions, no known vulnerability ({service})")
                return
            skipped = [d for d in dependencies if "skip_reason" in d]
            reasons.append(f"{service}: {len(skipped)} of {len(dependencies)} skipped, e.g. {skipped[0]['skip_reason'] if skipped else '-'}")
        lines = ["pip-audit reached no vulnerability database (it would have said 'No known vulnerabilities found'):"] + reasons
        lines.append("this machine cannot tell whether the test tools are vulnerable; run this audit where PyPI's JSON API or OSV's API answers")
        audit.result("FAIL" if strict else "SKIP", f"Python test tools: NOT AUDITED ({len(closure)} distributions unchecked)", lines)
    finally:
        os.unlink(requirements.name)


def main():
    strict = "--strict" in sys.argv[1:] or os.environ.get("SWITCHBOARD_AUDIT_STRICT") == "1"
    audit = Audit()
    audit_swift(audit)
    audit_python(audit, strict)
    print(f"dependency audit: {audit.passed} passed, {audit.failed} failed, {audit.skipped} skipped")
    return 1 if audit.failed else 0


if __name__ == "__main__":
    sys.exit(main())
