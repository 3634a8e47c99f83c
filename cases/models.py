import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from core.dates import validate_not_future
from core.models import Record, audited, record_triggers
from core.review import Reviewable
from core.workflow import StatusGuard, Workflow, status_check
from parties.models import PartyKind

from . import workflows


class Basis(models.TextChoices):
    UNIVERSAL = "universal", _("Universal")
    TERRITORIAL = "territorial", _("Territorial")
    ACTIVE_PERSONALITY = "active_personality", _("Active personality")
    PASSIVE_PERSONALITY = "passive_personality", _("Passive personality")
    INTERNATIONAL = "international", _("International")


@audited("CaseAudit")
class Case(Record):
    """One proceeding before one forum."""

    RESOURCE = "case"
    LEGAL_DATES = ("opened_on",)  # the creation Event's effective date, when known
    WORKFLOW = workflows.CASE

    reference = models.CharField(
        max_length=64,
        unique=True,
        help_text="Unique human-readable reference, e.g. FR-PARIS-2021-CW.",
    )
    title = models.CharField(max_length=300, help_text="Short title of the proceeding.")
    summary = models.TextField(blank=True, help_text="What the case is about.")
    jurisdiction = CountryField(help_text="ISO 3166-1 alpha-2 code of the forum's country.")
    forum = models.CharField(max_length=200, help_text="Court or authority seized.")
    basis = models.CharField(
        max_length=32, choices=Basis.choices, help_text="Basis of jurisdiction."
    )
    opened_on = models.DateField(
        validators=[validate_not_future],
        null=True,
        blank=True,
        help_text="Date the proceeding opened.",
    )
    status = models.CharField(
        max_length=32,
        choices=workflows.CASE.choices(),
        default=workflows.CASE.initial,
        editable=False,
        help_text="Workflow status; changes only through transitions.",
    )

    class Meta:
        ordering = ["reference"]
        permissions = [("transition_case", "Can perform case transitions")]
        # The API lists' sort order (newest first, id breaking ties), by status too.
        indexes = [
            models.Index(fields=["-created_at", "id"], name="case_created"),
            models.Index(fields=["status", "-created_at", "id"], name="case_status_created"),
        ]
        constraints = [status_check(workflows.CASE, "case_status_valid")]
        triggers = [*record_triggers(), StatusGuard(workflows=workflows.CASE)]

    def __str__(self) -> str:
        return self.reference

    def case_id_for_event(self):
        return self.pk

    @property
    def workflow(self) -> Workflow:
        return self.WORKFLOW


@audited("IncidentAudit")
class Incident(Record):
    """An event the case is about, e.g. the chemical attack on Douma."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="incidents", help_text="The case."
    )
    title = models.CharField(max_length=300, help_text="Short title.")
    started_on = models.DateField(validators=[validate_not_future], help_text="First day.")
    ended_on = models.DateField(
        validators=[validate_not_future],
        null=True,
        blank=True,
        help_text="Last day, if it lasted longer.",
    )
    place = models.CharField(max_length=200, blank=True, help_text="Where it happened.")
    description = models.TextField(blank=True, help_text="What happened.")
    casualties = models.PositiveIntegerField(
        null=True, blank=True, help_text="Number of people killed, if known."
    )

    class Meta:
        ordering = ["started_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="incident_ends_after_start",
                violation_error_message="ended_on must not be before started_on.",
            )
        ]
        triggers = record_triggers()

    def __str__(self) -> str:
        return self.title


class Role(models.TextChoices):
    ACCUSED = "accused", pgettext_lazy("role", "Accused")
    PLAINTIFF = "plaintiff", _("Plaintiff")
    VICTIM = "victim", _("Victim")
    WITNESS = "witness", _("Witness")
    INVESTIGATING_JUDGE = "investigating_judge", _("Investigating judge")
    PROSECUTOR = "prosecutor", _("Prosecutor")


ROLE_WORKFLOWS: dict[str, Workflow] = {
    "accused": workflows.ACCUSED,
    "plaintiff": workflows.PLAINTIFF,
}
PARTICIPATION_WORKFLOWS = {r: ROLE_WORKFLOWS.get(r, workflows.OTHER_ROLE) for r in Role.values}
PARTICIPATION_STATES = list(
    dict.fromkeys(s for w in PARTICIPATION_WORKFLOWS.values() for s in w.states)
)


@audited("ParticipationAudit")
class Participation(Record):
    """A party's role in a case; its workflow depends on the role."""

    RESOURCE = "participation"

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="participations", help_text="The case."
    )
    party = models.ForeignKey(
        "parties.Party",
        on_delete=models.PROTECT,
        related_name="participations",
        help_text="The party.",
    )
    role = models.CharField(max_length=32, choices=Role.choices, help_text="Role in the case.")
    status = models.CharField(
        max_length=32,
        choices=[(s, _(s)) for s in PARTICIPATION_STATES],
        editable=False,
        help_text="Workflow status (depends on role); changes only through transitions.",
    )

    class Meta:
        ordering = ["case", "role"]
        permissions = [("transition_participation", "Can perform participation transitions")]
        indexes = [models.Index(fields=["-created_at", "id"], name="participation_created")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "party", "role"],
                name="participation_unique_role",
                violation_error_message="This party already has this role in this case.",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    *[
                        models.Q(role=role, status__in=wf.states)
                        for role, wf in PARTICIPATION_WORKFLOWS.items()
                    ],
                    _connector=models.Q.OR,
                ),
                name="participation_status_valid_for_role",
                violation_error_message="status is not valid for this role.",
            ),
        ]
        triggers = [
            *record_triggers(),
            StatusGuard(workflows=PARTICIPATION_WORKFLOWS, discriminator="role"),
            pgtrigger.Protect(
                name="role_is_fixed",
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange("role", "case", "party"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} ({self.role})"

    def case_id_for_event(self):
        return self.case_id

    @property
    def workflow(self) -> Workflow:
        # An unknown role is reported by full_clean(); until then, the generic workflow.
        return PARTICIPATION_WORKFLOWS.get(self.role, workflows.OTHER_ROLE)


@audited("RepresentationAudit")
class Representation(Record):
    """Counsel acting for a participant."""

    RESOURCE = "representation"
    WORKFLOW = workflows.REPRESENTATION

    counsel = models.ForeignKey(
        "parties.Party",
        on_delete=models.PROTECT,
        related_name="representations",
        help_text="The lawyer (a person party).",
    )
    client = models.ForeignKey(
        Participation,
        on_delete=models.PROTECT,
        related_name="representations",
        help_text="The participation represented.",
    )
    bar = models.CharField(max_length=100, blank=True, help_text='e.g. "Paris Bar".')
    status = models.CharField(
        max_length=32,
        choices=workflows.REPRESENTATION.choices(),
        default=workflows.REPRESENTATION.initial,
        editable=False,
        help_text="Workflow status; changes only through transitions.",
    )

    class Meta:
        permissions = [("transition_representation", "Can perform representation transitions")]
        constraints = [
            status_check(workflows.REPRESENTATION, "representation_status_valid"),
            models.UniqueConstraint(
                fields=["counsel", "client"],
                name="representation_unique",
                violation_error_message="This counsel already represents this participant.",
            ),
        ]
        triggers = [*record_triggers(), StatusGuard(workflows=workflows.REPRESENTATION)]

    def __str__(self) -> str:
        return f"{self.counsel} for {self.client}"

    def clean(self) -> None:
        if self.counsel_id and self.counsel.kind != PartyKind.PERSON:
            raise ValidationError({"counsel": "Counsel must be a person, not an organization."})

    def case_id_for_event(self):
        return self.client.case_id

    @property
    def workflow(self) -> Workflow:
        return self.WORKFLOW


class Offence(models.TextChoices):
    GENOCIDE = "genocide", _("Genocide")
    CRIMES_AGAINST_HUMANITY = "crimes_against_humanity", _("Crimes against humanity")
    WAR_CRIMES = "war_crimes", _("War crimes")
    TORTURE = "torture", _("Torture")
    ENFORCED_DISAPPEARANCE = "enforced_disappearance", _("Enforced disappearance")
    TERRORISM = "terrorism", _("Terrorism")
    OTHER = "other", _("Other")


class ModeOfLiability(models.TextChoices):
    COMMISSION = "commission", _("Commission")
    CO_PERPETRATION = "co_perpetration", _("Co-perpetration")
    ORDERING = "ordering", _("Ordering")
    COMPLICITY = "complicity", _("Complicity")
    AIDING_ABETTING = "aiding_abetting", _("Aiding and abetting")
    COMMAND_RESPONSIBILITY = "command_responsibility", _("Command responsibility")
    COMMON_PURPOSE = "common_purpose", _("Common purpose")
    INCITEMENT = "incitement", _("Incitement")
    ATTEMPT = "attempt", _("Attempt")


@audited("ChargeAudit")
class Charge(Reviewable, Record):
    """An accusation against an accused in a case."""

    RESOURCE = "charge"
    WORKFLOW = workflows.CHARGE

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="charges", help_text="The case."
    )
    accused = models.ForeignKey(
        Participation,
        on_delete=models.PROTECT,
        related_name="charges",
        help_text="The accused: a participation with role accused in the same case.",
    )
    offence = models.CharField(max_length=32, choices=Offence.choices, help_text="The offence.")
    label = models.CharField(
        max_length=300, help_text='e.g. "Complicity in crimes against humanity".'
    )
    legal_basis = ArrayField(
        models.CharField(max_length=100),
        default=list,
        blank=True,
        help_text='Article references, e.g. "FR Code pénal 212-1", "Rome Statute 7(1)(a)".',
    )
    mode_of_liability = models.CharField(
        max_length=32, choices=ModeOfLiability.choices, help_text="How the accused is liable."
    )
    qualification_text = models.TextField(
        blank=True, help_text="Verbatim legal qualification, in any language."
    )
    status = models.CharField(
        max_length=32,
        choices=workflows.CHARGE.choices(),
        default=workflows.CHARGE.initial,
        editable=False,
        help_text="Workflow status; changes only through transitions.",
    )

    class Meta:
        ordering = ["case", "label"]
        indexes = [models.Index(fields=["-created_at", "id"], name="charge_created")]
        permissions = [
            ("transition_charge", "Can perform charge transitions"),
            ("review_charge", "Can review charges"),
        ]
        constraints = [status_check(workflows.CHARGE, "charge_status_valid")]
        triggers = [
            *record_triggers(),
            StatusGuard(workflows=workflows.CHARGE),
            pgtrigger.Trigger(
                name="accused_in_same_case",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func="""
                IF NOT EXISTS (
                    SELECT 1 FROM cases_participation p
                    WHERE p.id = NEW.accused_id AND p.case_id = NEW.case_id AND p.role = 'accused'
                ) THEN
                    RAISE EXCEPTION 'a charge''s accused must be accused in the same case'
                        USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
                """,
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        accused = self.accused if self.accused_id else None
        if accused and (accused.role != Role.ACCUSED or accused.case_id != self.case_id):
            raise ValidationError(
                {"accused": "The accused must have the accused role in the same case."}
            )

    def case_id_for_event(self):
        return self.case_id

    @property
    def workflow(self) -> Workflow:
        return self.WORKFLOW


class TeamRole(models.TextChoices):
    CREATOR = "creator", _("Created the case")
    LAWYER = "lawyer", _("Lawyer assigned")
    COUNSEL = "counsel", _("Counsel's user")


class CaseMember(models.Model):
    """A user on a case's team: whoever created it, a lawyer assigned, a user of its counsel.

    Members follow the case by default (alerts.flags.recipients): critical and high alerts
    by email at once, the rest in the daily digest. `follows` off is the member's own choice
    to stop, kept so that the default does not come back.
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="members", help_text="The case."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="case_memberships",
        help_text="The team member.",
    )
    role = models.CharField(
        max_length=16, choices=TeamRole.choices, help_text="Why the user is on the team."
    )
    follows = models.BooleanField(
        default=True, help_text="Told of the case's alerts; off when the member stopped."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the user joined.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="case_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.case_id} ({self.role})"
