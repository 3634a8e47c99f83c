"""The throttles cost one Redis round trip per request, however many budgets it counts in."""

import pytest
import redis

from api.throttles import ApiKeyThrottle, UserThrottle

from .conftest import client_for


@pytest.fixture
def redis_commands(monkeypatch):
    """The commands sent to Redis, counted at the client (the real server answers them)."""
    sent: list[str] = []
    real = redis.Redis.execute_command

    def counting(self, *args, **options):
        sent.append(str(args[0]))
        return real(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counting)
    return sent


def test_a_key_request_counts_in_both_its_budgets_in_one_round_trip(
    world, read_key, monkeypatch, redis_commands
):
    monkeypatch.setattr(ApiKeyThrottle, "THROTTLE_RATES", {"api_key": "3/min"})
    monkeypatch.setattr(UserThrottle, "THROTTLE_RATES", {"user": "100/min"})
    api = client_for(key=read_key)
    assert api.get("/api/v1/cases/").status_code == 200  # registers the script
    redis_commands.clear()
    codes = [api.get("/api/v1/cases/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]  # the key's budget of 3 still holds
    assert redis_commands == ["EVALSHA"] * 3


def test_a_session_request_is_one_round_trip_too(world, staff, redis_commands):
    api = client_for(staff)
    api.get("/api/v1/cases/")
    redis_commands.clear()
    assert api.get("/api/v1/cases/").status_code == 200
    assert redis_commands == ["EVALSHA"]


def test_a_counter_left_by_the_previous_code_is_no_obstacle(world, staff, caplog):
    """During a deploy older processes still write DRF's pickled list under its key."""
    import logging
    import time

    from django.core.cache import cache

    cache.set(f"throttle_user_{staff.pk}", [time.time()], 60)
    with caplog.at_level(logging.WARNING, logger="api.throttles"):
        assert client_for(staff).get("/api/v1/cases/").status_code == 200
    assert [r for r in caplog.records if r.name == "api.throttles"] == []
