"""Fails when an installed dependency has a known vulnerability that a release fixes.

Runs pip-audit on the project's virtualenv (PyPI's advisory data). Vulnerabilities without a
fixed release are listed but do not fail the run: there is nothing to upgrade to yet.
"""

from __future__ import annotations

import json
import subprocess
import sys

command = [
    sys.executable,
    "-m",
    "pip_audit",
    "--local",
    "--skip-editable",
    "--format",
    "json",
    "--progress-spinner",
    "off",
]
result = subprocess.run(command, capture_output=True, text=True)
if result.returncode not in (0, 1) or not result.stdout.strip():
    sys.exit(f"pip-audit could not run:\n{result.stderr}")
report = json.loads(result.stdout)
fixable, unfixed = [], []
for dependency in report["dependencies"]:
    for vuln in dependency.get("vulns", []):
        line = f"{dependency['name']} {dependency['version']}: {vuln['id']}"
        if vuln.get("fix_versions"):
            fixable.append(f"{line} (fixed in {', '.join(vuln['fix_versions'])})")
        else:
            unfixed.append(line)
for line in unfixed:
    print(f"known, no fix released yet: {line}")
if fixable:
    sys.exit("Upgrade these dependencies:\n" + "\n".join(fixable))
print(f"Dependency audit: {len(report['dependencies'])} packages, no fixable vulnerability.")
