"""Name search (issue 11): any spelling, case, particle, word order or script finds the
person, best match first, on every surface (selector, web list, global search, pickers);
a protected party is found by its pseudonym only by those who may not see it. The demo
case is loaded through its own command."""

import os
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from parties.actions import party_create, party_update
from parties.models import Party
from parties.names import search_key, similarity
from parties.selectors import party_search

SPELLINGS = [
    "Bashar al-Assad",
    "Bachar el-Assad",
    "BASHAR AL ASSAD",
    "Assad, Bashar",
    "Baschar al-Assad",
    "Bashar al Asad",
    "بشار الأسد",
    "بشار الاسد",
]
WITNESS_REAL = ("Karim Haddad", "كريم حداد")  # the demo's protected witness


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def names(user, q):
    return [p.name for p in party_search(user, q)]


def offered(response) -> list[str]:
    """The records a picker's answer offers (their ids)."""
    return re.findall(r'<option value="([^"]+)"', response.content.decode())


def signed_in(client, user):
    client.force_login(user)
    return client


# parties.names -----------------------------------------------------------------------------


def test_every_spelling_has_the_same_search_key_or_a_close_one():
    keys = {search_key(s) for s in SPELLINGS[:6]}
    assert keys == {"asad bashar"}
    for spelling in SPELLINGS:
        assert similarity(spelling, "Bashar al-Assad") >= 0.9, spelling
    assert similarity("Maher al-Assad", "Bashar al-Assad") < 0.5
    assert similarity("Jean Dupont", "Bashar al-Assad") == 0


def test_arabic_folding_hamza_ta_marbuta_alef_maqsura_tashkeel_tatweel():
    assert search_key("أحمد") == search_key("احمد") == search_key("إحمد") == search_key("آحمد")
    assert search_key("فاطمة") == search_key("فاطمه")
    assert search_key("مصطفى") == search_key("مصطفي")
    assert search_key("مُحَمَّد") == search_key("محمد") == search_key("محـــمد")


# The selector ------------------------------------------------------------------------------


@pytest.mark.parametrize("q", SPELLINGS)
def test_every_spelling_finds_bashar_al_assad_first(demo, lawyer, viewer, q):
    for user in (lawyer, viewer):
        found = names(user, q)
        assert found[:1] == ["Bashar al-Assad"], (q, found)


def test_maher_first_and_an_unrelated_name_finds_nothing(demo, viewer):
    for q in ("Maher al-Assad", "ماهر الأسد", "Maher el Assad"):
        assert names(viewer, q)[:1] == ["Maher al-Assad"], q
    for q in ("Jean Dupont", "Marie Curie", "Nguyen Van Thieu", "---", "al"):
        assert names(viewer, q) == [], q


def test_the_name_typed_comes_before_a_longer_one_containing_it_everywhere(
    db, system, viewer, client
):
    """Both match "Ali Hassan" word for word: the closer whole name comes first, in the
    selector, the API and the web list alike (parties.selectors.SEARCH_ORDER)."""
    from tests.api.conftest import client_for

    for name in ("Ali Hassan Mamlouk", "Ali Hassan", "Ali Hassan Barakat"):
        party_create(actor=system, kind="person", name=name)
    assert names(viewer, "Ali Hassan")[0] == "Ali Hassan"
    api = client_for(viewer).get("/api/v1/parties/", {"q": "Ali Hassan"}).json()
    assert api["results"][0]["name"] == "Ali Hassan"
    page = signed_in(client, viewer).get(reverse("parties:list"), {"q": "Ali Hassan"})
    listed = re.findall(r"Ali Hassan[A-Za-z ]*(?=<)", page.content.decode())
    assert listed[0] == "Ali Hassan", listed


def test_a_small_typo_still_finds_the_person(demo, viewer):
    assert names(viewer, "Bashar al-Asaad")[:1] == ["Bashar al-Assad"]
    assert names(viewer, "Basher Assad")[:1] == ["Bashar al-Assad"]
    assert names(viewer, "Ghasan Abas")[:1] == ["Ghassan Abbas"]


def test_the_protected_witness_is_found_by_pseudonym_only_by_a_viewer(demo, viewer, lawyer):
    for q in WITNESS_REAL:
        assert names(viewer, q) == [], q
        assert names(lawyer, q)[:1] == ["Karim Haddad (fictional)"], q
    found = list(party_search(viewer, "Witness A"))
    assert [p.pseudonym for p in found][:1] == ["Witness A"]


def test_the_search_column_follows_every_write(db, system, viewer):
    party = party_create(actor=system, kind="person", name="Ahmad Example")
    assert names(viewer, "Ahmed Example") == ["Ahmad Example"]
    party_update(party_id=party.pk, actor=system, name="Youssef Other", aliases=["يوسف"])
    assert names(viewer, "Ahmad Example") == []
    assert names(viewer, "Yusuf Other") == ["Youssef Other"]
    # A party saved directly (admin, scripts) is kept current too.
    direct = Party(kind="organization", name="Société Générale de Test")
    direct.save()
    assert names(viewer, "societe generale") == ["Société Générale de Test"]


def test_an_arabic_only_entry_and_a_latin_only_entry_find_each_other(db, system, viewer):
    # Known from an Arabic source only: its Latin name says nothing of its name.
    party_create(actor=system, kind="person", name="Person 17", name_original="جميل حسن")
    party_create(actor=system, kind="person", name="Ali Mamlouk")
    assert names(viewer, "Jamil Hassan") == ["Person 17"]
    assert names(viewer, "علي مملوك") == ["Ali Mamlouk"]


def test_every_comparison_the_search_makes_can_read_its_trigram_index(db, system, viewer):
    """With whole-table reads priced out, each kind of match (keys; skeletons against Arabic
    forms for a Latin query, against all for an Arabic one) is read through an index of
    parties_nameform: none reads the table whole."""
    from django.db import connection

    party_create(actor=system, kind="person", name="Bashar al-Assad", name_original="بشار الأسد")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")  # nor a walk of the party_id index
        for q, indexes in (
            ("Bashar al-Assad", {"name_form_key_trgm", "name_form_unvowelled_trgm"}),
            ("بشار الأسد", {"name_form_key_trgm", "name_form_skeleton_trgm"}),
        ):
            sql, params = party_search(viewer, q)[:50].query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Seq Scan on parties_nameform" not in plan, plan
            used = set(re.findall(r"Bitmap Index Scan on (name_form_\w+)", plan))
            assert used == indexes, plan
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_indexscan")


def test_protecting_a_party_takes_its_real_names_out_of_what_others_match(db, system, viewer):
    from parties.actions import party_set_protection

    party = party_create(actor=system, kind="person", name="Samira Exposed", aliases=["Samira E."])
    assert names(viewer, "Samira Exposed") == ["Samira Exposed"]
    party_set_protection(
        party_id=party.pk, actor=system, protected=True, pseudonym="Witness Q", note="At risk."
    )
    assert names(viewer, "Samira Exposed") == []
    assert names(viewer, "Samira E") == []
    assert [p.pk for p in party_search(viewer, "Witness Q")] == [party.pk]


# Web: the party list, the global search, the pickers ---------------------------------------


def test_the_party_list_ranks_the_best_match_first(demo, client, viewer):
    page = signed_in(client, viewer).get(reverse("parties:list"), {"q": "Bachar el-Assad"})
    body = page.content.decode()
    assert "Bashar al-Assad" in body and "Ghassan Abbas" not in body
    page = signed_in(client, viewer).get(reverse("parties:list"), {"q": "ماهر الأسد"})
    body = page.content.decode()
    assert body.index("Maher al-Assad") < body.index("Bashar al-Assad")


def test_the_global_search_finds_cases_parties_warrants_and_notices(demo, client, viewer, system):
    from tests import builders
    from warrants.models import Warrant

    warrant = Warrant.objects.filter(status="issued").order_by("created_at").first()
    assert warrant is not None
    Warrant.objects.filter(pk=warrant.pk).update(reference="PNAT-2023-0042")
    builders.red_notice(system, warrant, interpol_id="2023/98765")
    signed_in(client, viewer)
    search = reverse("web:search")
    page = client.get(search, {"q": "ghouta"}).content.decode()
    assert 'data-section="cases"' in page and "FR-PARIS-2021-GHOUTA" in page
    page = client.get(search, {"q": "بشار الاسد"}).content.decode()
    assert 'data-section="parties"' in page and "Bashar al-Assad" in page
    page = client.get(search, {"q": "PNAT-2023"}).content.decode()
    assert 'data-section="warrants"' in page
    assert reverse("warrants:warrant", args=[warrant.pk]) in page
    page = client.get(search, {"q": "2023/98765"}).content.decode()
    assert 'data-section="notices"' in page
    page = client.get(search, {"q": "Jean Dupont"}).content.decode()
    assert "data-search-empty" in page and "data-section=" not in page
    # The header carries the box on every page.
    assert f'action="{search}"' in client.get(reverse("parties:list")).content.decode()


def test_the_global_search_never_shows_a_protected_name_to_a_viewer(demo, client, viewer):
    witness = Party.objects.get(protected=True)
    detail = reverse("parties:detail", args=[witness.pk])
    signed_in(client, viewer)
    for q in WITNESS_REAL:
        page = client.get(reverse("web:search"), {"q": q}).content.decode()
        assert detail not in page and "Witness A" not in page, q
    page = client.get(reverse("web:search"), {"q": "Witness A"}).content.decode()
    assert detail in page and "Witness A" in page
    assert "Karim" not in page and "كريم" not in page and "Haddad" not in page


def test_the_party_picker_searches_as_you_type_and_keeps_the_witness_hidden(
    demo, client, viewer, lawyer
):
    pick = reverse("web:pick", args=["parties"])
    signed_in(client, viewer)
    answer = client.get(pick, {"q": "Assad, Bashar", "kind": "person"}).content.decode()
    assert re.findall(r">([^<]+)</option>", answer)[:1] == ["Bashar al-Assad"]
    answer = client.get(pick, {"q": "ماهر الأسد", "kind": "person"}).content.decode()
    assert re.findall(r">([^<]+)</option>", answer)[:1] == ["Maher al-Assad"]
    for q in WITNESS_REAL:
        assert "Witness A" not in client.get(pick, {"q": q}).content.decode()
    answer = client.get(pick, {"q": "Witness A"}).content.decode()
    assert "Witness A" in answer and "Karim" not in answer
    signed_in(client, lawyer)
    assert "Karim Haddad" in client.get(pick, {"q": "كريم حداد"}).content.decode()
    # An organisation is not offered where a person is wanted.
    assert (
        "Syrian Archive"
        not in client.get(pick, {"q": "Syrian Archive", "kind": "person"}).content.decode()
    )
    assert "Syrian Archive" in client.get(pick, {"q": "Syrian Archive"}).content.decode()


def test_the_charge_picker_finds_a_protected_accused_by_pseudonym_only(
    demo, client, viewer, lawyer, system
):
    from cases.models import Case
    from tests import builders

    witness = Party.objects.get(protected=True)
    case = Case.objects.get()
    charge = builders.charge(
        system, case, builders.accused(system, case, witness), label="Torture at Branch 251"
    )
    pick = reverse("web:pick", args=["charges"])
    signed_in(client, viewer)
    for q in WITNESS_REAL:
        answer = client.get(pick, {"q": q, "case": case.pk})
        assert str(charge.pk) not in offered(answer), q
    for q in ("Witness A", "Branch 251"):
        answer = client.get(pick, {"q": q, "case": case.pk}).content.decode()
        assert f'value="{charge.pk}"' in answer and "Witness A" in answer, q
        assert "Karim" not in answer and "كريم" not in answer and "Haddad" not in answer, q
    signed_in(client, lawyer)
    answer = client.get(pick, {"q": "Karim Haddad", "case": case.pk}).content.decode()
    assert f'value="{charge.pk}"' in answer and "Karim Haddad" in answer


def test_the_warrant_form_lists_no_one_until_one_types(demo, client, staff):
    page = signed_in(client, staff).get(reverse("warrants:warrant_new")).content.decode()
    assert reverse("web:pick", args=["parties"]) in page
    assert reverse("web:pick", args=["warrants"]) in page
    assert "Bashar al-Assad" not in page and "Maher al-Assad" not in page


def test_the_superseded_warrant_picker_offers_only_the_same_subject_in_the_same_case(
    demo, client, staff, system
):
    from cases.models import Case
    from tests import builders
    from warrants.models import Warrant

    bashar = Party.objects.get(name="Bashar al-Assad")
    maher = Party.objects.get(name="Maher al-Assad")
    case = Case.objects.get()
    bashars = Warrant.objects.filter(subject=bashar, case=case).order_by("created_at").first()
    assert bashars is not None
    other_case = builders.case(system)
    elsewhere = builders.warrant(system, other_case, bashar, reference="ELSEWHERE-1")
    pick = reverse("web:pick", args=["warrants"])
    signed_in(client, staff)
    answer = client.get(
        pick, {"q": "investigating", "case": case.pk, "subject": bashar.pk}
    ).content.decode()
    assert f'value="{bashars.pk}"' in answer
    assert f'value="{elsewhere.pk}"' not in answer
    assert str(Warrant.objects.get(subject=maher).pk) not in answer
    answer = client.get(
        pick, {"q": "investigating", "case": case.pk, "subject": maher.pk}
    ).content.decode()
    assert f'value="{bashars.pk}"' not in answer
    # Until case and subject are chosen, nothing; a malformed id is not an error.
    assert offered(client.get(pick, {"q": "investigating"})) == []
    bad = client.get(pick, {"q": "x", "case": "nope", "subject": "nope"})
    assert bad.status_code == 200 and offered(bad) == []
    assert client.get(reverse("web:pick", args=["nothing"])).status_code == 404


NEW_PARTY = {
    "kind": "person",
    "custody": "at_large",
    "positions-TOTAL_FORMS": "0",
    "positions-INITIAL_FORMS": "0",
}


def test_creating_a_party_with_a_close_name_warns_with_links(demo, client, staff):
    bashar = Party.objects.get(name="Bashar al-Assad")
    witness = Party.objects.get(protected=True)
    signed_in(client, staff)
    page = client.post(
        reverse("parties:new"),
        {**NEW_PARTY, "name": "Bachar al-Asad"},
        follow=True,
    ).content.decode()
    assert Party.objects.filter(name="Bachar al-Asad").exists()
    assert reverse("parties:detail", args=[bashar.pk]) in page
    # Staff may not see protected identities: the witness's real name matches nothing.
    page = client.post(
        reverse("parties:new"),
        {**NEW_PARTY, "name": "Karim Hadad"},
        follow=True,
    ).content.decode()
    assert reverse("parties:detail", args=[witness.pk]) not in page
    assert "Witness A" not in page and "fictional" not in page


def test_the_search_examples_in_docs_ui_md_hold(demo, client, viewer):
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "ui.md").read_text()
    section = doc.split("## Search", 1)[1].split("\n## ", 1)[0]
    examples = re.findall(r"^\| `([^`]+)` \| ([^|]+?) \|$", section, flags=re.M)
    assert len(examples) >= 5
    signed_in(client, viewer)
    for typed, expected in examples:
        assert names(viewer, typed)[:1] == [expected], typed
        page = client.get(reverse("web:search"), {"q": typed}).content.decode()
        assert 'data-section="parties"' in page and expected in page, typed
