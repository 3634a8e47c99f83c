"""Load the demo case: France's 2023 arrest warrants over the 2013 chemical attacks in Syria.

Source: ../shared/seed/ (CNN, 2023-11-16) and the later history in domain.md
(appeal court upheld the warrant on 2024-06-26; Cour de cassation annulled it
on 2025-07-25 for a sitting head of state's personal immunity; a new warrant on
2025-07-29). Dates the sources do not give are marked "approximate" in notes.
The protected witness is fictional, to show how protected identities work.

Idempotent: the whole load is one transaction, skipped if the case exists.
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from cases import actions as cases
from cases.models import Case
from core.audit import audit_context
from core.events import Actor
from parties.actions import party_create
from warrants import actions as warrants

REFERENCE = "FR-PARIS-2021-GHOUTA"
D = datetime.date.fromisoformat

ACCUSED: list[dict[str, Any]] = [
    {
        "name": "Bashar al-Assad",
        "name_original": "بشار الأسد",
        "aliases": ["Bachar el-Assad", "Bachar al-Assad", "Bashar Hafez al-Assad"],
        "birth_date": "1965-09-11",
        "custody": "at_large",
        "positions": [
            {
                "title": "President of the Syrian Arab Republic",
                "function": "head_of_state",
                "started_on": D("2000-07-17"),
                "ended_on": D("2024-12-08"),
            },
        ],
    },
    {
        "name": "Maher al-Assad",
        "name_original": "ماهر الأسد",
        "aliases": ["Maher el-Assad"],
        "birth_date": "1967",
        "custody": "at_large",
        "positions": [
            {
                "title": "Commander of the 4th Armoured Division",
                "organisation": "Syrian Arab Army",
                "function": "military",
            },
        ],
    },
    {
        "name": "Ghassan Abbas",
        "name_original": "غسان عباس",
        "custody": "unknown",
        "positions": [
            {
                "title": "Director of Branch 450",
                "organisation": "Scientific Studies and Research Centre",
                "function": "military",
            },
        ],
    },
    {
        "name": "Bassam al-Hassan",
        "name_original": "بسام الحسن",
        "aliases": ["Bassam el-Hassan"],
        "custody": "unknown",
        "positions": [
            {
                "title": "Presidential Adviser for Strategic Affairs",
                "organisation": "Presidency of the Syrian Arab Republic",
                "function": "other",
            },
        ],
    },
]

PLAINTIFFS = [
    (
        "Syrian Centre for Media and Freedom of Expression",
        "المركز السوري للإعلام وحرية التعبير",
        ["SCM"],
    ),
    ("Open Society Justice Initiative", "", ["OSJI"]),
    ("Syrian Archive", "الأرشيف السوري", []),
]

CHARGES = [
    {
        "offence": "crimes_against_humanity",
        "label": "Complicity in crimes against humanity",
        "legal_basis": ["FR Code pénal 212-1", "FR Code pénal 121-7"],
        "mode_of_liability": "complicity",
        "qualification_text": "Complicité de crimes contre l'humanité",
    },
    {
        "offence": "war_crimes",
        "label": "Complicity in war crimes",
        "legal_basis": ["FR Code pénal 461-1", "FR Code pénal 121-7"],
        "mode_of_liability": "complicity",
        "qualification_text": "Complicité de crimes de guerre",
    },
]

AUTHORITY = "Investigating judges, Paris Judicial Court"


class Command(BaseCommand):
    help = "Load the demo case (idempotent): the 2013 Ghouta chemical attacks case in Paris."

    def handle(self, *args, **options):
        if Case.objects.filter(reference=REFERENCE).exists():
            self.stdout.write(f"Demo case {REFERENCE} is already loaded; nothing to do.")
            return
        with audit_context("command", command="seed_demo"), transaction.atomic():
            self.load(Actor.system("seed_demo"))
        self.stdout.write(self.style.SUCCESS(f"Loaded demo case {REFERENCE}."))

    def step(self, message: str) -> None:
        self.stdout.write(f"  {message}")

    def load(self, actor: Actor) -> None:
        self.step("case and incidents")
        case = cases.case_create(
            actor=actor,
            reference=REFERENCE,
            title="Chemical attacks on Douma and Eastern Ghouta (August 2013)",
            summary=(
                "Criminal complaint by the Syrian Centre for Media and Freedom of Expression, "
                "the Open Society Justice Initiative and the Syrian Archive over the use of banned "
                "chemical weapons against civilians in Douma and Eastern Ghouta in August 2013, "
                "which killed more than 1,000 people. In November 2023 two investigating judges "
                "issued arrest warrants for Bashar al-Assad, his brother Maher al-Assad and two "
                "senior officials for complicity in crimes against humanity and war crimes."
            ),
            jurisdiction="FR",
            forum="Paris Judicial Court (investigating judges)",
            basis="universal",
            opened_on=D("2021-03-01"),
        )
        cases.case_transition(
            case_id=case.pk,
            transition="open_investigation",
            actor=actor,
            effective_date=D("2021-04-01"),
            note="Judicial investigation opened (date approximate).",
        )
        cases.incident_create(
            actor=actor,
            case=case,
            title="Chemical attack on Douma",
            started_on=D("2013-08-05"),
            place="Douma, Rif Dimashq, Syria",
            description="Use of banned chemical weapons against civilians (date approximate).",
        )
        cases.incident_create(
            actor=actor,
            case=case,
            title="Sarin attack on Eastern Ghouta",
            started_on=D("2013-08-21"),
            place="Eastern Ghouta, Rif Dimashq, Syria",
            description="Rockets loaded with sarin; more than 1,000 people killed.",
            casualties=1000,
        )

        self.step("plaintiffs and their counsel")
        counsel = party_create(
            actor=actor, kind="person", name="Michael Chammas", custody="at_large"
        )
        for name, original, aliases in PLAINTIFFS:
            org = party_create(
                actor=actor, kind="organization", name=name, name_original=original, aliases=aliases
            )
            plaintiff = cases.participation_create(
                actor=actor, case=case, party=org, role="plaintiff"
            )
            cases.participation_transition(
                participation_id=plaintiff.pk,
                transition="admit",
                actor=actor,
                effective_date=D("2021-03-01"),
            )
            representation = cases.representation_create(
                actor=actor, counsel=counsel, client=plaintiff
            )
            cases.representation_transition(
                representation_id=representation.pk,
                transition="register",
                actor=actor,
                effective_date=D("2021-03-01"),
            )

        witness = party_create(
            actor=actor,
            kind="person",
            name="Karim Haddad (fictional)",
            protected=True,
            pseudonym="Witness A",
            name_original="كريم حداد",
            birth_date="1980",
            nationalities=["SY"],
            custody="at_large",
        )
        cases.participation_create(actor=actor, case=case, party=witness, role="witness")

        self.step("accused, charges and the November 2023 warrants")
        first_warrant = None
        for person in ACCUSED:
            party = party_create(actor=actor, kind="person", nationalities=["SY"], **person)
            accused = cases.participation_create(
                actor=actor, case=case, party=party, role="accused"
            )
            charges = [
                cases.charge_create(actor=actor, case=case, accused=accused, **c) for c in CHARGES
            ]
            warrant = warrants.warrant_create(
                actor=actor,
                case=case,
                subject=party,
                kind="arrest",
                issuing_country="FR",
                issuing_authority=AUTHORITY,
                issued_on=D("2023-11-14"),
                disclosed_on=D("2023-11-15"),
                charges=charges,
            )
            first_warrant = first_warrant or warrant

        assert first_warrant is not None
        self.step("the expected Red Notice, requested")
        warrants.notice_create(
            actor=actor,
            kind="red",
            warrant=first_warrant,
            requesting_country="FR",
            requested_on=D("2023-11-16"),
        )

        self.step("later history: challenge, upholding, annulment, new warrant")
        warrants.warrant_transition(
            warrant_id=first_warrant.pk,
            transition="challenge",
            actor=actor,
            effective_date=D("2023-12-20"),
            note="The national anti-terrorism prosecutor's office asks the Paris Court of "
            "Appeal to annul the warrant, citing a sitting head of state's personal "
            "immunity (date approximate).",
        )
        warrants.warrant_transition(
            warrant_id=first_warrant.pk,
            transition="uphold",
            actor=actor,
            effective_date=D("2024-06-26"),
            note="Paris Court of Appeal upholds the warrant.",
        )
        warrants.warrant_transition(
            warrant_id=first_warrant.pk,
            transition="annul",
            actor=actor,
            effective_date=D("2025-07-25"),
            note="Cour de cassation annuls the warrant: personal immunity of a sitting head "
            "of state.",
        )
        warrants.warrant_create(
            actor=actor,
            case=case,
            subject=first_warrant.subject,
            kind="arrest",
            issuing_country="FR",
            issuing_authority=AUTHORITY,
            issued_on=D("2025-07-29"),
            supersedes=first_warrant,
            charges=list(first_warrant.charges.all()),
        )
