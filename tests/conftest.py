"""Shared fixtures: personas of domain.md §5 and a small case built through the actions."""

import os
import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from core.events import Actor
from tests import builders
from tests.pipeline.harness import RedisServer

# Runs from several checkouts share the machine's Redis: each run's cache keys (API
# throttle counters) carry a prefix of its own, from its own test database's name.
# Under pytest-xdist each worker has a database (and so a prefix) of its own.
TEST_CACHE_KEY_PREFIX = ":".join(
    filter(
        None,
        [
            "test",
            settings.DATABASES["default"]["TEST"]["NAME"],
            os.environ.get("PYTEST_XDIST_WORKER"),
        ],
    )
)

# Tests that start processes (a Celery worker, Redis, a browser, a live server) are
# `slow`: `make test-fast` leaves them out, `make test` runs them after the rest, one
# at a time. Tests that spawn a subprocess of their own carry the mark themselves.
PROCESS_FIXTURES = {"live_server", "start_worker", "redis_server", "browser"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if PROCESS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def clear_cache() -> None:
    """Forget this run's cache keys and nothing else.

    `cache.clear()` on Redis would flush the whole db, other runs' counters with it.
    Also forgets that a throttle found the cache down (api/throttles.py).
    """
    from api import throttles

    throttles._cache_down_until = 0.0
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    pattern = re.sub(r"([*?\[\]\\])", r"\\\1", cache.key_prefix) + ":*"
    keys = list(client.scan_iter(match=pattern, count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    # Every persona gets a password; the production hasher's cost (0.5-1 s a login)
    # is not what the tests test. Set here, at the root, for every test directory.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _flush_may_truncate_events():
    """Tests that commit end with Django's flush: one TRUNCATE of every table. The events
    table refuses TRUNCATE (core.models.Event); this lets the test harness's flush alone
    through, so the refusal holds for every other statement, in tests too."""
    import pgtrigger
    from django.db.backends.postgresql.operations import DatabaseOperations

    flush = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with pgtrigger.ignore("casetracker.Event:append_only_truncate"):
            return flush(self, sql_list)

    DatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]
    yield
    DatabaseOperations.execute_sql_flush = flush  # type: ignore[method-assign]


@pytest.fixture(autouse=True, scope="session")
def _own_cache_keys():
    with override_settings(
        CACHES={"default": {**settings.CACHES["default"], "KEY_PREFIX": TEST_CACHE_KEY_PREFIX}}
    ):
        yield


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One throwaway redis-server for the whole run (pipeline and browser tests' broker)."""
    server = RedisServer()
    server.start()
    yield server
    server.stop()


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


@pytest.fixture
def head_of_state(system):
    return builders.protected_head_of_state(system)


@pytest.fixture
def immune_warrant(system, case, head_of_state):
    """A warrant issued while its protected subject held personal immunity."""
    accused = builders.accused(system, case, head_of_state)
    return builders.warrant(system, case, accused.party, issued_on="2023-11-14")
