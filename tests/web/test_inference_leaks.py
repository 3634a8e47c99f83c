"""What a protected person's records imply stays hidden from readers who may not see the
identity: a position they held (its history page) and the immunity it carried (a warrant's
immunity risk). Readers who may see protected identities see both."""

import pytest
from django.urls import reverse

from parties.actions import party_create
from tests import builders
from tests.builders import SECRET_TITLE

pytestmark = pytest.mark.django_db


def page(client, user, url: str):
    client.force_login(user)
    return client.get(url)


def test_a_protected_persons_position_history_is_not_found_for_who_may_not_see_them(
    client, viewer, staff, head_of_state
):
    position = head_of_state.positions.get()
    url = reverse("web:history", args=["position", position.pk])
    for reader in (viewer, staff):
        response = page(client, reader, url)
        assert response.status_code == 404
        assert SECRET_TITLE not in response.content.decode()


def test_a_lawyer_and_an_admin_see_a_protected_persons_position_history(
    client, lawyer, admin_user, head_of_state
):
    position = head_of_state.positions.get()
    url = reverse("web:history", args=["position", position.pk])
    for reader in (lawyer, admin_user):
        response = page(client, reader, url)
        assert response.status_code == 200
        assert SECRET_TITLE in response.content.decode()


def test_an_unprotected_persons_position_history_stays_open_to_viewers(client, viewer, system):
    party = party_create(
        actor=system,
        kind="person",
        name="Open Person",
        positions=[{"title": "Minister of Defence", "function": "military"}],
    )
    url = reverse("web:history", args=["position", party.positions.get().pk])
    assert page(client, viewer, url).status_code == 200


def test_no_other_history_page_shows_a_protected_persons_position(
    client, viewer, case, head_of_state, immune_warrant
):
    role = head_of_state.participations.get()
    for resource, pk in [
        ("party", head_of_state.pk),
        ("participation", role.pk),
        ("warrant", immune_warrant.pk),
    ]:
        response = page(client, viewer, reverse("web:history", args=[resource, pk]))
        assert response.status_code == 200, resource
        html = response.content.decode()
        assert SECRET_TITLE not in html and "Realname" not in html, resource


def warrant_pages(case, party, warrant):
    return [
        reverse("warrants:warrant", args=[warrant.pk]),
        reverse("warrants:warrants"),
        reverse("cases:detail", args=[case.pk]),
        reverse("parties:detail", args=[party.pk]),
    ]


def test_a_warrants_immunity_risk_is_not_shown_for_a_protected_subject_to_a_viewer(
    client, viewer, staff, case, head_of_state, immune_warrant
):
    for reader in (viewer, staff):
        for url in warrant_pages(case, head_of_state, immune_warrant):
            html = page(client, reader, url).content.decode()
            assert 'class="immunity"' not in html, url
    # Neither affirmed nor denied: a "no" would be false.
    detail = page(client, viewer, reverse("warrants:warrant", args=[immune_warrant.pk]))
    assert "<dt>Immunity risk</dt><dd>—</dd>" in detail.content.decode()


def test_a_lawyer_sees_a_protected_subjects_immunity_risk(
    client, lawyer, case, head_of_state, immune_warrant
):
    for url in warrant_pages(case, head_of_state, immune_warrant):
        assert 'class="immunity"' in page(client, lawyer, url).content.decode(), url


def test_a_viewer_sees_the_immunity_risk_of_an_unprotected_subject(client, viewer, system, case):
    party = party_create(
        actor=system,
        kind="person",
        name="Open Head",
        positions=[{"title": "President", "function": "head_of_state"}],
    )
    accused = builders.accused(system, case, party)
    warrant = builders.warrant(system, case, accused.party, issued_on="2023-11-14")
    for url in warrant_pages(case, party, warrant):
        assert 'class="immunity"' in page(client, viewer, url).content.decode(), url


@pytest.mark.parametrize("role, shown", [("viewer", False), ("lawyer", True)])
def test_the_admins_warrant_list_shows_the_immunity_risk_only_to_who_may_see_the_subject(
    client, request, immune_warrant, role, shown
):
    reader = request.getfixturevalue(role)
    reader.is_staff = True
    reader.save()
    html = page(client, reader, reverse("admin:warrants_warrant_changelist")).content.decode()
    assert str(immune_warrant.pk) in html
    assert ('alt="True"' in html) is shown
    detail = page(
        client, reader, reverse("admin:warrants_warrant_change", args=[immune_warrant.pk])
    )
    assert ('alt="True"' in detail.content.decode()) is shown
