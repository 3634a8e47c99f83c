"""The Content-Security-Policy breaks nothing: no page reports a violation, the API docs run."""

import pytest
from playwright.sync_api import expect

# As the other browser tests: the live server sees committed rows; roles restored after.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Every violation the page sees, recorded before any of its own scripts run.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
"""

PAGES = ["/", "/cases/", "/parties/", "/warrants/", "/notices/", "/alerts/", "/review/"]


def test_pages_and_the_api_docs_run_under_the_policy_without_a_violation(sign_in):
    page = sign_in("lawyer")
    page.context.add_init_script(RECORD_VIOLATIONS)
    violations = {}
    for path in [*PAGES, "/settings/api-keys/"]:
        response = page.goto(path)
        assert response and response.ok, path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        violations[path] = page.evaluate("window.__cspViolations")
    # hx-boost: a link followed by htmx swaps the page in place; still no violation.
    page.goto("/")
    page.get_by_role("link", name="Cases").first.click()
    page.wait_for_url("**/cases/")
    violations["boosted /cases/"] = page.evaluate("window.__cspViolations")
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("casetracker API")
    expect(page.locator(".opblock").first).to_be_visible()
    violations["/api/docs/"] = page.evaluate("window.__cspViolations")
    assert {path: found for path, found in violations.items() if found} == {}
