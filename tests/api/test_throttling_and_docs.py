"""Rate limits per key and per user with Retry-After; the schema and docs pages."""

import pytest
from rest_framework.settings import api_settings

from api.throttles import ApiKeyThrottle, UserThrottle


@pytest.fixture
def tight_limits(monkeypatch):
    monkeypatch.setattr(ApiKeyThrottle, "THROTTLE_RATES", {"api_key": "3/min"})
    monkeypatch.setattr(UserThrottle, "THROTTLE_RATES", {"user": "5/min"})


def test_a_key_over_its_limit_gets_429_with_retry_after(world, tight_limits, as_read_key):
    codes = [as_read_key.get("/api/v1/cases/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = as_read_key.get("/api/v1/cases/")
    assert (r["Content-Type"], r.json()["type"]) == (
        "application/problem+json",
        "urn:casetracker:problem:throttled",
    )
    assert int(r["Retry-After"]) > 0


def test_each_key_has_its_own_budget_but_a_user_shares_one(
    world, tight_limits, as_read_key, as_write_key, as_staff
):
    assert [as_read_key.get("/api/v1/cases/").status_code for _ in range(3)] == [200] * 3
    # Same owner (staff): the user budget (5) is shared by both keys and the session.
    assert [as_write_key.get("/api/v1/cases/").status_code for _ in range(2)] == [200] * 2
    assert as_staff.get("/api/v1/cases/").status_code == 429


def test_the_default_rates_are_set():
    assert set(api_settings.DEFAULT_THROTTLE_RATES) == {"api_key", "user", "anon"}


def test_the_schema_is_openapi_3_and_describes_errors(db, anon):
    schema = anon.get("/api/schema/?format=json").json()
    assert schema["openapi"].startswith("3.")
    transition = schema["paths"]["/api/v1/warrants/{id}/transitions/"]["post"]
    assert {"200", "400", "401", "403", "404", "409", "412"} <= set(transition["responses"])
    problem = transition["responses"]["409"]["content"]["application/problem+json"]
    assert problem["schema"]["$ref"].endswith("/Problem")
    assert "bearer" in str(schema["components"]["securitySchemes"]).lower()


def test_the_docs_page_uses_local_assets_only(db, anon):
    page = anon.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower() and "https://" not in page.split("<body")[0]
