"""Build records through the real actions (so each has its Event), with small defaults."""

import itertools

from cases.actions import case_create, charge_create, participation_create
from cases.models import Participation
from parties.actions import party_create
from warrants.actions import notice_create, warrant_create

_n = itertools.count(1)


def case(actor, **fields):
    n = next(_n)
    defaults = dict(
        reference=f"TEST-{n}",
        title=f"Test case {n}",
        jurisdiction="FR",
        forum="Paris Judicial Court",
        basis="universal",
    )
    return case_create(actor=actor, **{**defaults, **fields})


def person(actor, **fields):
    n = next(_n)
    return party_create(actor=actor, **{"kind": "person", "name": f"Person {n}", **fields})


def accused(actor, case, party=None):
    return participation_create(
        actor=actor, case=case, party=party or person(actor), role="accused"
    )


def charge(actor, case, accused, **fields):
    defaults = dict(
        offence="war_crimes", label="Complicity in war crimes", mode_of_liability="complicity"
    )
    return charge_create(actor=actor, case=case, accused=accused, **{**defaults, **fields})


def warrant(actor, case, subject, **fields):
    n = next(_n)
    defaults = dict(
        issuing_country="FR", issuing_authority="Investigating judges", reference=f"W-{n}"
    )
    if not Participation.objects.filter(case=case, party=subject).exists():
        # A warrant is against a party to its case (Warrant.clean): as an accused, then.
        accused(actor, case, subject)
    return warrant_create(actor=actor, case=case, subject=subject, **{**defaults, **fields})


def red_notice(actor, warrant, **fields):
    return notice_create(
        actor=actor, kind="red", warrant=warrant, requesting_country="FR", **fields
    )


SECRET_TITLE = "President of the Republic of Secretland"


def protected_head_of_state(actor):
    """A person protected from creation (even their `party.created` snapshot says so) who
    held a position with personal immunity: what the records imply must stay hidden too."""
    return party_create(
        actor=actor,
        kind="person",
        name="Realname Hidden",
        aliases=["Realalias"],
        protected=True,
        pseudonym="Witness H",
        positions=[
            {"title": SECRET_TITLE, "function": "head_of_state", "started_on": "2000-07-17"}
        ],
    )
