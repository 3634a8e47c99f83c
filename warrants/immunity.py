"""Immunity from a warrant, as the courts reason about it: one rule for every surface.

- Personal immunity (ratione personae) covers every act of a sitting head of state, head of
  government or foreign minister, and ends with the office: a warrant issued while the
  subject held such an office is at risk (the Cour de cassation annulled the 2023 warrant on
  25 July 2025 for that reason; the warrant of 29 July 2025, after he left office, is not).
- Functional immunity (ratione materiae) covers any State official's official acts and
  survives the office, but it does not bar prosecuting international crimes (Cour de
  cassation, 25 July 2025, Mayaleh). It stands in the way of a warrant only when the warrant
  rests on a charge that is not an international crime.

The positions' side is parties.models.personal_immunity_q / functional_immunity_q;
`Warrant.immunity_risk` (Python), `immunity_risk()` (SQL, warrants.selectors) and the alerts'
check (alerts.checks) all read the expressions below, so they cannot disagree.
"""

from django.db.models import BooleanField, Case, Exists, ExpressionWrapper, OuterRef, Value, When
from django.db.models.expressions import Expression

from cases.models import Charge, Offence
from parties.models import Position, functional_immunity_q, personal_immunity_q

INTERNATIONAL_CRIMES = (
    Offence.GENOCIDE,
    Offence.CRIMES_AGAINST_HUMANITY,
    Offence.WAR_CRIMES,
    Offence.TORTURE,
    Offence.ENFORCED_DISAPPEARANCE,
)


def immunity_risk() -> Expression:
    """On a Warrant queryset: the subject held an office with personal immunity on `issued_on`
    (False while the warrant is not issued)."""
    held = Position.objects.filter(
        personal_immunity_q(party=OuterRef("subject"), day=OuterRef("issued_on"))
    )
    return Case(
        When(issued_on__isnull=True, then=Value(False)),
        default=Exists(held),
        output_field=BooleanField(),
    )


def functional_immunity_bar() -> Expression:
    """On a Warrant queryset: the subject held a State office (at any time) and the warrant
    rests on a charge that is not an international crime, which functional immunity may bar.
    False when every charge is an international crime (Mayaleh) or none is linked."""
    office = Position.objects.filter(functional_immunity_q(party=OuterRef("subject")))
    ordinary = Charge.objects.filter(warrants=OuterRef("pk")).exclude(
        offence__in=list(INTERNATIONAL_CRIMES)
    )
    return ExpressionWrapper(Exists(office) & Exists(ordinary), output_field=BooleanField())
