"""Sources through the API (issue 13 §1): upload and hash, duplicates, refused files, who sees
what, download (attachment, audited), full-text search, a transition citing a source."""

import hashlib

import pytest

from core.events import Actor
from core.models import Event
from core.sources import Source, source_attach, source_create, source_extract_text
from tests import builders
from tests.documents import ELF, PE, file_source, pdf_bytes, stored_bytes, upload

pytestmark = pytest.mark.django_db

SECRET = "Rania Secretname"


@pytest.fixture
def witness(system, case):
    from cases.actions import participation_create
    from parties.actions import party_set_protection

    party = builders.person(system, name=SECRET)
    participation_create(actor=system, case=case, party=party, role="witness")
    return party_set_protection(
        party_id=party.pk, actor=system, protected=True, pseudonym="Witness W-1", note="At risk."
    )


def post_file(client, data: bytes, name="ruling.pdf", **fields):
    return client.post(
        "/api/v1/sources/",
        {"file": upload(name, data), "title": "Ruling", **fields},
        format="multipart",
    )


def test_upload_stores_the_file_under_a_generated_name_with_its_sha256(as_staff, warrant):
    data = pdf_bytes("Judgment of the Court of Appeal")
    response = post_file(
        as_staff,
        data,
        name="../../etc/evil name.pdf",
        language="en",
        attach_resource="warrant",
        attach_id=str(warrant.pk),
    )
    assert response.status_code == 201, response.json()
    body = response.json()["source"]
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["content_type"] == "application/pdf"
    assert body["size"] == len(data)
    assert body["original_name"] == "evil name.pdf"  # display only, never a path
    assert body["attached_to"] == [{"resource": "warrant", "id": str(warrant.pk)}]
    source = Source.objects.get(pk=body["id"])
    assert source.file_name == f"{source.pk.hex[:2]}/{source.pk.hex}.pdf"
    assert stored_bytes(source) == data
    assert response.json()["duplicates"] == []
    listed = as_staff.get(f"/api/v1/sources/?attached_to={warrant.pk}").json()["results"]
    assert [s["id"] for s in listed] == [body["id"]]


def test_the_same_file_twice_is_reported_as_a_duplicate(as_staff):
    data = pdf_bytes("The same ruling")
    first = post_file(as_staff, data).json()["source"]["id"]
    second = post_file(as_staff, data)
    assert second.status_code == 201
    assert second.json()["duplicates"] == [first]


@pytest.mark.parametrize("program", [ELF, PE], ids=["elf", "pe"])
def test_a_program_renamed_pdf_is_refused_and_nothing_is_stored(as_staff, program):
    response = post_file(as_staff, program, name="ruling.pdf")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "program" in response.json()["errors"]["file"][0]
    assert not Source.objects.exists()


def test_a_type_outside_the_allow_list_is_refused(as_staff):
    response = post_file(as_staff, b"PK\x03\x04" + b"\x00" * 100, name="notes.txt")
    assert response.status_code == 400
    assert "application/zip" in response.json()["errors"]["file"][0]
    assert not Source.objects.exists()


def test_a_file_over_the_limit_is_refused(as_staff, settings):
    settings.SOURCES_MAX_UPLOAD_BYTES = 1000
    response = post_file(as_staff, pdf_bytes("x" * 50))
    assert response.status_code in (400, 413)
    assert response["Content-Type"] == "application/problem+json"
    assert not Source.objects.exists()


def test_a_link_needs_its_url_and_a_bad_hash_is_refused(as_staff):
    missing = as_staff.post("/api/v1/sources/", {"title": "Article"}, format="json")
    assert missing.status_code == 400
    bad = as_staff.post(
        "/api/v1/sources/",
        {"title": "Article", "url": "https://example.org/a", "archived_sha256": "abc"},
        format="json",
    )
    assert bad.status_code == 400 and "archived_sha256" in bad.json()["errors"]
    assert not Source.objects.exists()
    good = as_staff.post(
        "/api/v1/sources/",
        {"title": "Article", "url": "https://example.org/a", "archived_sha256": "a" * 64},
        format="json",
    )
    assert good.status_code == 201
    assert good.json()["source"]["download_url"] is None


def test_viewers_and_read_keys_cannot_upload(as_viewer, as_read_key):
    assert post_file(as_viewer, pdf_bytes("x")).status_code == 403
    assert post_file(as_read_key, pdf_bytes("x")).status_code == 403
    assert not Source.objects.exists()


def test_a_confidential_source_is_hidden_from_a_viewer(as_viewer, as_lawyer, staff, case):
    actor = Actor.for_user(staff)
    hidden = file_source(actor, pdf_bytes("Confidential memo"), case, confidential=True)
    shown = file_source(actor, pdf_bytes("Public ruling"), case, title="Public")
    listed = as_viewer.get(f"/api/v1/sources/?attached_to={case.pk}").json()["results"]
    assert [s["id"] for s in listed] == [str(shown.pk)]
    assert as_viewer.get(f"/api/v1/sources/{hidden.pk}/").status_code == 404
    assert as_viewer.get(f"/api/v1/sources/{hidden.pk}/download/").status_code == 404
    assert as_viewer.get(f"/api/v1/sources/{shown.pk}/download/").status_code == 200
    # lawyers see it; so does whoever added it
    assert as_lawyer.get(f"/api/v1/sources/{hidden.pk}/download/").status_code == 200
    from tests.api.conftest import client_for

    assert client_for(staff).get(f"/api/v1/sources/{hidden.pk}/").status_code == 200


def test_a_source_of_a_protected_witness_is_hidden_from_a_viewer(
    as_viewer, as_staff, as_lawyer, system, witness
):
    source = file_source(system, pdf_bytes(f"Statement of {SECRET}"), witness, title=SECRET)
    for client in (as_viewer, as_staff):
        listed = client.get(f"/api/v1/sources/?attached_to={witness.pk}").json()["results"]
        assert listed == []
        assert SECRET not in client.get("/api/v1/sources/").content.decode()
        assert client.get(f"/api/v1/sources/{source.pk}/").status_code == 404
        assert client.get(f"/api/v1/sources/{source.pk}/download/").status_code == 404
    shown = as_lawyer.get(f"/api/v1/sources/?attached_to={witness.pk}").json()["results"]
    assert [s["title"] for s in shown] == [SECRET]


def test_a_source_of_a_warrant_against_a_protected_person_is_hidden(
    as_viewer, system, immune_warrant
):
    source = file_source(system, pdf_bytes("Warrant"), immune_warrant)
    assert as_viewer.get(f"/api/v1/sources/{source.pk}/").status_code == 404


def test_download_is_an_audited_attachment_with_a_safe_name(as_viewer, viewer, system, case):
    data = pdf_bytes("Ruling")
    source = file_source(system, data, case, title='Ruling "2025" / <script>')
    response = as_viewer.get(f"/api/v1/sources/{source.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Ruling-2025-script.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    audit = source.audit_trail.filter(pgh_label="downloaded")
    assert audit.count() == 1
    # A read opens no audit context of its own (core.audit): the download's carries the
    # request's metadata all the same.
    metadata = audit.get().pgh_context.metadata
    assert metadata["user"] == viewer.pk
    assert metadata["channel"] == "api"
    assert metadata["request_id"] == response["X-Request-ID"]
    assert metadata["url"] == f"/api/v1/sources/{source.pk}/download/"


def test_a_link_has_nothing_to_download(as_viewer, system):
    link = source_create(actor=system, url="https://example.org/a", title="Article")
    response = as_viewer.get(f"/api/v1/sources/{link.pk}/download/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_pdf_is_found_by_a_phrase_inside_it(as_viewer, system):
    wanted = file_source(
        system,
        pdf_bytes("The court held that personal immunity bars the warrant."),
        language="en",
        title="Cassation",
    )
    other = file_source(system, pdf_bytes("Minutes of a hearing about the calendar."))
    for source in (wanted, other):
        source_extract_text(str(source.pk))
    found = as_viewer.get('/api/v1/sources/?q="personal immunity"').json()["results"]
    assert [s["id"] for s in found] == [str(wanted.pk)]
    # English stemming: "bar" finds "bars"
    assert [s["id"] for s in as_viewer.get("/api/v1/sources/?q=bar").json()["results"]] == [
        str(wanted.pk)
    ]
    assert as_viewer.get('/api/v1/sources/?q="immunity personal"').json()["results"] == []


def test_search_never_finds_a_source_the_reader_may_not_see(as_viewer, system, witness):
    source = file_source(system, pdf_bytes(f"Statement of {SECRET}"), witness)
    source_extract_text(str(source.pk))
    assert as_viewer.get("/api/v1/sources/?q=Secretname").json()["results"] == []


def test_french_and_arabic_sources_are_searched_in_their_language(as_viewer, system):
    french = source_create(
        actor=system, url="https://example.org/fr", title="Les mandats annulés", language="fr"
    )
    arabic = source_create(
        actor=system, url="https://example.org/ar", title="مذكرة توقيف", language="ar"
    )
    for source in (french, arabic):
        source_extract_text(str(source.pk))
    assert [s["id"] for s in as_viewer.get("/api/v1/sources/?q=mandat").json()["results"]] == [
        str(french.pk)
    ]
    found = as_viewer.get("/api/v1/sources/", {"q": "توقيف"}).json()["results"]
    assert [s["id"] for s in found] == [str(arabic.pk)]


def test_a_transition_names_the_source_it_rests_on(as_staff, system, warrant):
    source = file_source(system, pdf_bytes("Order"), warrant)
    response = as_staff.post(
        f"/api/v1/warrants/{warrant.pk}/transitions/",
        {"transition": "issue", "effective_date": "2023-11-14", "source": str(source.pk)},
        format="json",
    )
    assert response.status_code == 200, response.json()
    event = Event.objects.filter(subject_id=warrant.pk, transition="issue").get()
    assert event.source_id == source.pk


def test_a_transition_cannot_cite_a_source_its_actor_may_not_see(
    as_staff, system, warrant, witness
):
    hidden = file_source(system, pdf_bytes("Statement"), witness)
    response = as_staff.post(
        f"/api/v1/warrants/{warrant.pk}/transitions/",
        {"transition": "issue", "effective_date": "2023-11-14", "source": str(hidden.pk)},
        format="json",
    )
    assert response.status_code == 400
    assert "source" in response.json()["errors"]
    warrant.refresh_from_db()
    assert warrant.status == "requested"


def test_attaching_to_a_record_and_refusals(as_staff, as_viewer, system, case, warrant):
    source = source_create(actor=system, url="https://example.org/a", title="Article")
    path = f"/api/v1/sources/{source.pk}/attach/"
    ok = as_staff.post(path, {"resource": "warrant", "id": str(warrant.pk)}, format="json")
    assert ok.status_code == 200
    assert ok.json()["attached_to"] == [{"resource": "warrant", "id": str(warrant.pk)}]
    again = as_staff.post(path, {"resource": "warrant", "id": str(warrant.pk)}, format="json")
    assert again.status_code == 200 and len(again.json()["attached_to"]) == 1
    unknown = as_staff.post(path, {"resource": "warrant", "id": str(case.pk)}, format="json")
    assert unknown.status_code == 400
    assert (
        as_viewer.post(path, {"resource": "case", "id": str(case.pk)}, format="json").status_code
        == 403
    )
    assert source.links.count() == 1


def test_attached_sources_of_a_record_are_listed_with_the_record(as_viewer, system, case):
    source = source_create(actor=system, url="https://example.org/a", title="Article")
    source_attach(actor=system, source=source, record=case)
    body = as_viewer.get(f"/api/v1/sources/{source.pk}/").json()
    assert body["attached_to"] == [{"resource": "case", "id": str(case.pk)}]


def test_an_event_names_its_source_only_to_who_may_see_it(as_viewer, as_lawyer, system, warrant):
    from core.events import citing
    from warrants.actions import warrant_transition

    memo = file_source(system, pdf_bytes("Memo"), warrant, confidential=True)
    with citing(memo.pk):
        warrant_transition(
            warrant_id=warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
        )

    def cited(client):
        events = client.get(f"/api/v1/warrants/{warrant.pk}/history/").json()["results"]
        return [e["source"] for e in events if e["transition"] == "issue"]

    assert cited(as_lawyer) == [str(memo.pk)]
    assert cited(as_viewer) == [None]


def test_a_source_staff_attach_to_a_protected_witness_is_written_once_then_hidden_from_them(
    as_staff, as_lawyer, witness
):
    """The upload happens (201, once: a 404 would invite a retry and a duplicate); the
    source is then hidden from staff, who may not see protected identities, and shown to
    a lawyer, who may."""
    response = post_file(
        as_staff, pdf_bytes("Statement"), attach_resource="party", attach_id=str(witness.pk)
    )
    assert response.status_code == 201, response.content
    body = response.json()["source"]
    assert body["attached_to"] == [{"resource": "party", "id": str(witness.pk)}]
    assert SECRET not in response.content.decode()
    assert Source.objects.count() == 1
    assert as_staff.get(f"/api/v1/sources/{body['id']}/").status_code == 404
    assert as_lawyer.get(f"/api/v1/sources/{body['id']}/").status_code == 200
    # Attaching a source staff see to the witness: done, answered with the source as it was.
    other = post_file(as_staff, pdf_bytes("Another")).json()["source"]
    attached = as_staff.post(
        f"/api/v1/sources/{other['id']}/attach/",
        {"resource": "party", "id": str(witness.pk)},
        format="json",
    )
    assert attached.status_code == 200, attached.content
    assert attached.json()["id"] == other["id"]
    assert as_staff.get(f"/api/v1/sources/{other['id']}/").status_code == 404
