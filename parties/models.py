import datetime
import re

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.dates import validate_not_future
from core.models import Record, audited, record_triggers
from core.review import Reviewable

from .names import search_key, skeleton, unvowelled

PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def validate_partial_date(value: str) -> None:
    """A date that may be known only to the year (1965) or month (1965-09)."""
    if not PARTIAL_DATE.match(value):
        raise ValidationError(f"'{value}' is not YYYY, YYYY-MM or YYYY-MM-DD.")
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        datetime.date(parts[0], parts[1], parts[2])
    except ValueError:
        raise ValidationError(
            f"'{value}' is not a real date: use YYYY, YYYY-MM or YYYY-MM-DD."
        ) from None


def validate_countries(codes: list[str]) -> None:
    unknown = [c for c in codes if c not in countries]
    if unknown:
        raise ValidationError(
            f"Unknown country code(s) {', '.join(unknown)}: use ISO 3166-1 alpha-2, e.g. SY, FR."
        )


class PartyKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANIZATION = "organization", _("Organization")


class Custody(models.TextChoices):
    AT_LARGE = "at_large", _("At large")
    DETAINED = "detained", _("Detained")
    DECEASED = "deceased", _("Deceased")
    UNKNOWN = "unknown", _("Unknown")


@audited("PartyAudit")
class Party(Reviewable, Record):
    """A person or an organisation appearing in cases."""

    RESOURCE = "party"
    # The identity only those who may see protected identities get (domain.md §1): every
    # redaction, refusal and form reads this list. Positions are hidden with it.
    IDENTITY_FIELDS = ("name", "name_original", "aliases", "birth_date")
    # What the party's NameForm rows are computed from (save() keeps them current).
    SEARCHED_FIELDS = ("name", "name_original", "aliases", "pseudonym", "protected")
    redacted = False  # True on in-memory copies shown through parties.selectors.redact()

    kind = models.CharField(
        max_length=16, choices=PartyKind.choices, help_text="person or organization."
    )
    name = models.CharField(max_length=200, help_text="Name in Latin script.")
    name_original = models.CharField(
        max_length=200, blank=True, help_text="Name in its original script, e.g. Arabic."
    )
    aliases = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        help_text="Other spellings and transliterations.",
    )
    birth_date = models.CharField(
        max_length=10,
        blank=True,
        validators=[validate_partial_date],
        help_text="Birth date, possibly partial: YYYY, YYYY-MM or YYYY-MM-DD.",
    )
    nationalities = ArrayField(
        models.CharField(max_length=2),
        default=list,
        blank=True,
        validators=[validate_countries],
        help_text="ISO 3166-1 alpha-2 codes.",
    )
    protected = models.BooleanField(
        default=False, help_text="Identity shown only to those allowed to see protected identities."
    )
    pseudonym = models.CharField(
        max_length=200, blank=True, help_text="Name shown instead of the real one when protected."
    )
    custody = models.CharField(
        max_length=16,
        choices=Custody.choices,
        blank=True,
        help_text="Persons only: at_large, detained, deceased or unknown.",
    )

    class Meta:
        verbose_name_plural = "parties"
        ordering = ["name"]
        permissions = [
            ("view_protected_identity", "Can see protected identities"),
            ("review_party", "Can review parties"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="person") | models.Q(custody=""),
                name="party_custody_persons_only",
                violation_error_message="Only a person has a custody status.",
            ),
            models.CheckConstraint(
                condition=~models.Q(protected=True) | ~models.Q(pseudonym=""),
                name="party_protected_has_pseudonym",
                violation_error_message="A protected party needs a pseudonym.",
            ),
            models.CheckConstraint(
                condition=models.Q(birth_date="")
                | models.Q(birth_date__regex=PARTIAL_DATE.pattern),
                name="party_birth_date_partial_iso",
                violation_error_message="birth_date must be YYYY, YYYY-MM or YYYY-MM-DD.",
            ),
        ]
        triggers = record_triggers()

    def __str__(self) -> str:
        # Wherever a party is shown by name in passing, a protected one stays protected.
        return self.pseudonym if self.protected else self.name

    def save(self, *args, **kwargs):
        # Every writer (actions, admin, seed, bulk loads through party_create) passes
        # here, so the name search cannot fall behind the names.
        adding = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or set(update_fields) & set(self.SEARCHED_FIELDS):
            if not adding:
                self.name_forms.all().delete()
            NameForm.objects.bulk_create(
                NameForm(party=self, **form) for form in name_forms_of(self)
            )

    def case_id_for_event(self):
        return None

    def clean(self) -> None:
        if self.kind == PartyKind.PERSON and not self.custody:
            self.custody = Custody.UNKNOWN

    def held_immunity_on(self, day: datetime.date | None) -> bool:
        """Whether the party held a position with personal immunity on `day`."""
        if day is None or self.pk is None:
            return False
        return Position.objects.filter(personal_immunity_q(party=self.pk, day=day)).exists()


class Function(models.TextChoices):
    HEAD_OF_STATE = "head_of_state", _("Head of state")
    HEAD_OF_GOVERNMENT = "head_of_government", _("Head of government")
    FOREIGN_MINISTER = "foreign_minister", _("Foreign minister")
    MILITARY = "military", _("Military")
    OTHER = "other", _("Other")


# Customary international law: the "troika" enjoys personal immunity (ratione personae) while
# in office, for every act, and loses it on leaving office (Cour de cassation, 25 July 2025).
IMMUNE_FUNCTIONS = {Function.HEAD_OF_STATE, Function.HEAD_OF_GOVERNMENT, Function.FOREIGN_MINISTER}


class Immunity(models.TextChoices):
    """What immunity a position carries, as the courts reason about it."""

    PERSONAL = "personal", _("Personal (ratione personae, while in office)")
    FUNCTIONAL = "functional", _("Functional (ratione materiae, for official acts)")
    NONE = "none", _("None")


def personal_immunity_q(*, party, day) -> models.Q:
    """Positions of `party` carrying personal immunity on `day` (values or OuterRefs).

    The one rule of personal immunity: a troika office held on that day (its first and last
    days included; open ends count as held). Party.held_immunity_on, Warrant.immunity_risk,
    warrants.selectors and the alerts' check all read it.
    """
    return (
        models.Q(party=party, function__in=list(IMMUNE_FUNCTIONS), state_office=True)
        & (models.Q(started_on__isnull=True) | models.Q(started_on__lte=day))
        & (models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=day))
    )


def functional_immunity_q(*, party) -> models.Q:
    """Positions of `party` whose official acts carry functional immunity: any State office,
    held at any time (it survives leaving office). It does not bar prosecuting international
    crimes (Cour de cassation, 25 July 2025, Mayaleh): see warrants.immunity."""
    return models.Q(party=party, state_office=True)


@audited("PositionAudit")
class Position(Record):
    """A position a person held, e.g. President of the Syrian Arab Republic."""

    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="positions", help_text="Who held it."
    )
    title = models.CharField(
        max_length=200, help_text="e.g. President of the Syrian Arab Republic."
    )
    organisation = models.CharField(max_length=200, blank=True, help_text="e.g. Syrian Arab Army.")
    function = models.CharField(
        max_length=32,
        choices=Function.choices,
        default=Function.OTHER,
        help_text="Head of state, head of government and foreign minister carry personal immunity.",
    )
    started_on = models.DateField(
        validators=[validate_not_future],
        null=True,
        blank=True,
        help_text="First day held, if known.",
    )
    ended_on = models.DateField(
        validators=[validate_not_future],
        null=True,
        blank=True,
        help_text="Last day held; empty if still held.",
    )
    state_office = models.BooleanField(
        default=True,
        help_text="An office of a State (not of an armed group or a company): its official acts "
        "carry functional immunity, and a head of state, head of government or foreign minister "
        "personal immunity while in office.",
    )

    class Meta:
        ordering = ["started_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="position_ends_after_start",
                violation_error_message="ended_on must not be before started_on.",
            )
        ]
        triggers = record_triggers()

    def __str__(self) -> str:
        return self.title

    @property
    def personal_immunity(self) -> bool:
        """Carries personal immunity while held (ratione personae)."""
        return self.immunity == Immunity.PERSONAL

    @property
    def immunity(self) -> str:
        """personal (a troika State office), functional (another State office) or none."""
        if not self.state_office:
            return Immunity.NONE
        return Immunity.PERSONAL if self.function in IMMUNE_FUNCTIONS else Immunity.FUNCTIONAL

    def held_on(self, day: datetime.date) -> bool:
        return (self.started_on is None or self.started_on <= day) and (
            self.ended_on is None or day <= self.ended_on
        )


def name_forms_of(party: Party) -> list[dict]:
    """The NameForm rows of `party`: the search key and the skeleton (parties.names) of
    each of its names, aliases, original script and pseudonym; the real ones `shown` to
    every reader only while the party is not protected."""
    names = [
        (name, not party.protected) for name in (party.name, party.name_original, *party.aliases)
    ]
    forms: dict[tuple[str, bool, bool], bool] = {}
    for name, shown in [*names, (party.pseudonym, True)]:
        written_unvowelled = unvowelled(name)
        for form, is_skeleton in ((search_key(name), False), (skeleton(name), True)):
            if form:
                key = (form, is_skeleton, written_unvowelled)
                forms[key] = forms.get(key, False) or shown
    return [
        {"form": form, "skeleton": is_skeleton, "unvowelled": unv, "shown": shown}
        for (form, is_skeleton, unv), shown in forms.items()
    ]


class NameForm(models.Model):
    """One searchable form of a party's name: what parties.selectors.party_search compares,
    through a trigram index, with what is typed. Derived from the party (its save() rewrites
    them), so neither audited nor versioned."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="name_forms")
    form = models.TextField(help_text="A search key or a skeleton (parties.names).")
    skeleton = models.BooleanField(help_text="The name's consonants only, not its search key.")
    unvowelled = models.BooleanField(
        help_text="From a name written in a script without short vowels (Arabic, Hebrew)."
    )
    shown = models.BooleanField(
        help_text="Matched for every reader: false for a protected party's real names."
    )

    class Meta:
        indexes = [
            # One per kind of comparison party_search makes, each reading only its rows.
            GinIndex(
                OpClass(F("form"), "gin_trgm_ops"),
                condition=models.Q(skeleton=False),
                name="name_form_key_trgm",
            ),
            GinIndex(
                OpClass(F("form"), "gin_trgm_ops"),
                condition=models.Q(skeleton=True),
                name="name_form_skeleton_trgm",
            ),
            GinIndex(
                OpClass(F("form"), "gin_trgm_ops"),
                condition=models.Q(skeleton=True, unvowelled=True),
                name="name_form_unvowelled_trgm",
            ),
        ]

    def __str__(self) -> str:
        return self.form
