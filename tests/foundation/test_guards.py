"""Guards and required inputs of transitions: refused with the field named, nothing stored."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import Event
from tests import builders
from warrants.actions import notice_create, notice_transition, warrant_transition

from .records import FLOWS, PAST_DAY, Flow

REQUIRED_INPUTS = [
    pytest.param(flow, t.name, needed, id=f"{flow.key}:{t.name}:{needed}")
    for flow in FLOWS
    for t in flow.workflow.transitions.values()
    for needed in t.requires
]


def assert_nothing_stored(record, status: str, version: int, events: int) -> None:
    record.refresh_from_db()
    assert (record.status, record.version) == (status, version)
    assert Event.objects.filter(subject_id=record.pk).count() == events


@pytest.mark.parametrize(("flow", "name", "needed"), REQUIRED_INPUTS)
def test_a_transition_without_its_required_input_is_refused(db, system, flow: Flow, name, needed):
    status = flow.workflow.transitions[name].sources[0]
    record = flow.build(system, status)
    events = Event.objects.filter(subject_id=record.pk).count()
    inputs = {**flow.inputs(), needed: ""}
    with pytest.raises(ValidationError) as refused:
        flow.move(record, name, system, **inputs)
    assert needed in refused.value.message_dict
    assert name in refused.value.message_dict[needed][0]
    assert_nothing_stored(record, status, record.version, events)


def test_the_tables_require_what_the_domain_says():
    warrant = next(f for f in FLOWS if f.key == "warrant").workflow.transitions
    assert warrant["challenge"].requires == ("note",)
    assert warrant["uphold"].requires == warrant["annul"].requires == ("effective_date",)


@pytest.mark.parametrize("flow", [f for f in FLOWS if f.records_events], ids=lambda f: f.key)
def test_an_effective_date_in_the_future_is_refused(db, system, flow: Flow):
    record = flow.create(system)
    name = flow.workflow.allowed_from(record.status)[0].name
    # The day after today anywhere on Earth (core.dates).
    future = timezone.localdate() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as refused:
        flow.move(record, name, system, note="n", effective_date=future)
    assert "future" in refused.value.message_dict["effective_date"][0]
    assert_nothing_stored(record, flow.workflow.initial, record.version, 1)


@pytest.fixture
def red_notice(db, system, case, accused):
    warrant = builders.warrant(system, case, accused.party, issued_on="2023-11-14")
    return builders.red_notice(system, warrant)


def test_publishing_a_red_notice_needs_its_warrant_issued(system, red_notice):
    warrant_transition(
        warrant_id=red_notice.warrant_id,
        transition="annul",
        actor=system,
        effective_date="2025-07-25",
    )
    with pytest.raises(ValidationError) as refused:
        notice_transition(notice_id=red_notice.pk, transition="publish", actor=system)
    assert refused.value.message_dict["warrant"] == [
        "A red notice needs an issued warrant; its warrant is annulled."
    ]
    assert_nothing_stored(red_notice, "requested", red_notice.version, 1)


def test_reinstating_a_red_notice_needs_its_warrant_issued(system, red_notice):
    notice_transition(notice_id=red_notice.pk, transition="publish", actor=system)
    notice_transition(notice_id=red_notice.pk, transition="suspend", actor=system)
    warrant_transition(
        warrant_id=red_notice.warrant_id, transition="annul", actor=system, effective_date=PAST_DAY
    )
    red_notice.refresh_from_db()
    events = Event.objects.filter(subject_id=red_notice.pk).count()
    with pytest.raises(ValidationError) as refused:
        notice_transition(notice_id=red_notice.pk, transition="reinstate", actor=system)
    assert "warrant" in refused.value.message_dict
    assert_nothing_stored(red_notice, "suspended", red_notice.version, events)


def test_a_red_notice_is_published_and_reinstated_while_its_warrant_is_issued(system, red_notice):
    notice_transition(notice_id=red_notice.pk, transition="publish", actor=system)
    notice_transition(notice_id=red_notice.pk, transition="suspend", actor=system)
    notice, event = notice_transition(notice_id=red_notice.pk, transition="reinstate", actor=system)
    assert (notice.status, event.type) == ("published", "notice.published")


def test_other_notices_publish_without_a_warrant(system, accused):
    notice = notice_create(
        actor=system, kind="yellow", subject=accused.party, requesting_country="FR"
    )
    notice, event = notice_transition(notice_id=notice.pk, transition="publish", actor=system)
    assert (notice.status, event.type) == ("published", "notice.published")
