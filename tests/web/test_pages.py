"""Web pages through Django's test client: who sees what; every write goes through the actions."""

import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from alerts.models import Alert
from core.events import Actor
from core.models import Event
from parties.actions import party_create
from tests import builders
from warrants.actions import warrant_transition
from warrants.models import Warrant


@pytest.fixture
def protected(system, case):
    from cases.actions import participation_create

    witness = party_create(
        actor=system,
        kind="person",
        name="Realname Hidden",
        name_original="اسم حقيقي",
        aliases=["Realalias"],
        protected=True,
        pseudonym="Witness Z",
    )
    participation_create(actor=system, case=case, party=witness, role="witness")
    return witness


def signed_in(client, user):
    client.force_login(user)
    return client


def test_anonymous_readers_are_sent_to_sign_in(client, case):
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_signing_in_with_the_login_form_opens_the_dashboard(client, staff):
    response = client.post(
        "/accounts/login/", {"username": "staff", "password": "pw-staff"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert b"Open alerts by severity" in response.content


def test_password_reset_mails_a_link_that_sets_a_new_password(client, staff):
    staff.email = "staff@example.org"
    staff.save()
    client.post("/accounts/password_reset/", {"email": "staff@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("a-new-long-passphrase")


@pytest.mark.parametrize("persona", ["staff", "lawyer", "viewer", "admin_user"])
def test_main_pages_render_for_every_role(request, client, persona, warrant, accused, system):
    user = request.getfixturevalue(persona)
    notice_warrant, _ = warrant_transition(
        warrant_id=warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
    )
    notice = builders.red_notice(system, notice_warrant)
    signed_in(client, user)
    pages = [
        "/",
        reverse("cases:list"),
        reverse("cases:detail", args=[warrant.case_id]),
        reverse("parties:list"),
        reverse("parties:detail", args=[accused.party_id]),
        reverse("warrants:warrants"),
        reverse("warrants:warrant", args=[warrant.pk]),
        reverse("warrants:notices"),
        reverse("warrants:notice", args=[notice.pk]),
        reverse("alerts:inbox"),
        reverse("web:history", args=["warrant", warrant.pk]),
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page


def test_a_viewer_sees_no_transition_buttons(client, viewer, warrant):
    signed_in(client, viewer)
    page = client.get(reverse("cases:detail", args=[warrant.case_id])).content.decode()
    assert "Issue" not in re.findall(r"<summary>([^<]*)</summary>", page)
    assert 'class="transition' not in page
    response = client.post(
        reverse("web:transition", args=["warrant", warrant.pk]),
        {"transition": "issue", "expected_version": warrant.version},
    )
    assert response.status_code == 403
    assert Warrant.objects.get(pk=warrant.pk).status == "requested"


def test_staff_issue_a_warrant_from_the_case_page(client, staff, warrant):
    signed_in(client, staff)
    page = client.get(reverse("cases:detail", args=[warrant.case_id])).content.decode()
    assert 'data-transition="issue"' in page
    response = client.post(
        reverse("web:transition", args=["warrant", warrant.pk]),
        {
            "transition": "issue",
            "expected_version": warrant.version,
            "effective_date": "2023-11-14",
            "note": "Signed by the investigating judges.",
            "next": reverse("cases:detail", args=[warrant.case_id]),
        },
        follow=True,
    )
    warrant.refresh_from_db()
    assert (warrant.status, str(warrant.issued_on)) == ("issued", "2023-11-14")
    event = Event.objects.get(type="warrant.issued", subject_id=warrant.pk)
    assert (event.actor_name, event.note) == ("staff", "Signed by the investigating judges.")
    assert 'data-type="warrant.issued"' in response.content.decode()


def test_a_transition_form_with_errors_keeps_what_was_typed(client, staff, system, warrant):
    warrant, _ = warrant_transition(
        warrant_id=warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
    )
    signed_in(client, staff)
    response = client.post(
        reverse("web:transition", args=["warrant", warrant.pk]),
        {
            "transition": "annul",
            "expected_version": warrant.version,
            "effective_date": "",
            "note": "Cour de cassation, personal immunity",
            "confirm": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in page
    assert "Cour de cassation, personal immunity" in page
    assert Warrant.objects.get(pk=warrant.pk).status == "issued"


@time_machine.travel("2024-06-01 12:00 +00:00", tick=False)
def test_a_transition_dated_in_the_future_is_refused_next_to_the_date(client, staff, warrant):
    signed_in(client, staff)
    response = client.post(
        reverse("web:transition", args=["warrant", warrant.pk]),
        {
            "transition": "issue",
            "expected_version": warrant.version,
            "effective_date": "2024-06-03",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    errors = re.search(r'id="id_effective_date_errors">(.*?)</div>', page, re.S)
    assert errors and "2024-06-03 is in the future" in errors.group(1)
    assert Warrant.objects.get(pk=warrant.pk).status == "requested"


def test_an_irreversible_transition_needs_confirmation(client, staff, system, warrant):
    warrant, _ = warrant_transition(
        warrant_id=warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
    )
    signed_in(client, staff)
    response = client.post(
        reverse("web:transition", args=["warrant", warrant.pk]),
        {"transition": "execute", "expected_version": warrant.version},
    )
    assert response.status_code == 400
    assert Warrant.objects.get(pk=warrant.pk).status == "issued"


def test_a_stale_version_is_refused_and_names_who_changed_it(client, staff, warrant):
    seen = warrant.version
    warrant_transition(
        warrant_id=warrant.pk,
        transition="issue",
        actor=Actor.for_user(staff),
        effective_date="2023-11-14",
    )
    signed_in(client, staff)
    response = client.post(
        reverse("web:transition", args=["warrant", warrant.pk]),
        {"transition": "challenge", "expected_version": seen, "note": "By the prosecutor"},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "This record was changed by staff at" in page
    assert "By the prosecutor" in page
    assert Warrant.objects.get(pk=warrant.pk).status == "issued"


def test_a_concurrent_case_edit_shows_the_conflict(client, staff, case):
    from cases.actions import case_update

    signed_in(client, staff)
    form = client.get(reverse("cases:edit", args=[case.pk])).content.decode()
    version = re.search(r'name="expected_version" value="(\d+)"', form).group(1)
    case_update(case_id=case.pk, actor=Actor.for_user(staff), title="Changed meanwhile")
    response = client.post(
        reverse("cases:edit", args=[case.pk]),
        {
            "reference": case.reference,
            "title": "My edit",
            "jurisdiction": "FR",
            "forum": case.forum,
            "basis": case.basis,
            "expected_version": version,
        },
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "changed by staff at" in page
    assert 'value="My edit"' in page
    case.refresh_from_db()
    assert case.title == "Changed meanwhile"


def test_case_form_errors_show_next_to_the_field_and_keep_input(client, staff, case):
    signed_in(client, staff)
    response = client.post(
        reverse("cases:new"),
        {
            "reference": case.reference,
            "title": "A second case",
            "jurisdiction": "FR",
            "forum": "Somewhere",
            "basis": "universal",
            "opened_on": "not a date",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Case with this Reference already exists." in page
    assert "Enter a valid date." in page
    assert 'value="A second case"' in page


def test_staff_create_a_case_through_the_form(client, staff):
    signed_in(client, staff)
    response = client.post(
        reverse("cases:new"),
        {
            "reference": "DE-KOBLENZ-2020",
            "title": "Al-Khatib trial",
            "jurisdiction": "DE",
            "forum": "Higher Regional Court Koblenz",
            "basis": "universal",
        },
    )
    assert response.status_code == 302
    assert Event.objects.filter(type="case.created", actor_name="staff").exists()


def test_a_protected_partys_real_name_never_reaches_a_viewer(
    client, viewer, protected, case, warrant
):
    signed_in(client, viewer)
    pages = [
        "/",
        reverse("cases:detail", args=[case.pk]),
        reverse("parties:list"),
        reverse("parties:list") + "?q=Witness",
        reverse("parties:detail", args=[protected.pk]),
        reverse("web:history", args=["party", protected.pk]),
    ]
    for page in pages:
        content = client.get(page).content.decode()
        for secret in ("Realname", "اسم حقيقي", "Realalias"):
            assert secret not in content, (page, secret)
    assert (
        "Witness Z" in client.get(reverse("parties:detail", args=[protected.pk])).content.decode()
    )
    # Searching by the real name finds nothing (the page only echoes what the viewer typed).
    found = client.get(reverse("parties:list") + "?q=Realname").content.decode()
    assert "Witness Z" not in found and "No party matches." in found


def test_a_lawyer_sees_the_protected_identity(client, lawyer, protected):
    signed_in(client, lawyer)
    page = client.get(reverse("parties:detail", args=[protected.pk])).content.decode()
    assert "Realname Hidden" in page and "Witness Z" in page


def test_a_lawyer_approves_a_charge_and_sees_later_changes_highlighted(
    client, lawyer, staff, system, case, accused
):
    from cases.actions import charge_update

    charge = builders.charge(system, case, accused)
    signed_in(client, lawyer)
    queue = client.get(reverse("web:review_queue")).content.decode()
    assert "Complicity in war crimes" in queue
    response = client.post(
        reverse("web:review", args=["charge", charge.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    charge.refresh_from_db()
    assert (charge.review, charge.reviewed_by) == ("approved", lawyer)
    assert (
        "Complicity in war crimes" not in client.get(reverse("web:review_queue")).content.decode()
    )

    charge_update(charge_id=charge.pk, actor=system, label="Complicity in crimes against humanity")
    queue = client.get(reverse("web:review_queue")).content.decode()
    assert "Changed since the last approval" in queue
    assert "<del>Complicity in war crimes</del>" in queue
    assert "<ins>Complicity in crimes against humanity</ins>" in queue


def test_requesting_changes_needs_a_comment(client, lawyer, system, case, accused):
    charge = builders.charge(system, case, accused)
    signed_in(client, lawyer)
    response = client.post(
        reverse("web:review", args=["charge", charge.pk]), {"decision": "request_changes"}
    )
    assert response.status_code == 400
    assert "Say what should change." in response.content.decode()
    charge.refresh_from_db()
    assert charge.review == "unreviewed"


def test_staff_have_no_review_queue(client, staff):
    signed_in(client, staff)
    assert client.get(reverse("web:review_queue")).status_code == 403


def test_the_alerts_inbox_acknowledges_then_resolves(client, staff, case):
    alert = Alert.objects.create(severity="high", title="Warrant annulled", case=case)
    signed_in(client, staff)
    assert "Warrant annulled" in client.get(reverse("alerts:inbox")).content.decode()
    client.post(reverse("alerts:move", args=[alert.pk, "acknowledge"]))
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == ("acknowledged", staff)
    row = client.post(
        reverse("alerts:move", args=[alert.pk, "resolve"]), headers={"HX-Request": "true"}
    )
    assert row.content.decode().lstrip().startswith(f'<tr id="alert-{alert.pk}"')
    alert.refresh_from_db()
    assert alert.status == "resolved"
    assert "Warrant annulled" not in client.get(reverse("alerts:inbox")).content.decode()


def test_resolving_from_the_inbox_keeps_the_note_and_shows_who_resolved(client, staff, case):
    alert = Alert.objects.create(severity="high", title="Warrant annulled", case=case)
    signed_in(client, staff)
    inbox = client.get(reverse("alerts:inbox")).content.decode()
    assert f'id="note-{alert.pk}"' in inbox  # the resolve form asks why
    row = client.post(
        reverse("alerts:move", args=[alert.pk, "resolve"]),
        {"note": "  Checked with the court registry: superseded by W-2.  "},
        headers={"HX-Request": "true"},
    ).content.decode()
    alert.refresh_from_db()
    assert (alert.status, alert.resolved_by) == ("resolved", staff)
    assert alert.resolution_note == "Checked with the court registry: superseded by W-2."
    assert "Resolved by staff" in row and "superseded by W-2" in row
    page = client.get(reverse("alerts:inbox") + "?status=resolved").content.decode()
    assert "Resolved by staff" in page and "superseded by W-2" in page


def test_the_inbox_shows_alerts_resolved_automatically_with_their_note(client, viewer, case):
    from alerts.actions import alert_transition

    alert = Alert.objects.create(severity="normal", title="Notice not listed", case=case)
    alert_transition(
        alert_id=alert.pk,
        transition="resolve",
        actor=Actor.system("checks"),
        note="condition cleared: the notice is listed again",
    )
    signed_in(client, viewer)
    page = client.get(reverse("alerts:inbox") + "?status=all").content.decode()
    row = page[page.index(f'id="alert-{alert.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Resolved automatically" in row and "Resolved by" not in row
    assert "condition cleared: the notice is listed again" in row
    with_note = client.get(reverse("alerts:inbox") + "?status=all", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Résolue automatiquement" in with_note.content.decode()


def test_a_note_is_refused_on_acknowledge_and_nothing_changes(client, staff, case):
    alert = Alert.objects.create(severity="high", title="Warrant annulled", case=case)
    signed_in(client, staff)
    row = client.post(
        reverse("alerts:move", args=[alert.pk, "acknowledge"]),
        {"note": "seen"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "Only a resolution takes a note." in row
    response = client.post(
        reverse("alerts:move", args=[alert.pk, "acknowledge"]), {"note": "seen"}, follow=True
    )
    assert "Only a resolution takes a note." in response.content.decode()
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by, alert.version) == ("open", None, 1)


def test_a_resolve_refused_because_resolved_meanwhile_keeps_the_note_typed(client, staff, case):
    from alerts.actions import alert_transition

    alert = Alert.objects.create(severity="high", title="Warrant annulled", case=case)
    signed_in(client, staff)
    inbox = client.get(reverse("alerts:inbox")).content.decode()
    assert f'id="note-{alert.pk}"' in inbox  # the user starts typing a note...
    alert_transition(alert_id=alert.pk, transition="resolve", actor=Actor.system("checks"))
    row = client.post(  # ...and sends it after a periodic check resolved the alert
        reverse("alerts:move", args=[alert.pk, "resolve"]),
        {"note": "Superseded by W-2 <per registry>"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert 'role="alert"' in row and "resolved" in row
    note = re.search(rf'<textarea id="note-{alert.pk}"[^>]*readonly>(.*?)</textarea>', row, re.S)
    assert note and note.group(1) == "Superseded by W-2 &lt;per registry&gt;"
    alert.refresh_from_db()
    assert (alert.resolved_by, alert.resolution_note) == (None, "")
    page = client.post(
        reverse("alerts:move", args=[alert.pk, "resolve"]), {"note": "Superseded"}, follow=True
    ).content.decode()
    assert "Your note, not saved: Superseded" in page


def test_a_resolve_form_refused_comes_back_open_with_the_note(rf, staff, case):
    """Where the refused move is still offered, its form comes back open, the note in it."""
    from django.template.loader import render_to_string

    alert = Alert.objects.create(severity="high", title="Warrant annulled", case=case)
    request = rf.post("/")
    request.user = staff
    row = render_to_string(
        "alerts/_row.html",
        {"alert": alert, "may_move": True, "error": "Refused.", "note": "why", "failed": "resolve"},
        request=request,
    )
    assert '<details class="transition" data-transition="resolve" open>' in row
    assert re.search(rf'<textarea id="note-{alert.pk}" name="note"[^>]*>why</textarea>', row)
    assert "readonly" not in row


def test_history_shows_who_changed_what(client, staff, case):
    from cases.actions import case_update

    case_update(case_id=case.pk, actor=Actor.for_user(staff), title="Renamed case")
    signed_in(client, staff)
    page = client.get(reverse("web:history", args=["case", case.pk])).content.decode()
    assert "<ins>Renamed case</ins>" in page
    assert "staff" in page


def test_the_arabic_interface_is_right_to_left(client, viewer):
    signed_in(client, viewer)
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page


def test_only_admins_manage_users_and_roles(client, staff, admin_user, viewer):
    signed_in(client, staff)
    assert client.get(reverse("web:users")).status_code == 302
    signed_in(client, admin_user)
    assert "viewer" in client.get(reverse("web:users")).content.decode()
    from django.contrib.auth.models import Group

    lawyer_group = Group.objects.get(name="lawyer")
    client.post(
        reverse("web:user_edit", args=[viewer.pk]), {"roles": [lawyer_group.pk], "is_active": "on"}
    )
    assert list(viewer.groups.values_list("name", flat=True)) == ["lawyer"]


@pytest.mark.parametrize(
    ("persona", "order"),
    [
        ("viewer", ["Aaron", "Peter", "Witness 7", "Zed"]),
        ("lawyer", ["Aaron", "Nadia Realname", "Peter", "Zed"]),
    ],
)
def test_the_party_list_is_sorted_by_the_name_the_reader_sees(
    db, client, system, persona, order, request
):
    for name in ["Zed", "Peter", "Aaron"]:
        builders.person(system, name=name)
    builders.person(system, name="Nadia Realname", protected=True, pseudonym="Witness 7")
    signed_in(client, request.getfixturevalue(persona))
    html = client.get("/parties/").content.decode()
    assert sorted(order, key=html.index) == order
