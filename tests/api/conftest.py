"""API personas: users with sessions, read and write keys, and anonymous callers."""

import pytest
from rest_framework.test import APIClient

from core.keys import api_key_create
from tests.conftest import clear_cache


@pytest.fixture(autouse=True)
def fresh_throttles():
    clear_cache()
    yield
    clear_cache()


def client_for(user=None, key: str | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    if key is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def clients(staff, lawyer, viewer, outsider, admin_user, read_key, write_key):
    """A client per persona (domain.md §5): sessions, the two keys (owned by staff), none."""
    return {
        "staff": client_for(staff),
        "lawyer": client_for(lawyer),
        "viewer": client_for(viewer),
        "outsider": client_for(outsider),
        "admin": client_for(admin_user),
        "read_key": client_for(key=read_key),
        "write_key": client_for(key=write_key),
        "anonymous": client_for(),
    }


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


@pytest.fixture
def as_staff(staff) -> APIClient:
    return client_for(staff)


@pytest.fixture
def as_lawyer(lawyer) -> APIClient:
    return client_for(lawyer)


@pytest.fixture
def as_viewer(viewer) -> APIClient:
    return client_for(viewer)


@pytest.fixture
def as_outsider(outsider) -> APIClient:
    return client_for(outsider)


@pytest.fixture
def as_admin(admin_user) -> APIClient:
    return client_for(admin_user)


@pytest.fixture
def read_key(staff) -> str:
    return api_key_create(owner=staff, name="read-bot", scope="read")[1]


@pytest.fixture
def write_key(staff) -> str:
    return api_key_create(owner=staff, name="write-bot", scope="write")[1]


@pytest.fixture
def as_read_key(read_key) -> APIClient:
    return client_for(key=read_key)


@pytest.fixture
def as_write_key(write_key) -> APIClient:
    return client_for(key=write_key)


class World:
    """A small case with one record of every kind, and a protected witness."""


SECRET_NAME = "Rania Secretname"
SECRET_ALIAS = "Rania Hiddenalias"
SECRET_ORIGINAL = "رانيا"


@pytest.fixture
def world(db, system):
    from cases.actions import participation_create, representation_create
    from cases.models import Incident
    from parties.actions import party_set_protection
    from tests import builders
    from warrants.actions import notice_create

    w = World()
    w.case = builders.case(system)
    w.accused = builders.accused(system, w.case)
    w.person = w.accused.party
    w.charge = builders.charge(system, w.case, w.accused)
    w.warrant = builders.warrant(system, w.case, w.person)
    w.issued = builders.warrant(system, w.case, w.person, issued_on="2023-11-14")
    w.notice = builders.red_notice(system, w.issued)
    w.incident = Incident.objects.create(case=w.case, title="Douma", started_on="2018-04-07")
    w.counsel = builders.person(system, name="Counsel Person")
    w.representation = representation_create(
        actor=system, counsel=w.counsel, client=w.accused, bar="Paris Bar"
    )
    # Created unprotected, protected later: older event snapshots hold the real name.
    w.witness = builders.person(
        system, name=SECRET_NAME, name_original=SECRET_ORIGINAL, aliases=[SECRET_ALIAS]
    )
    w.witness = party_set_protection(
        party_id=w.witness.pk,
        actor=system,
        protected=True,
        pseudonym="Witness W-1",
        note="Witness at risk.",
    )
    w.witness_role = participation_create(
        actor=system, case=w.case, party=w.witness, role="witness"
    )
    w.witness_notice = notice_create(
        actor=system, kind="yellow", subject=w.witness, requesting_country="FR"
    )
    return w
