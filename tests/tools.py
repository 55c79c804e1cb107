"""External checkers the suite runs: the Nu HTML checker and Debian's chromium.

When a tool is missing the tests that need it are skipped, unless HUB_STRICT_TOOLS
is set (CI sets it), in which case they fail: CI must never pass by skipping.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path("/usr/bin/chromium")


def require_tool(available, what):
    if available:
        return
    message = f"{what} is not installed (run `make test`, which installs it)"
    if os.environ.get("HUB_STRICT_TOOLS"):
        pytest.fail(message)
    pytest.skip(message)


def html_problems(documents):
    """Check {name: html} with the Nu checker in one run; return its errors and warnings."""
    require_tool(VNU_JAR.exists() and shutil.which("java"), "The Nu HTML checker (vnu-jar, Java)")
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, html in documents.items():
            path = Path(tmp) / f"{len(paths):03d}.html"
            path.write_text(html, encoding="utf-8")
            paths[str(path)] = name
        result = subprocess.run(
            ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *paths],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{paths.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: "
        f"line {m.get('lastLine')}: {m['type']}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error") or m.get("subType") == "warning"
    ]
