"""Sources in the web interface (issue 13 §1): attach from a record's page, who sees what
(lists, pages, downloads, the global search), the PDF preview, a transition citing a source."""

import pytest
from django.urls import reverse

from core.events import Actor
from core.models import Event
from core.sources import Source, source_extract_text
from tests import builders
from tests.documents import ELF, file_source, pdf_bytes, stored_bytes, upload

pytestmark = pytest.mark.django_db

SECRET = "Rania Secretname"


@pytest.fixture
def witness(system):
    from parties.actions import party_set_protection

    party = builders.person(system, name=SECRET)
    return party_set_protection(
        party_id=party.pk, actor=system, protected=True, pseudonym="Witness W-1", note="At risk."
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def attach_url(resource, record) -> str:
    return reverse("web:source_attach", args=[resource, record.pk])


def test_staff_attach_an_uploaded_pdf_from_the_warrant_page(client, staff, warrant):
    signed_in(client, staff)
    page = client.get(reverse("warrants:warrant", args=[warrant.pk])).content.decode()
    assert attach_url("warrant", warrant) in page
    data = pdf_bytes("Order of the investigating judges")
    response = client.post(
        attach_url("warrant", warrant),
        {"new-file": upload("order.pdf", data), "new-title": "Order", "new-language": "fr"},
    )
    assert response.status_code == 302
    source = Source.objects.get()
    assert stored_bytes(source) == data
    page = client.get(reverse("warrants:warrant", args=[warrant.pk])).content.decode()
    assert reverse("web:source", args=[source.pk]) in page
    assert reverse("web:source_download", args=[source.pk]) in page


def test_a_disguised_program_is_a_form_error_and_stores_nothing(client, staff, case):
    signed_in(client, staff)
    response = client.post(
        attach_url("case", case),
        {"new-file": upload("report.pdf", ELF), "new-title": "Report", "new-language": "en"},
    )
    assert response.status_code == 400
    assert "programs are refused" in response.content.decode()
    assert not Source.objects.exists()


def test_a_second_upload_of_the_same_file_warns(client, staff, case):
    signed_in(client, staff)
    data = pdf_bytes("Same")
    for title in ("First copy", "Second copy"):
        response = client.post(
            attach_url("case", case),
            {"new-file": upload("a.pdf", data), "new-title": title, "new-language": "en"},
            follow=True,
        )
    assert "already recorded as: First copy" in response.content.decode()


def test_attaching_an_existing_source(client, staff, system, case, warrant):
    source = file_source(system, pdf_bytes("Ruling"), case, title="Ruling")
    signed_in(client, staff)
    response = client.post(attach_url("warrant", warrant), {"old-source": str(source.pk)})
    assert response.status_code == 302
    assert source.links.count() == 2


def test_viewers_cannot_attach(client, viewer, case):
    signed_in(client, viewer)
    assert client.get(attach_url("case", case)).status_code == 403
    response = client.post(attach_url("case", case), {"new-url": "https://e.org", "new-title": "x"})
    assert response.status_code == 403
    assert not Source.objects.exists()


def test_a_confidential_source_is_hidden_from_a_viewer(client, viewer, lawyer, staff, case):
    hidden = file_source(
        Actor.for_user(staff), pdf_bytes("Memo"), case, title="Secret memo", confidential=True
    )
    source_extract_text(str(hidden.pk))
    signed_in(client, viewer)
    for path in (
        reverse("cases:detail", args=[case.pk]),
        reverse("web:sources"),
        reverse("web:search") + "?q=memo",
        reverse("web:sources") + "?q=memo",
    ):
        assert "Secret memo" not in client.get(path).content.decode(), path
    for name in ("web:source", "web:source_download", "web:source_preview"):
        assert client.get(reverse(name, args=[hidden.pk])).status_code == 404
    signed_in(client, lawyer)
    assert "Secret memo" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Secret memo" in client.get(reverse("web:search") + "?q=memo").content.decode()
    assert client.get(reverse("web:source_download", args=[hidden.pk])).status_code == 200


def test_a_protected_witness_source_is_hidden_but_the_pseudonym_shows(
    client, viewer, lawyer, system, witness
):
    source = file_source(system, pdf_bytes(f"Statement of {SECRET}"), witness, title=SECRET)
    source_extract_text(str(source.pk))
    signed_in(client, viewer)
    page = client.get(reverse("parties:detail", args=[witness.pk])).content.decode()
    assert "Witness W-1" in page and SECRET not in page
    for path in (reverse("web:sources"), reverse("web:search") + "?q=Secretname"):
        assert SECRET not in client.get(path).content.decode()
    assert client.get(reverse("web:source_download", args=[source.pk])).status_code == 404
    signed_in(client, lawyer)
    assert SECRET in client.get(reverse("web:search") + "?q=Secretname").content.decode()


def test_the_source_page_shows_who_it_is_attached_to_redacted(
    client, viewer, system, witness, case
):
    """A source attached to a public case and (later) named by nothing protected: its page
    lists the case; a protected party's real name never shows."""
    source = file_source(system, pdf_bytes("Ruling"), case, title="Ruling")
    signed_in(client, viewer)
    page = client.get(reverse("web:source", args=[source.pk])).content.decode()
    assert case.reference in page
    assert SECRET not in page


def test_a_pdf_preview_is_inline_framed_by_our_pages_only(client, viewer, system, case):
    source = file_source(system, pdf_bytes("Ruling"), case)
    signed_in(client, viewer)
    page = client.get(reverse("web:source", args=[source.pk]))
    assert f'src="{reverse("web:source_preview", args=[source.pk])}"' in page.content.decode()
    response = client.get(reverse("web:source_preview", args=[source.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    download = client.get(reverse("web:source_download", args=[source.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Frame-Options"] == "DENY"
    # both audited
    assert source.audit_trail.filter(pgh_label="downloaded").count() == 2


def test_a_text_file_is_never_previewed(client, viewer, system, case):
    from core.sources import source_attach, source_create

    text = source_create(
        actor=system, file=upload("n.txt", b"<script>alert(1)</script>", "text/plain"), title="n"
    )
    source_attach(actor=system, source=text, record=case)
    signed_in(client, viewer)
    assert client.get(reverse("web:source_preview", args=[text.pk])).status_code == 404
    download = client.get(reverse("web:source_download", args=[text.pk]))
    assert download["Content-Type"] == "text/plain"
    assert download["Content-Disposition"].startswith("attachment")


def test_a_transition_cites_a_source_and_the_timeline_shows_it(
    client, staff, system, case, warrant
):
    source = file_source(system, pdf_bytes("Order"), warrant, title="Order of 14 November")
    signed_in(client, staff)
    form = client.get(reverse("web:transition", args=["warrant", warrant.pk]) + "?transition=issue")
    assert "Order of 14 November" in form.content.decode()
    response = client.post(
        reverse("web:transition", args=["warrant", warrant.pk]),
        {
            "transition": "issue",
            "effective_date": "2023-11-14",
            "expected_version": warrant.version,
            "source": str(source.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(subject_id=warrant.pk, transition="issue")
    assert event.source_id == source.pk
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("web:source", args=[source.pk]) in page


def test_a_cited_source_the_reader_may_not_see_is_left_out_of_the_timeline(
    client, viewer, system, case, warrant
):
    from core.events import citing
    from warrants.actions import warrant_transition

    secret = file_source(system, pdf_bytes("Memo"), case, title="Secret memo", confidential=True)
    with citing(secret.pk):
        warrant_transition(
            warrant_id=warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
        )
    signed_in(client, viewer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Secret memo" not in page
    assert reverse("web:source", args=[secret.pk]) not in page


def test_the_attach_page_of_a_protected_witness_shows_its_pseudonym_only(client, staff, witness):
    signed_in(client, staff)
    page = client.get(attach_url("party", witness))
    assert page.status_code == 200
    assert "Witness W-1" in page.content.decode()
    assert SECRET not in page.content.decode()
