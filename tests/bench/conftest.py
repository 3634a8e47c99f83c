"""The benchmark's generator at a tiny scale, in the test's transaction (rolled back after)."""

from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection

from bench.generate import SCALES, generate, workflows_from_app
from core.keys import api_key_create

SEED = 12


@pytest.fixture
def bench_user(db) -> User:
    user = User.objects.create_user("bench-test", password=None)
    user.groups.set(Group.objects.filter(name__in=["staff", "lawyer"]))
    return user


def run_generator(user: User, seed: int = SEED) -> dict[str, int]:
    connection.ensure_connection()
    return generate(
        connection.connection,
        scale=SCALES["tiny"],
        seed=seed,
        user_id=user.pk,
        workflows=workflows_from_app(),
    )


@pytest.fixture
def generated(bench_user) -> dict[str, Any]:
    counts = run_generator(bench_user)
    _, read_key = api_key_create(owner=bench_user, name="bench read", scope="read")
    _, write_key = api_key_create(owner=bench_user, name="bench write", scope="write")
    return {"counts": counts, "user": bench_user, "read_key": read_key, "write_key": write_key}
