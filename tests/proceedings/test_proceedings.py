"""Court proceedings (issue 13): each kind's workflow, allowed and refused moves, bad input
that stores nothing, and an appeal pending against a warrant shown on it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.events import Actor
from core.models import Event
from core.workflow import InvalidTransition
from tests import builders
from warrants.actions import (
    deadline_create,
    deadline_transition,
    proceeding_create,
    proceeding_transition,
    proceeding_update,
)
from warrants.models import Deadline, Proceeding
from warrants.selectors import warrants_visible_to

pytestmark = pytest.mark.django_db


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def events_of(record) -> list[str]:
    return list(
        Event.objects.filter(subject_id=record.pk).order_by("seq").values_list("type", flat=True)
    )


def appeal_of(system, case, warrant, **fields):
    return proceeding_create(
        actor=system,
        case=case,
        kind="appeal_lodged",
        court="Cour de cassation",
        date="2024-06-28",
        warrants=[warrant],
        **fields,
    )


def hearing_of(system, case, **fields):
    return proceeding_create(
        actor=system,
        case=case,
        kind="hearing",
        court="Cour de cassation",
        chamber="Assemblée plénière",
        **{"date": in_days(10), **fields},
    )


def test_a_hearing_is_scheduled_then_held_with_one_event_each(system, case):
    hearing = hearing_of(system, case, date="2025-07-04")
    assert (hearing.status, hearing.version) == ("scheduled", 1)
    held, event = proceeding_transition(
        proceeding_id=hearing.pk, transition="hold", actor=system, effective_date="2025-07-04"
    )
    assert (held.status, held.version) == ("held", 2)
    assert (event.type, event.from_status, event.to_status) == (
        "proceeding.held",
        "scheduled",
        "held",
    )
    assert events_of(hearing) == ["proceeding.created", "proceeding.held"]


def test_a_hearing_may_be_scheduled_ahead_but_not_held_before_its_day(system, case):
    hearing = hearing_of(system, case, date=in_days(30))
    with pytest.raises(ValidationError) as refused:
        proceeding_transition(proceeding_id=hearing.pk, transition="hold", actor=system)
    assert "date" in refused.value.message_dict
    hearing.refresh_from_db()
    assert (hearing.status, hearing.version) == ("scheduled", 1)
    assert events_of(hearing) == ["proceeding.created"]


def test_postponing_needs_a_note_and_cancelled_is_final(system, case):
    hearing = hearing_of(system, case)
    with pytest.raises(ValidationError):
        proceeding_transition(proceeding_id=hearing.pk, transition="postpone", actor=system)
    postponed, _ = proceeding_transition(
        proceeding_id=hearing.pk, transition="postpone", actor=system, note="Counsel unwell"
    )
    assert postponed.status == "postponed"
    cancelled, _ = proceeding_transition(
        proceeding_id=hearing.pk, transition="cancel", actor=system
    )
    assert cancelled.status == "cancelled"
    with pytest.raises(InvalidTransition) as refused:
        proceeding_transition(proceeding_id=hearing.pk, transition="hold", actor=system)
    assert refused.value.allowed == []
    assert events_of(hearing) == [
        "proceeding.created",
        "proceeding.postponed",
        "proceeding.cancelled",
    ]


def test_an_appeal_is_lodged_heard_and_decided_with_its_outcome(system, case, warrant):
    appeal = appeal_of(system, case, warrant)
    assert appeal.status == "lodged"
    with pytest.raises(InvalidTransition):  # a hearing's move, not an appeal's
        proceeding_transition(proceeding_id=appeal.pk, transition="hold", actor=system)
    with pytest.raises(ValidationError):  # the decision's date is required
        proceeding_transition(proceeding_id=appeal.pk, transition="decide", actor=system)
    proceeding_transition(
        proceeding_id=appeal.pk, transition="hear", actor=system, effective_date="2025-07-04"
    )
    decided, event = proceeding_transition(
        proceeding_id=appeal.pk,
        transition="decide",
        actor=system,
        effective_date="2025-07-25",
        outcome="Warrant annulled: personal immunity of a sitting head of state",
    )
    assert decided.status == "decided"
    assert event.data["outcome"].startswith("Warrant annulled")
    assert event.effective_date == datetime.date(2025, 7, 25)
    assert events_of(appeal) == ["proceeding.created", "proceeding.heard", "proceeding.decided"]
    with pytest.raises(InvalidTransition):
        proceeding_transition(
            proceeding_id=appeal.pk, transition="decide", actor=system, effective_date="2025-07-26"
        )


def test_a_refused_move_stores_nothing_not_even_its_outcome(system, case, warrant):
    appeal = appeal_of(system, case, warrant)
    with pytest.raises(ValidationError):
        proceeding_transition(
            proceeding_id=appeal.pk,
            transition="decide",
            actor=system,
            effective_date="2999-01-01",
            outcome="Upheld",
        )
    appeal.refresh_from_db()
    assert (appeal.status, appeal.outcome, appeal.version) == ("lodged", "", 1)
    assert events_of(appeal) == ["proceeding.created"]


def test_a_decision_is_recorded_delivered_and_nothing_moves_it(system, case, warrant):
    appeal = appeal_of(system, case, warrant)
    decision = proceeding_create(
        actor=system,
        case=case,
        kind="decision",
        court="Cour de cassation",
        date="2025-07-25",
        outcome="Annulled",
        appeal=appeal,
    )
    assert decision.status == "delivered"
    assert events_of(decision) == ["proceeding.created"]
    assert Event.objects.get(subject_id=decision.pk).effective_date == datetime.date(2025, 7, 25)
    with pytest.raises(InvalidTransition):
        proceeding_transition(proceeding_id=decision.pk, transition="decide", actor=system)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "verdict"}, "kind"),
        ({"kind": "decision", "date": "2999-01-01"}, "date"),
        ({"kind": "decision", "date": "25/07/2025"}, "date"),
        ({"court": ""}, "court"),
        ({"status": "held"}, "status"),
    ],
)
def test_bad_input_is_refused_and_creates_nothing(system, case, fields, field):
    values = {"case": case, "kind": "hearing", "court": "Cour d'appel", "date": "2025-01-10"}
    before = Event.objects.count()
    with pytest.raises(ValidationError) as refused:
        proceeding_create(actor=system, **{**values, **fields})
    assert field in refused.value.message_dict
    assert Proceeding.objects.count() == 0
    assert Event.objects.count() == before


def test_linked_warrants_and_appeals_must_belong_to_the_case(system, case, warrant):
    other = builders.case(system)
    with pytest.raises(ValidationError) as refused:
        proceeding_create(
            actor=system,
            case=other,
            kind="appeal_lodged",
            court="C",
            date="2024-06-28",
            warrants=[warrant],
        )
    assert "warrants" in refused.value.message_dict
    appeal = appeal_of(system, case, warrant)
    with pytest.raises(ValidationError) as refused:
        hearing_of(system, other, appeal=appeal)
    assert "appeal" in refused.value.message_dict
    hearing = hearing_of(system, case)
    with pytest.raises(ValidationError) as refused:
        hearing_of(system, case, appeal=hearing)  # a hearing is not an appeal
    assert "appeal" in refused.value.message_dict
    assert Proceeding.objects.filter(case=other).count() == 0


def test_kind_and_status_cannot_be_edited(system, case):
    hearing = hearing_of(system, case)
    for changes in ({"kind": "decision"}, {"status": "held"}, {"case": builders.case(system)}):
        with pytest.raises(ValidationError):
            proceeding_update(proceeding_id=hearing.pk, actor=system, **changes)
    hearing.refresh_from_db()
    assert (hearing.kind, hearing.status, hearing.version) == ("hearing", "scheduled", 1)


def test_the_database_refuses_a_status_outside_the_kinds_workflow(system, case):
    hearing = hearing_of(system, case)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proceeding.objects.filter(pk=hearing.pk).update(status="decided")  # an appeal's state
    proceeding_transition(proceeding_id=hearing.pk, transition="cancel", actor=system)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proceeding.objects.filter(pk=hearing.pk).update(status="scheduled")  # no way back


def test_who_may_record_and_move_proceedings(system, case, viewer, staff, lawyer):
    for user in (viewer,):
        with pytest.raises(PermissionDenied):
            hearing_of(Actor.for_user(user), case)
    for user in (staff, lawyer):
        hearing = hearing_of(Actor.for_user(user), case)
        proceeding_transition(
            proceeding_id=hearing.pk, transition="cancel", actor=Actor.for_user(user)
        )
    hearing = hearing_of(system, case)
    with pytest.raises(PermissionDenied):
        proceeding_transition(
            proceeding_id=hearing.pk, transition="cancel", actor=Actor.for_user(viewer)
        )


def test_an_appeal_pending_against_a_warrant_shows_on_it_until_decided(
    system, case, warrant, viewer
):
    def shown():
        row = warrants_visible_to(viewer).get(pk=warrant.pk)
        return row.appeal_pending, [a.pk for a in row.pending_appeals]

    assert shown() == (False, [])
    appeal = appeal_of(system, case, warrant)
    hearing_of(system, case, appeal=appeal)  # a hearing is not an appeal against the warrant
    assert shown() == (True, [appeal.pk])
    proceeding_transition(
        proceeding_id=appeal.pk, transition="hear", actor=system, effective_date="2025-07-04"
    )
    assert shown() == (True, [appeal.pk])
    proceeding_transition(
        proceeding_id=appeal.pk, transition="decide", actor=system, effective_date="2025-07-25"
    )
    assert shown() == (False, [])


def test_a_deadline_is_open_until_met_missed_or_cancelled(system, case, warrant):
    deadline = deadline_create(
        actor=system,
        case=case,
        kind="appeal_period",
        title="Pourvoi",
        due_on=in_days(5),
        warrant=warrant,
    )
    assert deadline.status == "open"
    met, _ = deadline_transition(deadline_id=deadline.pk, transition="meet", actor=system)
    assert met.status == "met"
    with pytest.raises(InvalidTransition):
        deadline_transition(deadline_id=deadline.pk, transition="miss", actor=system)
    assert events_of(deadline) == ["deadline.created", "deadline.met"]


def test_a_deadline_on_a_warrant_of_another_case_is_refused(system, case, warrant):
    other = builders.case(system)
    with pytest.raises(ValidationError) as refused:
        deadline_create(actor=system, case=other, title="X", due_on=in_days(3), warrant=warrant)
    assert "warrant" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        deadline_create(actor=system, case=case, title="X", due_on="soon")
    assert "due_on" in refused.value.message_dict
    assert Deadline.objects.count() == 0
