"""Text extraction of sources by a real Celery worker (issue 13 §1): an uploaded PDF is kicked
on commit, its text extracted and indexed, and found by a phrase inside it; one whose kick
was lost is found by the sweep."""

import pytest
from rest_framework.test import APIClient

from core.events import Actor
from core.sources import Source, TextStatus
from tests.conftest import make_user
from tests.documents import file_source, pdf_bytes, upload

from .harness import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PHRASE = "the warrant was annulled on the ground of personal immunity"


def extracted(pk) -> bool:
    return Source.objects.get(pk=pk).text_status == TextStatus.DONE


def test_a_worker_extracts_an_uploaded_pdf_and_search_finds_its_phrase(start_worker, settings):
    start_worker(beat=False)
    staff = make_user("staff-x", "staff")
    viewer = make_user("viewer-x", "viewer")
    client = APIClient()
    client.force_login(staff)
    response = client.post(
        "/api/v1/sources/",
        {
            "file": upload("cassation.pdf", pdf_bytes(f"The court held that {PHRASE}.")),
            "title": "Cour de cassation, 25 July 2025",
            "language": "en",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["source"]["id"]
    wait_for(lambda: extracted(pk), timeout=60, what="the worker's extraction")
    assert PHRASE in " ".join(Source.objects.get(pk=pk).text.split())  # lines wrapped in the PDF
    reader = APIClient()
    reader.force_login(viewer)
    found = reader.get("/api/v1/sources/", {"q": '"personal immunity"'}).json()["results"]
    assert [s["id"] for s in found] == [pk]
    assert reader.get("/api/v1/sources/", {"q": '"immunity personal"'}).json()["results"] == []


def test_the_sweep_extracts_a_source_whose_kick_was_lost(start_worker, settings):
    settings.OUTBOX_KICKS = False  # the kick is lost: only beat's sweep can find it
    source = file_source(Actor.system(), pdf_bytes("Minutes of the hearing of 4 July 2025"))
    assert source.text_status == TextStatus.PENDING
    start_worker(beat=True, SOURCES_SWEEP_SECONDS="0.5")
    wait_for(lambda: extracted(source.pk), timeout=60, what="the sweep's extraction")
    assert "4 July 2025" in Source.objects.get(pk=source.pk).text
