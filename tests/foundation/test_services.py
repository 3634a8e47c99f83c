"""config/services.py: which PostgreSQL and Redis `make run` uses, and what it passes on.

Unit level: the resolution with a fake port probe, the probe against a real socket, and
the steps runner with tiny commands. The embedded servers themselves are exercised end
to end by .ci/smoke-embedded.
"""

import signal
import socket
from collections.abc import Iterator

import pytest

from config import services
from config.services import FORCED, Choice, answers, describe, exports, resolve

DB_URL = "postgres://casetracker:secret@db.internal:6543/cases"
BROKER_URL = "redis://broker.internal:6380/0"


def nothing_answers(host: str, port: int) -> bool:
    return False


def never_asked(host: str, port: int) -> bool:
    raise AssertionError(f"probed {host}:{port} although the variable was set")


def test_the_variables_given_are_used_without_probing_any_port():
    choices = resolve({"DATABASE_URL": DB_URL, "CELERY_BROKER_URL": BROKER_URL}, never_asked)

    assert choices == [
        Choice("postgres", DB_URL, "DATABASE_URL"),
        Choice("redis", BROKER_URL, "CELERY_BROKER_URL"),
    ]
    assert exports(choices, {}, {}) == {}


def test_a_server_answering_on_the_default_port_is_used():
    asked = []

    def only_postgres_answers(host: str, port: int) -> bool:
        asked.append((host, port))
        return port == 5432

    postgres, redis = resolve({}, only_postgres_answers)

    assert asked == [("127.0.0.1", 5432), ("127.0.0.1", 6379)]
    assert postgres == Choice("postgres", services.DEFAULT_DATABASE_URL, postgres.why)
    assert not postgres.embedded
    assert redis.embedded and redis.why == "nothing on 127.0.0.1:6379"


def test_with_nothing_set_or_answering_both_are_embedded_and_every_url_points_at_them():
    choices = resolve({}, nothing_answers)

    assert [c.embedded for c in choices] == [True, True]
    assert exports(choices, {"postgres": 41001, "redis": 41002}, {}) == {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:41001/casetracker",
        "CELERY_BROKER_URL": "redis://127.0.0.1:41002/0",
        "CACHE_URL": "redis://127.0.0.1:41002/1",
    }


def test_an_embedded_broker_keeps_a_cache_url_that_was_given():
    env = {"DATABASE_URL": DB_URL, "CACHE_URL": "locmem://"}
    choices = resolve(env, nothing_answers)

    assert exports(choices, {"redis": 41002}, env) == {
        "CELERY_BROKER_URL": "redis://127.0.0.1:41002/0"
    }


def test_services_embedded_overrides_the_variables_and_the_default_ports():
    env = {
        "SERVICES": "embedded",
        "DATABASE_URL": DB_URL,
        "CELERY_BROKER_URL": BROKER_URL,
        "CACHE_URL": "redis://broker.internal:6380/1",
    }
    choices = resolve(env, lambda host, port: True)

    assert choices == [Choice("postgres", None, FORCED), Choice("redis", None, FORCED)]
    assert exports(choices, {"postgres": 41001, "redis": 41002}, env) == {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:41001/casetracker",
        "CELERY_BROKER_URL": "redis://127.0.0.1:41002/0",
        "CACHE_URL": "redis://127.0.0.1:41002/1",
    }


def test_an_unknown_services_mode_is_refused():
    with pytest.raises(SystemExit, match="SERVICES=docker"):
        resolve({"SERVICES": "docker"}, nothing_answers)


def test_the_printed_line_says_where_and_why_but_never_the_password():
    given = describe(Choice("postgres", DB_URL, "DATABASE_URL"), {})
    embedded = describe(Choice("redis", None, FORCED), {"redis": 41002})

    assert given == "PostgreSQL: db.internal:6543 (DATABASE_URL)"
    assert "secret" not in given
    assert embedded == "Redis: embedded Valkey, .services/valkey, port 41002 (SERVICES=embedded)"


def test_the_probe_finds_a_listening_port_and_not_a_closed_one():
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        assert answers("127.0.0.1", port)
    assert not answers("127.0.0.1", port)


@pytest.fixture
def own_signal_handlers() -> Iterator[None]:
    """run_steps installs its handlers in this process: give pytest its own back."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def test_the_steps_get_the_urls_and_the_first_failure_stops_the_rest(tmp_path, own_signal_handlers):
    seen, after = tmp_path / "seen", tmp_path / "after"
    steps = [
        f"sh -c 'echo $DATABASE_URL > {seen}'",
        "sh -c 'exit 3'",
        f"touch {after}",
    ]

    code = services.run_steps(steps, {"PATH": "/usr/bin:/bin", "DATABASE_URL": DB_URL}, [])

    assert code == 3
    assert seen.read_text().strip() == DB_URL
    assert not after.exists()


def test_the_steps_do_not_inherit_the_settings_module_the_celery_app_defaults_to():
    # `python -m config.services` imports config/, whose Celery app sets it: passed on, it
    # would override pytest's own (tests.settings) and start the suite with DEBUG off.
    env = {"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/bin"}
    assert services.inherited(env) == {"PATH": "/bin"}
    assert services.inherited({"DJANGO_SETTINGS_MODULE": "mysite.settings"}) == {
        "DJANGO_SETTINGS_MODULE": "mysite.settings"
    }
