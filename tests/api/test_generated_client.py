"""A client generated from /api/schema/ by openapi-python-client lists warrants and performs a
transition against the live test server."""

import datetime
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from core.keys import api_key_create

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def generated_client(tmp_path: Path):
    schema = Client().get("/api/schema/?format=json")
    assert schema.status_code == 200
    (tmp_path / "schema.json").write_text(json.dumps(schema.json()))
    (tmp_path / "config.yml").write_text("post_hooks: []\n")
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "openapi-python-client"),
            "generate",
            "--path",
            "schema.json",
            "--meta",
            "none",
            "--output-path",
            "casetracker_client",
            "--config",
            "config.yml",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Unable to" not in result.stdout, result.stdout  # an operation it had to skip
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module("casetracker_client")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("casetracker_client")]:
            del sys.modules[name]


def test_a_generated_client_lists_warrants_and_issues_one(
    generated_client, live_server, world, staff
):
    from casetracker_client import AuthenticatedClient
    from casetracker_client.api.warrants import (
        warrants_list,
        warrants_retrieve,
        warrants_transitions_create,
    )
    from casetracker_client.models import (
        Problem,
        TransitionRequest,
        Warrant,
        WarrantsListStatusItem,
    )

    _, key = api_key_create(owner=staff, name="generated", scope="write")
    client = AuthenticatedClient(base_url=live_server.url, token=key)

    page = warrants_list.sync(client=client, status=[WarrantsListStatusItem("requested")])
    assert [w.id for w in page.results] == [world.warrant.pk]
    assert page.results[0].subject_summary.name == world.person.name

    issued = warrants_transitions_create.sync(
        id=world.warrant.pk,
        client=client,
        body=TransitionRequest(transition="issue", effective_date=datetime.date(2023, 11, 14)),
    )
    assert isinstance(issued, Warrant)
    assert (issued.status, issued.issued_on) == ("issued", datetime.date(2023, 11, 14))

    again = warrants_transitions_create.sync(
        id=world.warrant.pk, client=client, body=TransitionRequest(transition="issue")
    )
    assert isinstance(again, Problem) and again.status == 409
    assert "annul" in again.allowed_transitions

    fetched = warrants_retrieve.sync(id=world.warrant.pk, client=client)
    assert fetched.version == issued.version
