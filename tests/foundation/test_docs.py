"""docs/workflows.md is generated from the workflow tables and must match them."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from core.workflow import StatusGuard
from web.management.commands import workflow_docs

from .records import FLOWS


def test_workflows_md_is_up_to_date_with_the_tables():
    committed = workflow_docs.DOC_PATH.read_text(encoding="utf-8")
    assert committed == workflow_docs.render(), "docs/workflows.md is stale: run `make docs`"


def test_the_check_option_fails_on_a_stale_file(tmp_path, monkeypatch):
    stale = tmp_path / "workflows.md"
    stale.write_text("# old\n", encoding="utf-8")
    monkeypatch.setattr(workflow_docs, "DOC_PATH", stale)
    with pytest.raises(CommandError, match="out of date"):
        call_command("workflow_docs", "--check")
    call_command("workflow_docs")
    call_command("workflow_docs", "--check")
    assert stale.read_text(encoding="utf-8") == workflow_docs.render()


def guarded_models() -> set[type]:
    return {
        model
        for model in apps.get_models()
        if any(isinstance(t, StatusGuard) for t in getattr(model._meta, "triggers", []))
    }


def test_every_guarded_model_is_documented_and_tested():
    documented = {item.model for item in workflow_docs.documented_workflows()}
    assert guarded_models() == documented == {flow.model for flow in FLOWS}


def test_every_workflow_appears_with_its_diagram_and_every_transition():
    text = workflow_docs.render()
    for item in workflow_docs.documented_workflows():
        assert item.workflow.mermaid() in text
        for name in item.workflow.transitions:
            assert f"| `{name}` |" in text
    assert "django-fsm-2" in text and "pgtrigger.FSM" in text
