"""The workflow engine: each record's status table, declared once.

A `Workflow` is data: its states, its initial state and its named
transitions. The transition actions (`<app>/actions.py`), the admin, the API,
the database guard (`StatusGuard`) and `docs/workflows.md` all read the same
table, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pgtrigger
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy

Guard = Callable[[Any], None]
"""A guard receives the locked record and raises ValidationError to refuse."""


class InvalidTransition(Exception):
    """The transition is unknown, or not allowed from the record's status."""

    def __init__(self, workflow: Workflow, status: str, transition: str):
        self.workflow, self.status, self.transition = workflow, status, transition
        self.allowed = [t.name for t in workflow.allowed_from(status)]
        if transition not in workflow.transitions:
            msg = f"Unknown {workflow.resource} transition '{transition}'."
        else:
            msg = f"A {workflow.resource} cannot '{transition}' when its status is '{status}'."
        allowed = ", ".join(self.allowed) or "none"
        super().__init__(f"{msg} Allowed now: {allowed}.")


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    label: str = ""
    requires: tuple[str, ...] = ()
    """Inputs that must be given explicitly: "note" and/or "effective_date"."""
    sets_date: str = ""
    """A date field of the record set to the transition's effective date."""
    guards: tuple[Guard, ...] = ()
    irreversible: bool = False

    def check_inputs(self, *, note: str, effective_date_given: bool) -> None:
        errors = {}
        if "note" in self.requires and not note.strip():
            errors["note"] = f"'{self.name}' needs a note ({self.label or 'say why'})."
        if "effective_date" in self.requires and not effective_date_given:
            errors["effective_date"] = f"'{self.name}' needs the date of the decision."
        if errors:
            raise ValidationError(errors)

    def check_guards(self, record: Any) -> None:
        for guard in self.guards:
            guard(record)


@dataclass(frozen=True)
class Workflow:
    resource: str
    states: tuple[str, ...]
    initial: str
    transitions: dict[str, Transition] = field(default_factory=dict)
    permission: str = ""
    """Permission (app_label.codename) needed to perform any of its transitions."""

    @classmethod
    def build(
        cls,
        resource: str,
        *,
        states: Sequence[str],
        initial: str,
        transitions: Iterable[Transition],
        permission: str = "",
    ) -> Workflow:
        table = {t.name: t for t in transitions}
        for t in table.values():
            unknown = {*t.sources, t.target} - set(states)
            assert not unknown, f"{resource}.{t.name} uses unknown states {unknown}"
        return cls(resource, tuple(states), initial, table, permission)

    def move(self, status: str, name: str) -> Transition:
        transition = self.transitions.get(name)
        if transition is None or status not in transition.sources:
            raise InvalidTransition(self, status, name)
        return transition

    def allowed_from(self, status: str) -> list[Transition]:
        return [t for t in self.transitions.values() if status in t.sources]

    def allowed_for(self, record: Any, user: Any) -> list[Transition]:
        """The transitions `user` may perform on `record` now: by status, permission and guards.

        The one rule every surface offers from (API `allowed_transitions`, the web's
        buttons, the admin's); the transition action checks the same again under lock.
        """
        if self.permission and not user.has_perm(self.permission):
            return []
        offered = []
        for transition in self.allowed_from(record.status):
            try:
                transition.check_guards(record)
            except ValidationError:
                continue
            offered.append(transition)
        return offered

    def edges(self) -> set[tuple[str, str]]:
        return {(s, t.target) for t in self.transitions.values() for s in t.sources}

    def choices(self) -> list[tuple[str, Any]]:
        # Lazy labels with the msgids of web/vocabulary.py, so forms and filters
        # show statuses in the reader's language while migrations keep the English text.
        return [(s, gettext_lazy(s.replace("_", " "))) for s in self.states]

    def mermaid(self) -> str:
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial}"]
        for t in self.transitions.values():
            lines += [f"    {s} --> {t.target}: {t.name}" for s in t.sources]
        return "\n".join(lines)


class StatusGuard(pgtrigger.Trigger):
    """A BEFORE UPDATE trigger refusing any status change the workflow table does not allow.

    It catches what Python cannot: `QuerySet.update()`, raw SQL, another
    program. With `discriminator`, the allowed moves depend on another column
    (a participation's role). Errors use SQLSTATE 23514 (check_violation), so
    Django raises IntegrityError.
    """

    when = pgtrigger.Before
    operation = pgtrigger.Update

    def __init__(
        self,
        *,
        workflows: dict[str, Workflow] | Workflow,
        discriminator: str = "",
        name: str = "status_guard",
    ):
        self.workflows = workflows if isinstance(workflows, dict) else {"": workflows}
        self.discriminator = discriminator
        condition = pgtrigger.Q(old__status__df=pgtrigger.F("new__status"))
        super().__init__(name=name, condition=condition)

    def get_func(self, model: Any) -> str:
        branches = []
        for key, workflow in sorted(self.workflows.items()):
            pairs = ",".join(f"'{a}:{b}'" for a, b in sorted(workflow.edges()))
            test = f"OLD.status || ':' || NEW.status = ANY(ARRAY[{pairs}]::text[])"
            if self.discriminator:
                test = f"(NEW.{self.discriminator} = '{key}' AND {test})"
            branches.append(test)
        allowed = " OR ".join(branches)
        return self.format_sql(
            f"""
            IF NOT ({allowed}) THEN
                RAISE EXCEPTION 'status of % cannot change from "%" to "%": not in its workflow',
                    TG_TABLE_NAME, OLD.status, NEW.status
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
            """
        )


def status_check(workflow: Workflow, name: str) -> models.CheckConstraint:
    """A CHECK constraint allowing only the workflow's states."""
    return models.CheckConstraint(
        condition=models.Q(status__in=workflow.states),
        name=name,
        violation_error_message=(f"status must be one of: {', '.join(workflow.states)}."),
    )
