"""Write docs/workflows.md from the workflow tables, so the docs cannot drift from the code.

The generated part (tables and diagrams) comes from the same `Workflow`
objects the actions, the admin, the API and the `StatusGuard` triggers read;
the hand-written part (`RATIONALE`) explains the choices. A test regenerates
the file and fails when the committed copy differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models

from alerts.models import Alert
from cases.models import PARTICIPATION_WORKFLOWS, Case, Charge, Participation, Representation
from core.workflow import Transition, Workflow
from warrants.models import Deadline, Notice, Proceeding, Warrant
from warrants.workflows import PROCEEDING_WORKFLOWS

DOC_PATH = Path(settings.BASE_DIR) / "docs" / "workflows.md"


@dataclass(frozen=True)
class Documented:
    """One workflow as documented: a record (and, for participations, the roles using it)."""

    title: str
    model: type[models.Model]
    workflow: Workflow
    roles: tuple[str, ...] = ()
    discriminator: str = "roles"

    @property
    def anchor(self) -> str:
        return self.title.lower().replace(" ", "-").replace(":", "").replace(",", "")


def participation_workflows() -> list[tuple[Workflow, tuple[str, ...]]]:
    """Participation workflows with the roles that use each, in table order."""
    grouped: dict[int, tuple[Workflow, list[str]]] = {}
    for role, workflow in PARTICIPATION_WORKFLOWS.items():
        grouped.setdefault(id(workflow), (workflow, []))[1].append(role)
    return [(workflow, tuple(roles)) for workflow, roles in grouped.values()]


def proceeding_workflows() -> list[tuple[Workflow, tuple[str, ...]]]:
    """Proceeding workflows with the kinds that use each, in table order."""
    grouped: dict[int, tuple[Workflow, list[str]]] = {}
    for kind, workflow in PROCEEDING_WORKFLOWS.items():
        grouped.setdefault(id(workflow), (workflow, []))[1].append(kind)
    return [(workflow, tuple(kinds)) for workflow, kinds in grouped.values()]


def documented_workflows() -> list[Documented]:
    """Every workflow of every record, in the order the docs show them."""
    items = [Documented("Case", Case, Case.WORKFLOW)]
    for workflow, roles in participation_workflows():
        items.append(
            Documented(f"Participation: {', '.join(roles)}", Participation, workflow, roles)
        )
    items += [
        Documented("Representation", Representation, Representation.WORKFLOW),
        Documented("Charge", Charge, Charge.WORKFLOW),
        Documented("Warrant", Warrant, Warrant.WORKFLOW),
        Documented("Notice", Notice, Notice.WORKFLOW),
    ]
    for workflow, kinds in proceeding_workflows():
        items.append(
            Documented(f"Proceeding: {', '.join(kinds)}", Proceeding, workflow, kinds, "kinds")
        )
    items += [
        Documented("Deadline", Deadline, Deadline.WORKFLOW),
        Documented("Alert", Alert, Alert.WORKFLOW),
    ]
    return items


# Follow-ups done by the named action, not by the table (keep in step with */actions.py;
# tests/foundation/test_derived_facts.py checks the warrant one).
FOLLOW_UPS = {("warrant", "execute"): "sets the subject's custody to `detained`"}
CREATION = {"warrant": "created as `requested`, or as `issued` when `issued_on` is given"}


def _needs(resource: str, transition: Transition) -> str:
    needs = []
    if "note" in transition.requires:
        needs.append(f"note ({transition.label})" if transition.label else "note")
    elif transition.label:
        needs.append(f"({transition.label})")
    if "effective_date" in transition.requires:
        needs.append("effective_date (the decision's date)")
    if transition.sets_date:
        needs.append(f"sets `{transition.sets_date}` to the effective date")
    for guard in transition.guards:
        doc = (guard.__doc__ or "").strip().splitlines()
        needs.append(f"guard `{guard.__name__}`" + (f": {doc[0]}" if doc else ""))
    if (resource, transition.name) in FOLLOW_UPS:
        needs.append(FOLLOW_UPS[resource, transition.name])
    return "; ".join(needs)


def _section(item: Documented) -> list[str]:
    wf = item.workflow
    meta = item.model._meta
    lines = [f"## {item.title}", ""]
    created = CREATION.get(wf.resource, f"created as `{wf.initial}`")
    facts = [f"Record `{meta.label}`", created]
    if item.roles:
        facts.insert(1, f"{item.discriminator} " + ", ".join(f"`{r}`" for r in item.roles))
    if wf.permission:
        facts.append(f"transitions need the permission `{wf.permission}`")
    lines += ["; ".join(facts) + ".", ""]
    lines += ["States: " + ", ".join(f"`{s}`" for s in wf.states) + ".", ""]
    lines += [
        "| transition | from | to | needs / guards | irreversible |",
        "|---|---|---|---|---|",
    ]
    for t in wf.transitions.values():
        sources = ", ".join(t.sources)
        irreversible = "yes" if t.irreversible else ""
        lines.append(
            f"| `{t.name}` | {sources} | {t.target} | {_needs(wf.resource, t)} | {irreversible} |"
        )
    lines += ["", "```mermaid", wf.mermaid(), "```", ""]
    return lines


def render() -> str:
    """The whole of docs/workflows.md."""
    items = documented_workflows()
    lines = [
        "# Workflows",
        "",
        "<!-- Generated by `python manage.py workflow_docs` (`make docs`) from the workflow",
        "     tables in */workflows.py. Do not edit by hand: tests/foundation/test_docs.py",
        "     fails when this file differs from what the tables produce. The last section",
        "     is kept in web/management/commands/workflow_docs.py. -->",
        "",
        "Every record with a status moves only through the named transitions below.",
        "A transition takes an optional `note` and `effective_date` (the legal date,",
        "default today, never in the future) plus what its row names, and records one",
        "Event (`<resource>.<new status>`), except alerts, whose changes are audited only.",
        "",
        "| workflow | record | created as | transitions |",
        "|---|---|---|---|",
    ]
    for item in items:
        lines.append(
            f"| [{item.title}](#{item.anchor}) | `{item.model._meta.label}` | "
            f"`{item.workflow.initial}` | {len(item.workflow.transitions)} |"
        )
    lines += ["", "A participation's workflow depends on its role:", ""]
    lines += ["| role | created as | transitions |", "|---|---|---|"]
    for role, workflow in PARTICIPATION_WORKFLOWS.items():
        names = ", ".join(f"`{t}`" for t in workflow.transitions)
        lines.append(f"| {role} | `{workflow.initial}` | {names} |")
    lines += ["", "A proceeding's workflow depends on its kind:", ""]
    lines += ["| kind | created as | transitions |", "|---|---|---|"]
    for kind, workflow in PROCEEDING_WORKFLOWS.items():
        names = ", ".join(f"`{t}`" for t in workflow.transitions) or "none"
        lines.append(f"| {kind} | `{workflow.initial}` | {names} |")
    lines.append("")
    for item in items:
        lines += _section(item)
    return "\n".join(lines) + RATIONALE


RATIONALE = """
## Why it works this way

### One table per workflow, read by everything

Each workflow is declared once, as data (`core/workflow.py`: `Workflow`,
`Transition`), in `cases/workflows.py`, `warrants/workflows.py` and
`alerts/workflows.py`. The transition actions, the admin, the API's
`allowed_transitions`, the database guard and this page all read the same
objects, so they cannot disagree. A participation has one table per role
(plaintiff, accused, every other role), chosen by `Participation.workflow`.

### One way to change a status: the transition action

`core.actions.record_transition` (wrapped by `warrant_transition`,
`notice_transition`, ...) runs in one transaction: it locks the row
(`SELECT ... FOR UPDATE`), checks the move against the table, checks the
required inputs (a challenge needs a note; uphold, annul, convict, acquit and
judgments need the decision's date) and the guards (a red notice is published
or reinstated only while its warrant is `issued`), refuses effective dates in
the future, bumps `version`, saves, runs the record's follow-up (executing a
warrant marks its subject `detained`) and appends exactly one Event. Any
error rolls all of it back. Two concurrent transitions on one record queue on
the row lock; the second sees the first's result and is refused if its move is
no longer allowed.

### The database refuses what the table does not allow: `StatusGuard`

Python checks are bypassed by `QuerySet.update()`, raw SQL, a shell or
another program. `StatusGuard` (a `django-pgtrigger` trigger generated from
the table) is a `BEFORE UPDATE` trigger that refuses any status change that
is not an edge of the workflow, with SQLSTATE 23514 (`check_violation`, so
Django raises `IntegrityError`) and a message naming the table and both
statuses. For participations it takes the role as a discriminator, so an
accused and a plaintiff follow different tables in the same column. A
`CHECK` constraint per model keeps the column within the workflow's states.

What we evaluated:

- **django-fsm-2** declares transitions as model methods decorated with
  `@transition(field=..., source=..., target=...)`; calling the method changes
  the state in memory and `save()` persists it. `protected=True` only blocks
  assigning the attribute in Python, and `ConcurrentTransitionMixin` checks
  the state on `save()`. Nothing runs in the database, so `QuerySet.update()`
  and raw SQL can store any status. Its transitions are also spread over
  decorated methods rather than one table we can hand to the API, the admin,
  a trigger and these docs, and a role-dependent workflow would need one
  field per role or conditions in code.
- **django-pgtrigger** ships `pgtrigger.FSM(field=..., transitions=[(old,
  new), ...])`, a trigger enforcing a flat list of allowed pairs on one
  column. It protects the database but knows only pairs: no names, no
  required inputs or guards, no role-dependent tables, and it raises a plain
  exception (SQLSTATE P0001) rather than a check violation.

We chose our own table plus a `pgtrigger.Trigger` subclass (`StatusGuard`):
pgtrigger installs, versions and migrates the trigger like any other; the
table stays the single source for names, guards, required inputs,
participation roles, error messages (`InvalidTransition` lists what is
allowed now) and this page.

### Events are append-only, and the feed never skips one

`core.models.Event` has triggers refusing UPDATE, DELETE and TRUNCATE,
whoever asks (ORM or raw SQL), save one change: the stamp of its feed
position. Each transition, creation and INTERPOL listing observation appends
one Event in the same transaction as the change, so an Event exists exactly
when its change committed. Transactions commit out of the order in which they
inserted their events, so the feed does not order by insertion: once an event
has committed, `core.feed` stamps it with the next `feed_position` (its `seq`
on the wire), stamps being serialised by a transaction-level advisory lock, and
the feed (`core.selectors.feed_events_visible_to`) serves stamped events only,
in position order. Whoever has seen position N has seen every lower one, and an
event committing later gets a higher one: a client that read up to `seq` N and
asks for `after=N` never misses an event. Nothing outside this database (no
transaction elsewhere on the server) holds the feed back.

### `version` is kept by a trigger too

Actions bump `version` themselves (it is the ETag), and a `bump_version`
trigger on every record sets `version = OLD.version + 1` on any real change,
so bulk `QuerySet.update()` and raw SQL bump it as well; the two never add up
to more than one per write.

### Audit trail: django-pghistory

Every tracked model (`core.models.audited`) gets pghistory triggers
writing a row per insert and per field change, also for bulk updates and raw
SQL, since they run in the database. Each row links to a context: the actor
(`Actor.audit_context()`), and for HTTP requests the user, the request id
(echoed as `X-Request-ID`) and the channel (`web`, `api`, `admin`);
tasks and commands open `audit_context("task", ...)`. Read it as
`<record>.audit_trail`.

### Known limits

- A status change the table allows, made with `QuerySet.update()` or raw SQL,
  passes the guard but writes no Event (the audit trail still records it, and
  `version` still moves). Use the actions.
- `immunity_risk` is computed from the subject's positions when read, so
  correcting a position's dates changes it for old warrants too (that is
  intended: it reflects what we know now).

### Proceedings: one record per step before a court

A hearing, a decision, an appeal lodged and a judgment are `Proceeding`
records of a case (`warrants/proceedings.py`), each with the warrants and
charges it concerns; its kind picks its table, like a participation's role
(`StatusGuard` with `kind` as discriminator). A postponed hearing stays
postponed: the new date is a new hearing. A hearing cannot be held before its
day (guard `hearing_has_taken_place`). An appeal's hearings and decision point
at it (`appeal`). While an appeal against a warrant is `lodged` or `heard`,
the warrant shows it (`appeal_pending`, `pending_appeals`) whatever the
warrant's own status: a challenge is a fact about the warrant, the appeal a
record of its own. A decision's outcome is stored with the `decide` move
(`proceeding_transition(..., outcome=...)`), so its Event carries it.

### Immunity: personal and functional, one rule

`warrants/immunity.py` holds the one rule the model (`Warrant.immunity_risk`),
the readers (`warrants.selectors`) and the periodic check
(`alerts.checks.warrant_against_immune_person`) use, built on
`parties.models.personal_immunity_q` / `functional_immunity_q`. Personal
immunity (ratione personae): the subject held a head of state, head of
government or foreign minister office of a State on the warrant's issue day
(Cour de cassation, 25 July 2025: the 2023 warrant annulled; the warrant of
29 July 2025, after the office ended, is not at risk). Functional immunity
(ratione materiae): any State office, at any time, covering official acts;
it is no bar to genocide, crimes against humanity, war crimes, torture or
enforced disappearance (Mayaleh, the same day), so it stands in the way only
of a warrant resting on another charge (`functional_immunity_bar`). A
position of an armed group or a company (`state_office` false) carries
neither.
"""


class Command(BaseCommand):
    help = "Write docs/workflows.md from the workflow tables (--check: fail if it is stale)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Exit non-zero if the file is out of date."
        )

    def handle(self, *args, **options):
        text = render()
        if options["check"]:
            current = DOC_PATH.read_text(encoding="utf-8") if DOC_PATH.exists() else ""
            if current != text:
                raise CommandError(f"{DOC_PATH} is out of date: run `make docs`.")
            self.stdout.write(f"{DOC_PATH} is up to date.")
            return
        DOC_PATH.parent.mkdir(parents=True, exist_ok=True)
        DOC_PATH.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {DOC_PATH}."))
