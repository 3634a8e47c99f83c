"""docs/api.md's curl and Python examples run, in order, against a live test server."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from core.keys import api_key_create

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
BLOCKS = re.findall(r"```(sh|python)\n(.*?)```", DOC.read_text(), flags=re.S)


def test_the_quickstart_has_curl_and_python_examples():
    kinds = [kind for kind, _ in BLOCKS]
    assert kinds.count("sh") >= 3 and kinds.count("python") >= 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_quickstart_examples_run(live_server, world, staff):
    _, key = api_key_create(owner=staff, name="docs", scope="write")
    env = {**os.environ, "CT": live_server.url, "CT_KEY": key, "WARRANT": str(world.warrant.pk)}
    outputs = []
    for kind, code in BLOCKS:
        if kind == "python" and code.lstrip().startswith("def register"):
            continue  # a developer's snippet, not a client example
        command = ["bash", "-euo", "pipefail", "-c", code] if kind == "sh" else [sys.executable]
        result = subprocess.run(
            command,
            input=code if kind == "python" else None,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert result.returncode == 0, f"{kind} example failed:\n{code}\n{result.stderr}"
        outputs.append(result.stdout)
    assert str(world.warrant.pk) in outputs[0]  # the warrant list
    assert any("warrant.created" in out for out in outputs)  # the feed
    assert '"status":"issued"' in outputs[-2]  # the curl transition
