"""Load the demo case: France's 2023 arrest warrants over the 2013 chemical attacks in Syria.

Only what public reports give, each fact with where it was reported (PUBLICATIONS: loaded
as sources attached to the records and cited by the transitions; their URLs are also written
into the records' text: case summary, incident descriptions and transition notes). Dates a
report does not give exactly are marked "approximate". The protected witness is fictional,
to show how protected identities work. No Red Notice is recorded: CNN (2023-11-16) reported
that one was *expected*, not that France requested it.

Idempotent: the whole load is one transaction, skipped if the case exists.
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from cases import actions as cases
from cases.models import Case
from core.audit import audit_context
from core.events import Actor, citing
from core.sources import source_attach, source_create
from parties.actions import party_create
from warrants import actions as warrants

REFERENCE = "FR-PARIS-2021-GHOUTA"
D = datetime.date.fromisoformat

# Where each fact was publicly reported: (title, publisher, date published if the page gives
# it, language, URL). Loaded as core.Source links (no copies of the pages are stored), attached
# to the records and cited by the transitions they support; their URLs are also written into
# the records' text (SOURCES), readable wherever the record is.
PUBLICATIONS: dict[str, list[tuple[str, str, str, str, str]]] = {
    "cnn": [
        (
            "France issues arrest warrant for Syrian President Assad (CNN's report)",
            "World Report Now",
            "2023-11-16",
            "en",
            "https://www.worldreportnow.com/news/france-issues-arrest-warrant-for-syrian-"
            "president-assad/53165/",
        ),
        (
            "France issues arrest warrant for Syrian President Assad over alleged use of banned "
            "chemical weapons on civilians 10 years ago (CNN's report)",
            "Kenyan Post",
            "2023-11-16",
            "en",
            "https://kenyan-post.com/2023/11/france-issues-arrest-warrant-for-syrian-president-"
            "assad-over-alleged-use-of-banned-chemical-weapons-on-civilians-10-years-ago/",
        ),
    ],
    "complaint": [
        (
            "Complaint for crimes against humanity and war crimes filed in France after chemical "
            "attacks in Syria",
            "magazine.com.co",
            "",
            "en",
            "https://magazine.com.co/world-news/middle-east-news/complaint-for-crimes-against-"
            "humanity-and-war-crimes-filed-in-france-after-chemical-attacks-in-syria/",
        ),
        (
            "Sarin in Siria, Assad denunciato",
            "RSI",
            "",
            "other",
            "https://rsi.ch/info/mondo/Sarin-in-Siria-Assad-denunciato--1247934.html",
        ),
    ],
    "appeals": [
        (
            "La Cour de cassation annule le mandat d'arrêt visant l'ex-président syrien Bachar "
            "al-Assad",
            "lifelines.name (a republished report)",
            "",
            "fr",
            "https://web.lifelines.name/read/9ecbf1c2-fe96-5051-a416-2e75d115f59c",
        ),
    ],
    "hearing": [
        (
            "Mandat d'arrêt contre Bachar al-Assad : la Cour de cassation tranchera le 4 juillet",
            "La5bar",
            "",
            "fr",
            "https://la5bar.tn/article/mandat-darr%C3%AAt-contre-bachar-al-assad-la-cour-de-"
            "cassation-tranchera-le-4-juillet",
        ),
    ],
    "cassation": [
        (
            "La Cour de cassation française annule le mandat d'arrêt contre Bachar al-Assad",
            "bluewin (ATS)",
            "",
            "fr",
            "https://www.bluewin.ch/fr/infos/faits-divers/la-cour-de-cassation-fran-aise-annule-"
            "le-mandat-d-arr-t-contre-bachar-al-assad-2799069.html",
        ),
        (
            "La Cour de cassation annule le mandat d'arrêt visant Bachar al-Assad",
            "alerte-info.com",
            "2025-07-25",
            "fr",
            "http://alerte-info.com/25-juillet-2025/cour-cassation-annule-mandat-darret-visant-"
            "bachar-al-assad",
        ),
    ],
    "new_warrant": [
        (
            "Le parquet antiterroriste requiert un nouveau mandat d'arrêt contre Bachar Al-Assad",
            "Le Club des juristes",
            "",
            "fr",
            "https://www.leclubdesjuristes.com/en-bref/le-parquet-antiterroriste-requiert-un-"
            "nouveau-mandat-darret-contre-bachar-al-assad-11729",
        ),
        (
            "Un troisième mandat d'arrêt international émis en France contre Bachar el-Assad",
            "Walaw Press",
            "",
            "fr",
            "https://fr.walaw.press/articles/un_troisieme_mandat_d_arret_international_emis_en_"
            "france_contre_bachar_el-assad/GQWFQLPQFFML",
        ),
    ],
}
SOURCES = {
    key: " ; ".join(f"{publisher}, {url}" for _t, publisher, _d, _l, url in found)
    for key, found in PUBLICATIONS.items()
}

COMPLAINT = D("2021-03-01")  # filed on Monday 1 March 2021 (SOURCES["complaint"])
WARRANTS = D("2023-11-14")  # "on Tuesday, November 14" (SOURCES["cnn"])
REGIME_FELL = D("2024-12-08")  # the positions below ended with the regime

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
                "ended_on": REGIME_FELL,
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
                "ended_on": REGIME_FELL,
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
                "ended_on": REGIME_FELL,
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
                "ended_on": REGIME_FELL,
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

# Counsel as reported: "the plaintiffs, represented by lawyers Jeanne Sulzer and Clémence
# Witt" (SOURCES["complaint"]). CNN calls Michael Chammas "one of the plaintiff lawyers"
# without saying for whom, so he is named in the summary, not given a client.
COUNSEL = ["Jeanne Sulzer", "Clémence Witt"]

ANNULMENT = (
    "Warrant annulled: no exception lifts the personal immunity of a sitting head of state; "
    "warrants issued after he lost office (8 December 2024) are not affected."
)


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

    def load_sources(self, actor: Actor) -> None:
        """One core.Source (a link) per publication, by topic."""
        self.sources = {
            key: [
                source_create(
                    actor=actor,
                    url=url,
                    title=title,
                    publisher=publisher,
                    published_on=D(day) if day else None,
                    language=language,
                )
                for title, publisher, day, language, url in found
            ]
            for key, found in PUBLICATIONS.items()
        }

    def cite(self, actor: Actor, key: str, *records: Any) -> None:
        """Attach the sources of `key` to `records`."""
        for record in records:
            for source in self.sources[key]:
                source_attach(actor=actor, source=source, record=record)

    def citing(self, key: str):
        """Events recorded inside rest on the first source of `key` (Event.source)."""
        return citing(self.sources[key][0].pk)

    def load(self, actor: Actor) -> None:
        self.step("sources (public reports)")
        self.load_sources(actor)
        self.step("case and incidents")
        with self.citing("complaint"):
            case = cases.case_create(
                actor=actor,
                reference=REFERENCE,
                title="Chemical attacks on Adra, Douma and Eastern Ghouta (August 2013)",
                summary=(
                    "Criminal complaint filed in Paris on 1 March 2021 by the Syrian Centre for "
                    "Media and Freedom of Expression, the Open Society Justice Initiative and "
                    "the Syrian Archive over the use of banned chemical weapons against "
                    "civilians in Adra and Douma (4-5 August 2013) and Eastern Ghouta (21 August "
                    "2013), which killed more than 1,000 people. On 14 November 2023 two "
                    "investigating judges issued arrest warrants for Bashar al-Assad, his brother "
                    "Maher al-Assad and two senior officials for complicity in crimes against "
                    "humanity and war crimes. CNN reported that an INTERPOL Red Notice was "
                    "expected to follow, quoting Michael Chammas, one of the plaintiffs' lawyers; "
                    "no request for one is recorded here. Sources: "
                    f"{SOURCES['complaint']} ; {SOURCES['cnn']}"
                ),
                jurisdiction="FR",
                forum="Paris Judicial Court (investigating judges)",
                basis="universal",
                opened_on=COMPLAINT,
            )
        self.cite(actor, "complaint", case)
        self.cite(actor, "cnn", case)
        with self.citing("cnn"):
            cases.case_transition(
                case_id=case.pk,
                transition="open_investigation",
                actor=actor,
                effective_date=D("2021-04-01"),
                note="Judicial investigation opened in response to the complaint (date "
                f"approximate). Source: {SOURCES['cnn']}",
            )
        wounded = (
            "Chemical attacks of 4 and 5 August 2013 on Adra and Douma: at least 450 wounded "
            f"(both towns together). Source: {SOURCES['complaint']}"
        )
        incidents = [
            cases.incident_create(
                actor=actor,
                case=case,
                title=f"Chemical attack on {town}",
                started_on=D("2013-08-04"),
                ended_on=D("2013-08-05"),
                place=f"{town}, Rif Dimashq, Syria",
                description=wounded,
            )
            for town in ("Adra", "Douma")
        ]
        incidents.append(
            cases.incident_create(
                actor=actor,
                case=case,
                title="Sarin attack on Eastern Ghouta",
                started_on=D("2013-08-20"),
                ended_on=D("2013-08-21"),
                place="Eastern Ghouta, Rif Dimashq, Syria",
                description="Bombardment of the night of 20 to 21 August 2013 with sarin: more "
                f"than 1,000 people killed. Source: {SOURCES['complaint']}",
                casualties=1000,
            )
        )
        self.cite(actor, "complaint", *incidents)

        self.step("plaintiffs and their counsel")
        with self.citing("complaint"):
            self.plaintiffs(actor, case)

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
        cases.participation_create(
            actor=actor, case=case, party=witness, role="witness", effective_date=COMPLAINT
        )

        self.step("accused, charges and the November 2023 warrants")
        with self.citing("cnn"):
            first_warrant = self.accused(actor, case)
        self.cite(actor, "new_warrant", first_warrant.subject)  # out of office since 2024-12-08

        self.step("later history: challenges, upholding, appeal, annulment, new warrant")
        self.cite(actor, "appeals", first_warrant)
        with self.citing("appeals"):
            warrants.warrant_transition(
                warrant_id=first_warrant.pk,
                transition="challenge",
                actor=actor,
                effective_date=D("2023-12-20"),
                note="The national anti-terrorism prosecutor's office (PNAT) asks the Paris "
                "Court of Appeal to annul the warrant, citing a sitting head of state's personal "
                f"immunity (date approximate). Source: {SOURCES['appeals']}",
            )
            warrants.warrant_transition(
                warrant_id=first_warrant.pk,
                transition="uphold",
                actor=actor,
                effective_date=D("2024-06-26"),
                note=f"Paris Court of Appeal upholds the warrant. Source: {SOURCES['appeals']}",
            )
            warrants.warrant_transition(
                warrant_id=first_warrant.pk,
                transition="challenge",
                actor=actor,
                effective_date=D("2024-07-01"),
                note="The prosecutor general appeals to the Cour de cassation (lodged in 2024; "
                f"date approximate). Source: {SOURCES['appeals']}",
            )
        self.step("the appeal to the Cour de cassation, its hearing and its decision")
        self.cassation(actor, case, first_warrant)
        with self.citing("new_warrant"):
            new_warrant = warrants.warrant_create(
                actor=actor,
                case=case,
                subject=first_warrant.subject,
                kind="arrest",
                issuing_country="FR",
                issuing_authority=AUTHORITY,
                requested_on=D("2025-07-28"),
                issued_on=D("2025-07-29"),
                supersedes=first_warrant,
                charges=list(first_warrant.charges.all()),
            )
        self.cite(actor, "new_warrant", new_warrant)

    def plaintiffs(self, actor: Actor, case: Case) -> None:
        counsel = [
            party_create(actor=actor, kind="person", name=name, custody="at_large")
            for name in COUNSEL
        ]
        self.cite(actor, "complaint", *counsel)
        for name, original, aliases in PLAINTIFFS:
            org = party_create(
                actor=actor, kind="organization", name=name, name_original=original, aliases=aliases
            )
            plaintiff = cases.participation_create(
                actor=actor, case=case, party=org, role="plaintiff", effective_date=COMPLAINT
            )
            cases.participation_transition(
                participation_id=plaintiff.pk,
                transition="admit",
                actor=actor,
                effective_date=COMPLAINT,
                note=f"Civil party with the complaint. Source: {SOURCES['complaint']}",
            )
            self.cite(actor, "complaint", org, plaintiff)
            for lawyer in counsel:
                representation = cases.representation_create(
                    actor=actor, counsel=lawyer, client=plaintiff, effective_date=COMPLAINT
                )
                cases.representation_transition(
                    representation_id=representation.pk,
                    transition="register",
                    actor=actor,
                    effective_date=COMPLAINT,
                    note=f"Reported as counsel for the plaintiffs. Source: {SOURCES['complaint']}",
                )
                self.cite(actor, "complaint", representation)

    def accused(self, actor: Actor, case: Case) -> Any:
        """The four accused, charged by the warrants of 14 November 2023; returns the first
        warrant (Bashar al-Assad's)."""
        first_warrant = None
        for person in ACCUSED:
            party = party_create(actor=actor, kind="person", nationalities=["SY"], **person)
            accused = cases.participation_create(
                actor=actor, case=case, party=party, role="accused", effective_date=WARRANTS
            )
            cases.participation_transition(
                participation_id=accused.pk,
                transition="charge",
                actor=actor,
                effective_date=WARRANTS,
                note="Named in an arrest warrant (French law treats a person wanted by an "
                f"arrest warrant as mis en examen). Source: {SOURCES['cnn']}",
            )
            charges = []
            for fields in CHARGES:
                charge = cases.charge_create(
                    actor=actor, case=case, accused=accused, effective_date=WARRANTS, **fields
                )
                cases.charge_transition(
                    charge_id=charge.pk,
                    transition="bring",
                    actor=actor,
                    effective_date=WARRANTS,
                    note=f"The charge of the warrant. Source: {SOURCES['cnn']}",
                )
                charges.append(charge)
            warrant = warrants.warrant_create(
                actor=actor,
                case=case,
                subject=party,
                kind="arrest",
                issuing_country="FR",
                issuing_authority=AUTHORITY,
                issued_on=WARRANTS,
                disclosed_on=D("2023-11-15"),
                charges=charges,
            )
            self.cite(actor, "cnn", party, accused, *charges, warrant)
            first_warrant = first_warrant or warrant
        assert first_warrant is not None
        return first_warrant

    def cassation(self, actor: Actor, case: Case, warrant: Any) -> None:
        """The appeal lodged in 2024, heard on 4 July 2025, decided on 25 July 2025; the
        warrant annulled that day."""
        with self.citing("appeals"):
            appeal = warrants.proceeding_create(
                actor=actor,
                case=case,
                kind="appeal_lodged",
                court="Cour de cassation",
                date=D("2024-07-01"),
                warrants=[warrant],
            )
        with self.citing("hearing"):
            hearing = warrants.proceeding_create(
                actor=actor,
                case=case,
                kind="hearing",
                court="Cour de cassation",
                date=D("2025-07-04"),
                appeal=appeal,
                warrants=[warrant],
            )
            warrants.proceeding_transition(
                proceeding_id=hearing.pk,
                transition="hold",
                actor=actor,
                effective_date=D("2025-07-04"),
                note=f"Source: {SOURCES['hearing']}",
            )
            warrants.proceeding_transition(
                proceeding_id=appeal.pk,
                transition="hear",
                actor=actor,
                effective_date=D("2025-07-04"),
                note=f"Heard on 4 July 2025. Source: {SOURCES['hearing']}",
            )
        with self.citing("cassation"):
            decision = warrants.proceeding_create(
                actor=actor,
                case=case,
                kind="decision",
                court="Cour de cassation",
                date=D("2025-07-25"),
                appeal=appeal,
                warrants=[warrant],
                outcome=ANNULMENT,
            )
            warrants.proceeding_transition(
                proceeding_id=appeal.pk,
                transition="decide",
                actor=actor,
                effective_date=D("2025-07-25"),
                outcome=ANNULMENT,
                note=f"Source: {SOURCES['cassation']}",
            )
            warrants.warrant_transition(
                warrant_id=warrant.pk,
                transition="annul",
                actor=actor,
                effective_date=D("2025-07-25"),
                note="Cour de cassation (heard on 4 July 2025) annuls the warrant: personal "
                "immunity of a sitting head of state; warrants issued after he lost office are "
                f"not affected. Sources: {SOURCES['hearing']} ; {SOURCES['cassation']}",
            )
        self.cite(actor, "appeals", appeal)
        self.cite(actor, "hearing", hearing, warrant)
        self.cite(actor, "cassation", decision, warrant)
