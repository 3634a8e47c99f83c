"""Shared fixtures: personas of domain.md §5 and a small case built through the actions."""

import pytest
from django.contrib.auth.models import Group, User

from casetracker.events import Actor
from tests import builders


def make_user(username: str, role: str | None = None, **extra) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return User.objects.get(pk=user.pk)  # fresh, without a stale permission cache


@pytest.fixture
def staff(db) -> User:
    return make_user("staff", "staff")


@pytest.fixture
def lawyer(db) -> User:
    return make_user("lawyer", "lawyer")


@pytest.fixture
def viewer(db) -> User:
    return make_user("viewer", "viewer")


@pytest.fixture
def outsider(db) -> User:
    return make_user("outsider")


@pytest.fixture
def admin_user(db) -> User:
    return make_user("admin", is_staff=True, is_superuser=True)


@pytest.fixture
def system() -> Actor:
    return Actor.system("tests")


@pytest.fixture
def case(db, system):
    return builders.case(system)


@pytest.fixture
def accused(db, system, case):
    return builders.accused(system, case)


@pytest.fixture
def warrant(db, system, case, accused):
    return builders.warrant(system, case, accused.party)


@pytest.fixture(autouse=True)
def _no_pipeline_kicks(settings):
    """Tests publish no Celery messages unless they run a pipeline (tests/pipeline/)."""
    settings.OUTBOX_KICKS = False
