import pgtrigger
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from cases.models import Participation
from core.dates import validate_not_future
from core.models import Record, audited, record_triggers
from core.workflow import StatusGuard, Workflow, status_check

from . import workflows
from .immunity import functional_immunity_bar

IN_FORCE_OR_AFTER = ["issued", "challenged", "executed", "annulled", "lapsed"]


class WarrantKind(models.TextChoices):
    ARREST = "arrest", _("Arrest")
    SEARCH = "search", pgettext_lazy("warrant kind", "Search")
    APPEARANCE = "appearance", _("Appearance")
    COMMITTAL = "committal", _("Committal")


@audited("WarrantAudit")
class Warrant(Record):
    """A warrant against one person."""

    RESOURCE = "warrant"
    LEGAL_DATES = ("issued_on", "requested_on")  # the creation Event's effective date
    WORKFLOW = workflows.WARRANT

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="warrants", help_text="The case."
    )
    subject = models.ForeignKey(
        "parties.Party",
        on_delete=models.PROTECT,
        related_name="warrants",
        help_text="The person sought (a person party).",
    )
    kind = models.CharField(
        max_length=16,
        choices=WarrantKind.choices,
        default=WarrantKind.ARREST,
        help_text="arrest, search, appearance or committal.",
    )
    issuing_country = CountryField(help_text="ISO 3166-1 alpha-2 code of the issuing country.")
    issuing_authority = models.CharField(
        max_length=200, help_text="e.g. Investigating judges, Paris Judicial Court."
    )
    reference = models.CharField(
        max_length=100, blank=True, help_text="The authority's reference, unique per country."
    )
    requested_on = models.DateField(
        validators=[validate_not_future], null=True, blank=True, help_text="Date it was requested."
    )
    issued_on = models.DateField(
        validators=[validate_not_future],
        null=True,
        blank=True,
        editable=False,
        help_text="Date it was issued (set by creation or the issue transition).",
    )
    disclosed_on = models.DateField(
        validators=[validate_not_future], null=True, blank=True, help_text="Date it became public."
    )
    charges = models.ManyToManyField(
        "cases.Charge", blank=True, related_name="warrants", help_text="Charges it rests on."
    )
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        help_text="An earlier warrant this one replaces (e.g. after an annulment).",
    )
    status = models.CharField(
        max_length=32,
        choices=workflows.WARRANT.choices(),
        default=workflows.WARRANT.initial,
        editable=False,
        help_text="Workflow status; changes only through transitions.",
    )

    class Meta:
        ordering = ["-issued_on", "reference"]
        permissions = [("transition_warrant", "Can perform warrant transitions")]
        # The lists' sort orders, so a page reads its rows in order instead of sorting all:
        # the API's (newest first, id breaking ties; by status too) and the web list's.
        indexes = [
            models.Index(fields=["-created_at", "id"], name="warrant_created"),
            models.Index(fields=["status", "-created_at", "id"], name="warrant_status_created"),
            models.Index(fields=["-issued_on", "reference"], name="warrant_issued"),
            models.Index(
                fields=["status", "-issued_on", "reference"], name="warrant_status_issued"
            ),
        ]
        constraints = [
            status_check(workflows.WARRANT, "warrant_status_valid"),
            models.UniqueConstraint(
                fields=["issuing_country", "reference"],
                condition=~models.Q(reference=""),
                name="warrant_reference_unique",
                violation_error_message="This country already has a warrant with this reference.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=IN_FORCE_OR_AFTER)
                | models.Q(issued_on__isnull=False),
                name="warrant_issued_has_date",
                violation_error_message="An issued warrant needs issued_on.",
            ),
            models.CheckConstraint(
                condition=~models.Q(supersedes=models.F("id")),
                name="warrant_not_superseding_itself",
                violation_error_message="A warrant cannot supersede itself.",
            ),
        ]
        triggers = [
            *record_triggers(),
            StatusGuard(workflows=workflows.WARRANT),
            pgtrigger.Trigger(
                name="subject_is_person",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func="""
                IF NOT EXISTS (
                    SELECT 1 FROM parties_party p WHERE p.id = NEW.subject_id AND p.kind = 'person'
                ) THEN
                    RAISE EXCEPTION 'a warrant''s subject must be a person'
                        USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} warrant {self.reference or self.pk} for {self.subject}"

    def case_id_for_event(self):
        return self.case_id

    def clean(self) -> None:
        if self.subject_id and self.subject.kind != "person":
            raise ValidationError({"subject": "A warrant's subject must be a person."})
        if self.supersedes_id and self.supersedes_id == self.pk:
            raise ValidationError({"supersedes": "A warrant cannot supersede itself."})
        self._check_subject_and_supersedes()

    NOT_A_PARTY = (
        "The subject is not a party to this case: add them to the case (e.g. as accused) first."
    )
    OTHER_PERSON = "A warrant supersedes only an earlier warrant against the same person."
    OTHER_CASE = "A warrant supersedes only an earlier warrant of the same case."

    def _check_subject_and_supersedes(self) -> None:
        """A warrant is against a party to its case, and supersedes only a warrant of the
        same subject in the same case. The messages name no one (the subject may be protected)."""
        if self._state.adding and self.subject_id and self.case_id:
            party_to_case = Participation.objects.filter(
                case_id=self.case_id, party_id=self.subject_id
            )
            if not party_to_case.exists():
                raise ValidationError({"subject": self.NOT_A_PARTY})
        if self.supersedes_id:
            earlier = Warrant.objects.filter(pk=self.supersedes_id).values("subject_id", "case_id")
            for row in earlier:
                if row["subject_id"] != self.subject_id:
                    raise ValidationError({"supersedes": self.OTHER_PERSON})
                if row["case_id"] != self.case_id:
                    raise ValidationError({"supersedes": self.OTHER_CASE})

    @property
    def workflow(self) -> Workflow:
        return self.WORKFLOW

    @property
    def immunity_risk(self) -> bool:
        """The subject held a position with personal immunity on `issued_on` (warrants.immunity:
        the same rule as the SQL of warrants.selectors and the alerts' check)."""
        return self.subject.held_immunity_on(self.issued_on)

    @property
    def functional_immunity_bar(self) -> bool:
        """Functional immunity may bar it: the subject held a State office and it rests on a
        charge that is not an international crime (warrants.immunity)."""
        if self.pk is None:
            return False
        return Warrant.objects.filter(pk=self.pk).filter(functional_immunity_bar()).exists()


class NoticeKind(models.TextChoices):
    RED = "red", _("Red")
    YELLOW = "yellow", _("Yellow")
    BLUE = "blue", _("Blue")
    BLACK = "black", _("Black")
    GREEN = "green", _("Green")
    ORANGE = "orange", _("Orange")
    PURPLE = "purple", _("Purple")
    SILVER = "silver", _("Silver")
    UN_SPECIAL = "un_special", _("UN Special")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    RESTRICTED = "restricted", _("Restricted")


class PublicListing(models.TextChoices):
    LISTED = "listed", _("Listed")
    NOT_LISTED = "not_listed", _("Not listed")
    UNKNOWN = "unknown", _("Unknown")


@audited("NoticeAudit")
class Notice(Record):
    """An INTERPOL notice about one party."""

    RESOURCE = "notice"
    LEGAL_DATES = ("requested_on",)  # the creation Event's effective date, when known
    WORKFLOW = workflows.NOTICE

    kind = models.CharField(max_length=16, choices=NoticeKind.choices, help_text="Notice colour.")
    subject = models.ForeignKey(
        "parties.Party",
        on_delete=models.PROTECT,
        related_name="notices",
        help_text="The party the notice is about.",
    )
    warrant = models.ForeignKey(
        Warrant,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
        help_text="The warrant it rests on (required for red notices).",
    )
    requesting_country = CountryField(
        help_text="ISO 3166-1 alpha-2 code of the requesting country."
    )
    interpol_id = models.CharField(
        max_length=32, blank=True, help_text='INTERPOL\'s id, e.g. "2023/12345"; unique when set.'
    )
    visibility = models.CharField(
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.RESTRICTED,
        help_text="public or restricted.",
    )
    requested_on = models.DateField(
        validators=[validate_not_future], null=True, blank=True, help_text="Date it was requested."
    )
    published_on = models.DateField(
        validators=[validate_not_future],
        null=True,
        blank=True,
        editable=False,
        help_text="Date INTERPOL published it.",
    )
    public_listing = models.CharField(
        max_length=16,
        choices=PublicListing.choices,
        default=PublicListing.UNKNOWN,
        editable=False,
        help_text="What INTERPOL's public site last showed; a signal, not proof of status.",
    )
    status = models.CharField(
        max_length=32,
        choices=workflows.NOTICE.choices(),
        default=workflows.NOTICE.initial,
        editable=False,
        help_text="Workflow status; changes only through transitions.",
    )

    class Meta:
        ordering = ["-requested_on"]
        permissions = [("transition_notice", "Can perform notice transitions")]
        indexes = [  # the lists' sort orders, as for warrants
            models.Index(fields=["-created_at", "id"], name="notice_created"),
            models.Index(fields=["status", "-created_at", "id"], name="notice_status_created"),
            models.Index(fields=["-requested_on"], name="notice_requested"),
            models.Index(fields=["status", "-requested_on"], name="notice_status_requested"),
        ]
        constraints = [
            status_check(workflows.NOTICE, "notice_status_valid"),
            models.UniqueConstraint(
                fields=["interpol_id"],
                condition=~models.Q(interpol_id=""),
                name="notice_interpol_id_unique",
                violation_error_message="A notice with this INTERPOL id already exists.",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="red") | models.Q(warrant__isnull=False),
                name="notice_red_has_warrant",
                violation_error_message="A red notice needs a warrant.",
            ),
        ]
        triggers = [*record_triggers(), StatusGuard(workflows=workflows.NOTICE)]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} notice for {self.subject}"

    def clean(self) -> None:
        warrant = self.warrant if self.warrant_id else None
        if self.kind == NoticeKind.RED and warrant is None:
            raise ValidationError({"warrant": "A red notice needs a warrant."})
        if warrant is None:
            return
        if self.kind == NoticeKind.RED and self._state.adding and warrant.status != "issued":
            raise ValidationError(
                {"warrant": f"A red notice needs an issued warrant; this one is {warrant.status}."}
            )
        if self.subject_id and self.subject_id != warrant.subject_id:
            raise ValidationError({"subject": "A notice's subject must be its warrant's subject."})

    def case_id_for_event(self):
        return self.warrant.case_id if self.warrant_id else None

    @property
    def workflow(self) -> Workflow:
        return self.WORKFLOW


# Models of court proceedings and deadlines kept in their own module (imported so Django
# registers them).
from .proceedings import (  # noqa: E402, F401
    CalendarToken,
    Deadline,
    Proceeding,
    Reminder,
)
