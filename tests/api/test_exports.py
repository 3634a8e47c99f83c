"""The API's exports: every list as CSV with its filters, redacted as its JSON is and
formula-safe; a case's dossier as PDF, DOCX or FollowTheMoney, redacted, problem+json when
refused."""

from __future__ import annotations

import csv
import io
import json

from tests import builders
from tests.api.conftest import SECRET_ALIAS, SECRET_NAME, SECRET_ORIGINAL
from tests.web.test_exports import docx_text, ftm_entities, pdf_text, squashed

SECRETS = (SECRET_NAME, SECRET_ALIAS, SECRET_ORIGINAL, "Secretname")


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, getattr(response, "content", b"")[:300]
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_list_as_csv_keeps_its_filters_and_redacts(world, as_viewer):
    rows = csv_rows(as_viewer.get("/api/v1/parties/", {"format": "csv"}))
    assert {"Witness W-1", "Counsel Person", world.person.name} <= {r["name"] for r in rows}
    witness = next(r for r in rows if r["name"] == "Witness W-1")
    assert witness["protected"] == "true"
    raw = json.dumps(rows)
    for secret in SECRETS:
        assert secret not in raw
    rows = csv_rows(as_viewer.get("/api/v1/parties/", {"format": "csv", "q": "Counsel"}))
    assert [r["name"] for r in rows] == ["Counsel Person"]
    assert csv_rows(as_viewer.get("/api/v1/parties/", {"format": "csv", "q": "Secretname"})) == []


def test_accept_text_csv_works_too_and_nested_records_are_flattened(world, as_read_key):
    response = as_read_key.get("/api/v1/notices/", {"kind": "yellow"}, HTTP_ACCEPT="text/csv")
    rows = csv_rows(response)
    assert len(rows) == 1
    assert rows[0]["subject_summary.name"] == "Witness W-1"
    assert SECRET_NAME not in json.dumps(rows)


def test_the_csv_has_every_row_not_one_page(db, system, as_viewer):
    for n in range(5):
        builders.case(system, reference=f"MANY-{n}")
    rows = csv_rows(
        as_viewer.get("/api/v1/cases/", {"format": "csv", "page_size": 2, "ordering": "reference"})
    )
    assert [r["reference"] for r in rows] == [f"MANY-{n}" for n in range(5)]


def test_the_csv_is_formula_safe(db, system, as_viewer):
    builders.case(system, reference="F-1", title="=cmd|' /C calc'!A0")
    builders.case(system, reference="F-2", title="@SUM(1+1)")
    rows = csv_rows(as_viewer.get("/api/v1/cases/", {"format": "csv", "ordering": "reference"}))
    assert [r["title"] for r in rows] == ["'=cmd|' /C calc'!A0", "'@SUM(1+1)"]


def test_an_empty_csv_still_has_its_header(db, as_viewer):
    response = as_viewer.get("/api/v1/warrants/", {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("id,")
    assert len(text.splitlines()) == 1


def test_a_bad_filter_in_csv_is_a_problem_and_csv_is_for_lists_only(world, as_viewer):
    response = as_viewer.get("/api/v1/cases/", {"format": "csv", "status": "bogus"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "status" in json.loads(response.content)["errors"]
    detail = as_viewer.get(f"/api/v1/cases/{world.case.pk}/", {"format": "csv"})
    assert detail.status_code == 400
    assert json.loads(detail.content)["errors"]["format"] == [
        "Unknown format 'csv'; offered: json."
    ]
    unknown = as_viewer.get("/api/v1/cases/", {"format": "xlsx"})
    assert unknown.status_code == 400
    assert "offered: csv, json" in json.loads(unknown.content)["errors"]["format"][0]
    accepted = as_viewer.get("/api/v1/cases/", HTTP_ACCEPT="text/csv")
    assert [r["reference"] for r in csv_rows(accepted)] == [world.case.reference]


def chronology(client, case, kind: str, **headers):
    return client.get(f"/api/v1/cases/{case.pk}/chronology/{kind}/", **headers)


def test_the_dossier_through_the_api_is_redacted(world, as_read_key, as_lawyer):
    pdf = chronology(as_read_key, world.case, "pdf", HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = squashed(pdf_text(pdf.content))
    assert squashed("Witness W-1") in text
    for secret in SECRETS:
        assert squashed(secret) not in text
    docx = chronology(as_read_key, world.case, "docx")
    assert "Witness W-1" in docx_text(docx.content)
    assert SECRET_NAME not in docx_text(docx.content)
    ftm = chronology(as_read_key, world.case, "ftm")
    assert {e.schema.name for e in ftm_entities(ftm.content)} >= {"CourtCase", "Person"}
    assert SECRET_NAME not in ftm.content.decode()
    assert SECRET_NAME in chronology(as_lawyer, world.case, "ftm").content.decode()


def test_the_dossier_refusals_are_problems(world, as_viewer, as_outsider, anon):
    unknown = chronology(as_viewer, world.case, "exe")
    assert unknown.status_code == 404
    assert unknown["Content-Type"] == "application/problem+json"
    assert chronology(as_outsider, world.case, "pdf").status_code in (403, 404)
    assert chronology(anon, world.case, "pdf").status_code == 401
