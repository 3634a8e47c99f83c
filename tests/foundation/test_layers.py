"""The layers import one way (pyproject.toml, [tool.importlinter]); `make lint` runs the check.

These tests run the real linter: once on the tree as it is, and once with a module that
imports upwards, to show the contract catches it.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs subprocesses

ROOT = Path(__file__).resolve().parents[2]


def lint_imports() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_tree_keeps_the_layers():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" in result.stdout


def test_an_upward_import_breaks_the_contract():
    probe = ROOT / "core" / f"_upward_import_probe_{os.getpid()}.py"
    probe.write_text("import alerts.models  # noqa: F401\n")
    try:
        result = lint_imports()
    finally:
        probe.unlink()
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert probe.stem in result.stdout
