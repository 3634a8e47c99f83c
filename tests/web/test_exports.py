"""Dossier exports (PDF, DOCX, FollowTheMoney) and CSV downloads of the web lists: what they
hold, read back with the format's own library, and that a protected witness's real identity
never reaches a reader who may not see it (its pseudonym does)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case
from tests import builders
from tests.api.conftest import SECRET_ALIAS, SECRET_NAME, SECRET_ORIGINAL, World, world

__all__ = ["World", "world"]  # the API tests' world, with its protected witness

SECRETS = (SECRET_NAME, SECRET_ALIAS, SECRET_ORIGINAL, "Secretname")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def dossier(user, case, kind: str):
    return client_for(user).get(reverse("cases:dossier", args=[case.pk, kind]))


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def squashed(text: str) -> str:
    # PDF text extraction breaks lines inside table cells: compare without whitespace.
    return "".join(text.split())


@pytest.fixture
def noted(world, system):
    """A recorded event with a note, to find in the timeline."""
    from warrants.actions import warrant_transition

    warrant_transition(
        warrant_id=world.issued.pk,
        transition="challenge",
        actor=system,
        effective_date="2024-02-01",
        note="Challenged by the defence before the Court of Appeal",
    )
    return world


def test_the_pdf_holds_the_timeline_and_the_witness_pseudonym_not_the_name(noted, viewer):
    response = dossier(viewer, noted.case, "pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = squashed(pdf_text(response.content))
    assert squashed(noted.case.reference) in text
    assert squashed("Challenged by the defence before the Court of Appeal") in text
    assert "2024-02-01" in text
    assert squashed(noted.issued.reference) in text
    assert squashed("Douma") in text
    assert squashed("Witness W-1") in text
    for secret in SECRETS:
        assert squashed(secret) not in text


def test_a_lawyer_s_pdf_names_the_witness(world, lawyer):
    text = squashed(pdf_text(dossier(lawyer, world.case, "pdf").content))
    assert squashed(SECRET_NAME) in text


def test_the_docx_holds_the_timeline_and_the_witness_pseudonym_not_the_name(noted, viewer, lawyer):
    response = dossier(viewer, noted.case, "docx")
    assert response.status_code == 200
    text = docx_text(response.content)
    assert "Challenged by the defence before the Court of Appeal" in text
    assert "2024-02-01" in text
    assert "Witness W-1" in text
    assert "Counsel Person" in text
    for secret in SECRETS:
        assert secret not in text
    assert SECRET_NAME in docx_text(dossier(lawyer, noted.case, "docx").content)


def ftm_entities(content: bytes) -> list:
    from followthemoney import model

    # Loading each line back through followthemoney validates schema and properties.
    return [model.get_proxy(json.loads(line)) for line in content.decode().splitlines()]


def test_the_ftm_export_loads_back_and_is_redacted(world, viewer, lawyer):
    response = dossier(viewer, world.case, "ftm")
    assert response.status_code == 200
    entities = ftm_entities(response.content)
    by_schema: dict[str, list] = {}
    for entity in entities:
        by_schema.setdefault(entity.schema.name, []).append(entity)
    (court_case,) = by_schema["CourtCase"]
    assert court_case.first("caseNumber") == world.case.reference
    names = {e.first("name") for e in by_schema["Person"]}
    assert {"Witness W-1", world.person.name, "Counsel Person"} <= names
    ids = {e.id for e in entities}
    for link in by_schema["CourtCaseParty"]:
        assert link.first("party") in ids and link.first("case") == court_case.id
    assert any(e.first("name", quiet=True) == "Douma" for e in by_schema["Event"])
    raw = response.content.decode()
    for secret in SECRETS:
        assert secret not in raw
    lawyer_raw = dossier(lawyer, world.case, "ftm").content.decode()
    assert SECRET_NAME in lawyer_raw and SECRET_ALIAS in lawyer_raw


def test_an_unknown_format_or_an_unseen_case_is_not_found(world, viewer, outsider):
    assert dossier(viewer, world.case, "exe").status_code == 404
    assert dossier(outsider, world.case, "pdf").status_code == 404
    missing = Case(pk="00000000-0000-0000-0000-000000000000")
    assert dossier(viewer, missing, "pdf").status_code == 404


def test_the_case_page_links_its_dossier(world, viewer):
    page = client_for(viewer).get(reverse("cases:detail", args=[world.case.pk]))
    assert reverse("cases:dossier", args=[world.case.pk, "pdf"]) in page.content.decode()


# CSV of the lists -----------------------------------------------------------------------


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_parties_csv_keeps_the_filters_and_redacts(world, viewer):
    client = client_for(viewer)
    rows = csv_rows(client.get(reverse("parties:list"), {"format": "csv"}))
    names = {r["name"] for r in rows}
    assert {"Witness W-1", "Counsel Person", world.person.name} <= names
    witness = next(r for r in rows if r["name"] == "Witness W-1")
    assert witness["protected"] == "true" and witness["name_original"] == ""
    raw = json.dumps(rows)
    for secret in SECRETS:
        assert secret not in raw
    filtered = csv_rows(client.get(reverse("parties:list"), {"format": "csv", "q": "Counsel"}))
    assert [r["name"] for r in filtered] == ["Counsel Person"]
    # Searching a protected party's real name finds nothing for a viewer, in CSV too.
    assert csv_rows(client.get(reverse("parties:list"), {"format": "csv", "q": "Secretname"})) == []


def test_the_warrant_and_notice_csv_keep_the_filters(world, viewer):
    client = client_for(viewer)
    issued = csv_rows(
        client.get(reverse("warrants:warrants"), {"format": "csv", "status": "issued"})
    )
    assert [r["reference"] for r in issued] == [world.issued.reference]
    notices = csv_rows(client.get(reverse("warrants:notices"), {"format": "csv", "kind": "yellow"}))
    assert [r["subject"] for r in notices] == ["Witness W-1"]


def test_the_case_csv_is_safe_to_open_in_a_spreadsheet(db, system, viewer):
    builders.case(system, reference="CSV-1", title='=HYPERLINK("http://evil")')
    builders.case(system, reference="CSV-2", title="+cmd", summary="x")
    builders.case(system, reference="CSV-3", title="@SUM(A1)")
    builders.case(system, reference="OTHER-1", title="-2+3")
    rows = csv_rows(client_for(viewer).get(reverse("cases:list"), {"format": "csv", "q": "CSV-"}))
    assert [r["reference"] for r in rows] == ["CSV-1", "CSV-2", "CSV-3"]
    assert [r["title"] for r in rows] == ['\'=HYPERLINK("http://evil")', "'+cmd", "'@SUM(A1)"]


def test_the_alerts_csv_names_parties_as_the_reader_may(world, viewer, lawyer):
    from alerts.models import Alert

    Alert.objects.create(
        severity="high", title="{subject} seen abroad", case=world.case, party=world.witness
    )
    rows = csv_rows(client_for(viewer).get(reverse("alerts:inbox"), {"format": "csv"}))
    assert [r["title"] for r in rows] == ["Witness W-1 seen abroad"]
    rows = csv_rows(client_for(lawyer).get(reverse("alerts:inbox"), {"format": "csv"}))
    assert [r["title"] for r in rows] == [f"{SECRET_NAME} seen abroad"]


def test_the_lists_link_their_csv_with_the_filters(world, viewer):
    page = client_for(viewer).get(reverse("warrants:warrants"), {"status": "issued"})
    assert "status=issued&amp;format=csv" in page.content.decode()


def test_a_viewer_may_not_see_what_an_outsider_asks(world, outsider):
    # Lists need a role: a signed-in user without one gets nothing, in CSV too.
    rows = csv_rows(client_for(outsider).get(reverse("cases:list"), {"format": "csv"}))
    assert rows == []


# Proceedings and sources in the dossier --------------------------------------------------


@pytest.fixture
def sourced(world, system):
    """An appeal heard by the Cour de cassation, resting on a public source; and a source
    attached to the protected witness (its title names her)."""
    from core.events import citing
    from core.sources import source_attach, source_create
    from warrants.actions import proceeding_create, warrant_transition

    public = source_create(
        actor=system,
        url="https://www.courdecassation.fr/decision/2025-07-25",
        title="Cour de cassation ruling of 25 July 2025",
        publisher="Cour de cassation",
    )
    with citing(public.pk):
        warrant_transition(
            warrant_id=world.issued.pk,
            transition="challenge",
            actor=system,
            effective_date="2024-02-01",
            note="Appeal lodged",
        )
    source_attach(actor=system, source=public, record=world.case)
    proceeding_create(
        actor=system,
        case=world.case,
        kind="appeal_lodged",
        court="Cour de cassation",
        date="2024-02-01",
        warrants=[world.issued],
    )
    secret = source_create(
        actor=system, url="https://example.org/statement", title=f"Statement of {SECRET_NAME}"
    )
    source_attach(actor=system, source=secret, record=world.witness)
    return world


def test_the_dossier_lists_proceedings_and_the_sources_each_entry_rests_on(sourced, viewer, lawyer):
    text = docx_text(dossier(viewer, sourced.case, "docx").content)
    assert "Hearings and decisions" in text and "Cour de cassation" in text
    assert "Cour de cassation ruling of 25 July 2025" in text
    assert "https://www.courdecassation.fr/decision/2025-07-25" in text
    pdf = squashed(pdf_text(dossier(viewer, sourced.case, "pdf").content))
    assert squashed("Cour de cassation ruling of 25 July 2025") in pdf
    # The source attached to the protected witness is the lawyer's to read, not the viewer's.
    assert "Statement of" not in text and squashed("Statement of") not in pdf
    for secret in SECRETS:
        assert secret not in text and squashed(secret) not in pdf
    lawyer_text = docx_text(dossier(lawyer, sourced.case, "docx").content)
    assert f"Statement of {SECRET_NAME}" in lawyer_text
