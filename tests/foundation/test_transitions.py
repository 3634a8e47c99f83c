"""Every transition of every workflow, from every status: allowed moves succeed, others are refused.

Generated from the workflow tables: one case per (workflow, status, transition).
"""

import pytest

from core.models import Event
from core.workflow import InvalidTransition

from .records import FLOWS, Flow

CASES = [
    pytest.param(flow, status, name, id=f"{flow.key}:{status}:{name}")
    for flow in FLOWS
    for status in flow.workflow.states
    for name in flow.workflow.transitions
]


def events_of(record) -> list[Event]:
    return list(Event.objects.filter(subject_id=record.pk).order_by("seq"))


@pytest.mark.parametrize(("flow", "status", "name"), CASES)
def test_transition_is_allowed_exactly_when_the_table_says(db, system, flow: Flow, status, name):
    record = flow.build(system, status)
    events_before, audit_before = len(events_of(record)), record.audit_trail.count()
    version_before = record.version
    transition = flow.workflow.transitions[name]

    if status not in transition.sources:
        with pytest.raises(InvalidTransition) as refused:
            flow.move(record, name, system, **flow.inputs())
        allowed = [t.name for t in flow.workflow.allowed_from(status)]
        assert refused.value.allowed == allowed
        assert f"'{name}'" in str(refused.value) and f"'{status}'" in str(refused.value)
        record.refresh_from_db()
        assert (record.status, record.version) == (status, version_before)
        assert len(events_of(record)) == events_before
        assert record.audit_trail.count() == audit_before
        return

    moved, event = flow.move(record, name, system, **flow.inputs())
    record.refresh_from_db()
    assert moved.status == record.status == transition.target
    assert record.version == version_before + 1
    new_events = events_of(record)[events_before:]
    if flow.records_events:
        assert [(e.pk, e.type, e.transition) for e in new_events] == [
            (event.pk, f"{flow.workflow.resource}.{transition.target}", name)
        ]
        assert (event.from_status, event.to_status, event.actor_name) == (
            status,
            transition.target,
            system.name,
        )
    else:
        assert new_events == []  # alerts are audited, never Events
    audit = list(record.audit_trail.order_by("pgh_id"))[audit_before:]
    assert [row.status for row in audit] == [transition.target]
    assert audit[0].pgh_context.metadata["actor"] == system.name


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.key)
def test_every_state_is_reachable_from_the_initial_one(flow: Flow):
    assert {
        s for s in flow.workflow.states if s == flow.workflow.initial or flow.path_to(s)
    } == set(flow.workflow.states)


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.key)
def test_an_unknown_transition_is_refused_and_lists_what_is_allowed(db, system, flow: Flow):
    record = flow.create(system)
    with pytest.raises(InvalidTransition) as refused:
        flow.move(record, "teleport", system, **flow.inputs())
    assert "Unknown" in str(refused.value) and "teleport" in str(refused.value)
    assert refused.value.allowed == [t.name for t in flow.workflow.allowed_from(record.status)]
    record.refresh_from_db()
    assert record.status == flow.workflow.initial
