"""Every workflow of every record, and how to build a record in any of its states.

Records are built and moved through the real actions (so each step leaves its
Event and audit rows), never by writing `status` directly: the tests here are
about what those actions and the database guards allow.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from alerts.actions import alert_transition
from alerts.models import Alert
from cases.actions import (
    case_transition,
    charge_transition,
    participation_create,
    participation_transition,
    representation_create,
    representation_transition,
)
from cases.models import PARTICIPATION_WORKFLOWS, Case, Charge, Participation, Representation
from core.events import Actor
from core.workflow import Workflow
from tests import builders
from warrants.actions import (
    deadline_create,
    deadline_transition,
    notice_transition,
    proceeding_create,
    proceeding_transition,
    warrant_transition,
)
from warrants.models import Deadline, Notice, Proceeding, Warrant
from warrants.workflows import PROCEEDING_WORKFLOWS

PAST_DAY = "2024-06-26"


def _participation(actor: Actor, role: str):
    case = builders.case(actor)
    return participation_create(actor=actor, case=case, party=builders.person(actor), role=role)


def _representation(actor: Actor):
    client = _participation(actor, "plaintiff")
    return representation_create(
        actor=actor, counsel=builders.person(actor), client=client, bar="Paris Bar"
    )


def _charge(actor: Actor):
    case = builders.case(actor)
    return builders.charge(actor, case, builders.accused(actor, case))


def _warrant(actor: Actor, **fields):
    case = builders.case(actor)
    return builders.warrant(actor, case, builders.person(actor), **fields)


def _notice(actor: Actor):
    # A red notice on an issued warrant, so publish/reinstate pass their guard.
    return builders.red_notice(actor, _warrant(actor, issued_on="2023-11-14"))


def _proceeding(actor: Actor, kind: str):
    # Dated in the past, so a hearing may be held (its guard) and a decision recorded.
    return proceeding_create(
        actor=actor, case=builders.case(actor), kind=kind, court="Cour d'appel", date=PAST_DAY
    )


def _deadline(actor: Actor):
    return deadline_create(
        actor=actor, case=builders.case(actor), title="Appeal period", due_on=PAST_DAY
    )


def _alert(actor: Actor):
    # Alerts are raised by the pipeline, not by an action of the kernel.
    return Alert.objects.create(severity="normal", title="Test alert")


Move = Callable[..., Any]


def _move(action: Callable[..., Any], id_name: str) -> Move:
    def move(record, transition: str, actor: Actor, **inputs):
        return action(**{id_name: record.pk}, transition=transition, actor=actor, **inputs)

    return move


def _alert_move(record, transition: str, actor: Actor, **inputs):
    return alert_transition(alert_id=record.pk, transition=transition, actor=actor), None


@dataclass(frozen=True)
class Flow:
    """A workflow, how to create a record in its initial state and how to move it."""

    key: str
    workflow: Workflow
    create: Callable[[Actor], Any]
    move: Move
    model: type
    role: str = ""

    @property
    def records_events(self) -> bool:
        return self.model is not Alert

    def path_to(self, status: str) -> list[str]:
        """The shortest sequence of transitions from the initial status to `status`."""
        paths: dict[str, list[str]] = {self.workflow.initial: []}
        queue = deque([self.workflow.initial])
        while queue:
            here = queue.popleft()
            for t in self.workflow.allowed_from(here):
                if t.target not in paths:
                    paths[t.target] = [*paths[here], t.name]
                    queue.append(t.target)
        return paths[status]

    def build(self, actor: Actor, status: str):
        """A new record in `status`, reached through the transitions."""
        record = self.create(actor)
        for name in self.path_to(status):
            record = self.move(record, name, actor, **self.inputs())[0]
        return record

    def inputs(self) -> dict[str, str]:
        return {} if self.model is Alert else {"note": "test note", "effective_date": PAST_DAY}


FLOWS = [
    Flow("case", Case.WORKFLOW, builders.case, _move(case_transition, "case_id"), Case),
    *[
        Flow(
            f"participation-{role}",
            workflow,
            partial(_participation, role=role),
            _move(participation_transition, "participation_id"),
            Participation,
            role,
        )
        for role, workflow in PARTICIPATION_WORKFLOWS.items()
    ],
    Flow(
        "representation",
        Representation.WORKFLOW,
        _representation,
        _move(representation_transition, "representation_id"),
        Representation,
    ),
    Flow(
        "charge",
        Charge.WORKFLOW,
        _charge,
        _move(charge_transition, "charge_id"),
        Charge,
    ),
    Flow("warrant", Warrant.WORKFLOW, _warrant, _move(warrant_transition, "warrant_id"), Warrant),
    Flow("notice", Notice.WORKFLOW, _notice, _move(notice_transition, "notice_id"), Notice),
    *[
        Flow(
            f"proceeding-{kind}",
            workflow,
            partial(_proceeding, kind=kind),
            _move(proceeding_transition, "proceeding_id"),
            Proceeding,
            kind,
        )
        for kind, workflow in PROCEEDING_WORKFLOWS.items()
        if workflow.transitions  # a decision or judgment is delivered once and for all
    ],
    Flow(
        "deadline",
        Deadline.WORKFLOW,
        _deadline,
        _move(deadline_transition, "deadline_id"),
        Deadline,
    ),
    Flow("alert", Alert.WORKFLOW, _alert, _alert_move, Alert),
]
FLOW_IDS = [flow.key for flow in FLOWS]
