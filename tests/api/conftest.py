"""API personas: users with sessions, read and write keys, and anonymous callers."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from casetracker.api.keys import api_key_create


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def client_for(user=None, key: str | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    if key is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


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
