"""The production image installs the runtime set only; development keeps both in step.

pyproject.toml declares the runtime dependencies and a `dev` dependency group;
`make lock` pins them into requirements.lock (runtime, the Dockerfile's) and
requirements-dev.lock (runtime + dev, what `make` installs).
"""

import re
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text()
    return dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==(\S+)$", text, re.M))


def requirement_name(spec: str) -> str:
    return re.split(r"[\[<>=!~; ]", spec, maxsplit=1)[0].lower().replace("_", "-")


def needed_by(lock: str) -> dict[str, set[str]]:
    """Each pinned package with what needs it, from the lock's `# via` annotations."""
    needs: dict[str, set[str]] = {}
    current = ""
    for line in (ROOT / lock).read_text().splitlines():
        if match := re.match(r"^([a-z0-9][a-z0-9._-]*)==", line):
            current = match.group(1)
            needs[current] = set()
        elif current and (via := re.match(r"^\s+#\s+(?:via\s+)?([a-z0-9][\w.-]*)", line)):
            needs[current].add(via.group(1))
    return needs


def test_the_runtime_lock_has_no_development_or_test_tool():
    runtime = needed_by("requirements.lock")
    dev_only = {requirement_name(spec) for spec in PYPROJECT["dependency-groups"]["dev"]}
    for name in dev_only & set(runtime):
        # Only as a runtime package's own dependency (PyYAML for drf-spectacular).
        assert runtime[name] - {"-c", "casetracker"}, f"{name} is in the runtime lock"
    for tool in ["pytest", "playwright", "mypy", "ruff", "schemathesis", "honcho", "factory-boy"]:
        assert tool not in runtime, f"{tool} would ship in the production image"


def test_the_dev_lock_pins_every_runtime_package_at_the_same_version():
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime


def test_every_declared_dependency_is_pinned():
    dev = pins("requirements-dev.lock")
    declared = PYPROJECT["project"]["dependencies"] + PYPROJECT["dependency-groups"]["dev"]
    assert {requirement_name(spec) for spec in declared} <= set(dev)


def test_an_upper_cap_carries_its_reason():
    for line in (ROOT / "pyproject.toml").read_text().splitlines():
        if re.match(r'\s*"[^"]+<[^"]*",', line) and "requires-python" not in line:
            assert "#" in line, f"upper cap without a reason: {line.strip()}"


def test_the_image_installs_the_runtime_lock_only():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "requirements-dev.lock" not in dockerfile
    assert "--requirement requirements.lock" in dockerfile
    assert "tests" in (ROOT / ".dockerignore").read_text().split()
