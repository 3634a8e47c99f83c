"""What people do in the web app, in a real (headless Chromium) browser against a live server."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from alerts.actions import alert_transition
from alerts.models import Alert
from cases.models import Case, Charge, Participation, Representation
from core.events import Actor
from core.models import Event
from parties.actions import party_create
from parties.models import Party
from tests.browser.conftest import AXE, screenshot
from warrants.models import Warrant

# Committed data (the live server reads it from its own thread); the database is put back
# as the migrations left it (role groups included) after each test.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DEMO = "FR-PARIS-2021-GHOUTA"


def demo_case() -> Case:
    return Case.objects.get(reference=DEMO)


def open_case(page) -> None:
    page.get_by_role("link", name="Cases", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    page.locator("main table").get_by_role("link", name=DEMO).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(DEMO)


def test_staff_challenge_a_warrant_and_see_status_timeline_and_alert(start_worker, sign_in):
    # A real Celery worker (the pipeline's harness) turns the new event into an alert.
    start_worker()
    page = sign_in("staff")
    screenshot(page, "dashboard")
    open_case(page)
    maher = Warrant.objects.get(subject__name="Maher al-Assad")
    row = page.locator(f"#warrant-{maher.pk}")
    expect(row.locator(".badge").first).to_have_text("issued")
    row.locator("summary", has_text="Challenge").click()
    form = row.locator("details[data-transition=challenge] form")
    form.get_by_label("Date").fill("2024-01-10")
    form.get_by_label("Note").fill("Appeal by the anti-terrorism prosecutor")
    form.get_by_role("button", name="Confirm: Challenge").click()

    expect(page.locator(".messages")).to_contain_text("Challenge done")
    expect(page.locator(f"#warrant-{maher.pk} .badge").first).to_have_text("challenged")
    mark = page.locator('svg .mark[data-type="warrant.challenged"][data-date="2024-01-10"]')
    expect(mark).to_have_count(1)
    expect(page.locator("#events")).to_contain_text("Appeal by the anti-terrorism prosecutor")
    maher.refresh_from_db()
    assert maher.status == "challenged"

    alert = page.locator("#case-alerts .alert-item", has_text="challenged")
    for _ in range(60):  # the worker relays the event within a second or two
        if alert.count():
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(alert.first).to_contain_text("Maher al-Assad")
    expect(alert.first.locator(".badge").first).to_have_text("high")
    screenshot(page, "case")

    page.locator(f"#warrant-{maher.pk} a", has_text="Arrest").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Arrest warrant")
    expect(page.locator("main")).to_contain_text("Appeal by the anti-terrorism prosecutor")
    screenshot(page, "warrant")


def test_a_viewer_sees_no_transition_buttons(sign_in):
    page = sign_in("viewer")
    open_case(page)
    expect(page.locator("details.transition")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)


def test_a_lawyer_approves_a_charge_in_the_review_queue(sign_in):
    page = sign_in("lawyer")
    page.get_by_role("link", name="Review").click()
    charge = Charge.objects.filter(accused__party__name="Ghassan Abbas").order_by("label").first()
    item = page.locator(f"#review-charge-{charge.pk}")
    expect(item).to_contain_text("Ghassan Abbas")
    screenshot(page, "review-queue")
    item.get_by_label("Comment").fill("Matches the judges' order.")
    item.get_by_role("button", name="Approve").click()
    # htmx swaps the reviewed item in place.
    done = page.locator(f"#review-charge-{charge.pk}.review-done")
    expect(done.locator(".badge")).to_have_text("approved")
    charge.refresh_from_db()
    assert (charge.review, charge.reviewed_by.username) == ("approved", "lawyer")


def links_of(html: str, base: str) -> set[str]:
    found = set()
    for href in re.findall(r'href="([^"#]+)', html):
        url = urljoin(base, href.replace("&amp;", "&"))
        if urlsplit(url).netloc == urlsplit(base).netloc:
            found.add(url)
    return found


def test_a_protected_partys_real_name_never_reaches_a_viewer(sign_in, live_server):
    witness = Party.objects.get(protected=True)
    secrets = [witness.name, witness.name_original, "Karim", "Haddad"]
    page = sign_in("viewer")
    # Every page the viewer can reach by following links.
    todo, seen = {live_server.url + "/"}, set()
    while todo and len(seen) < 120:
        url = todo.pop()
        seen.add(url)
        response = page.request.get(url)
        html = response.text()
        for secret in secrets:
            assert secret not in html, (url, secret)
        todo |= {
            link
            for link in links_of(html, url)
            if link not in seen
            and not urlsplit(link).path.startswith(("/accounts/logout", "/static"))
        }
    assert len(seen) > 15
    page.goto(f"/parties/{witness.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Witness A")
    screenshot(page, "party-protected")


def test_form_errors_keep_the_users_input(sign_in):
    page = sign_in("staff")
    page.goto("/cases/new/")
    page.get_by_label("Reference").fill(DEMO)
    page.get_by_label("Title").fill("A case typed with care")
    page.locator("#id_jurisdiction").select_option("DE")
    page.get_by_label("Forum").fill("Higher Regional Court Koblenz")
    page.get_by_label("Opened on").fill("2020-04-23")
    page.get_by_role("button", name="Save").click()
    error = page.locator(".errorlist", has_text="already exists")
    expect(error).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("A case typed with care")
    expect(page.get_by_label("Forum")).to_have_value("Higher Regional Court Koblenz")
    expect(page.locator("#id_jurisdiction")).to_have_value("DE")
    screenshot(page, "form-errors")


def test_staff_create_a_party_through_the_web_form(sign_in):
    page = sign_in("staff")
    page.get_by_role("link", name="Parties", exact=True).click()
    page.get_by_role("link", name="New party").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New party")
    page.get_by_label("Kind").select_option("person")
    page.get_by_label("Name (Latin script)").fill("Jamil Hassan")
    page.get_by_label("Original script").fill("جميل حسن")
    page.get_by_label("Aliases").fill("Jameel Hassan\nDjamil Hassan")
    page.get_by_label("Born").fill("1953-13")
    page.get_by_label("Nationalities").fill("SY")
    position = page.locator("fieldset#positions-0")
    position.get_by_label("Title").fill("Head of Air Force Intelligence")
    position.get_by_label("Function").select_option("military")
    position.get_by_label("From").fill("2009-01-01")
    page.get_by_role("button", name="Save").click()

    # The mistake is shown next to its field; everything typed is still there.
    expect(page.locator("#id_birth_date_error")).to_contain_text("not a real date")
    expect(page.get_by_label("Original script")).to_have_value("جميل حسن")
    expect(page.get_by_label("Aliases")).to_have_value("Jameel Hassan\nDjamil Hassan")
    expect(position.get_by_label("Title")).to_have_value("Head of Air Force Intelligence")
    assert not Party.objects.filter(name="Jamil Hassan").exists()

    page.get_by_label("Born").fill("1953")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Party Jamil Hassan created.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jamil Hassan")
    expect(page.locator("main")).to_contain_text("Djamil Hassan")
    expect(page.locator("main")).to_contain_text("Head of Air Force Intelligence")
    party = Party.objects.get(name="Jamil Hassan")
    assert (party.name_original, party.birth_date, party.nationalities) == (
        "جميل حسن",
        "1953",
        ["SY"],
    )
    assert Event.objects.filter(
        type="party.created", subject_id=party.pk, actor_name="staff"
    ).exists()


def test_a_concurrent_edit_shows_who_changed_the_record(sign_in):
    first, second = sign_in("staff"), sign_in("admin")
    case = demo_case()
    for page in (first, second):
        page.goto(f"/cases/{case.pk}/edit/")
    first.get_by_label("Title").fill("Edited by staff first")
    first.get_by_role("button", name="Save").click()
    expect(first.locator(".messages")).to_contain_text("Case saved.")
    second.get_by_label("Title").fill("Edited by admin later")
    second.get_by_role("button", name="Save").click()
    expect(second.locator(".conflict")).to_contain_text("This record was changed by staff at")
    expect(second.get_by_label("Title")).to_have_value("Edited by admin later")
    assert Case.objects.get(pk=case.pk).title == "Edited by staff first"


def test_the_arabic_interface_renders_right_to_left(sign_in):
    page = sign_in("viewer")
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Switch").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    open_case_ar = page.locator("header nav a").nth(1)
    open_case_ar.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("القضايا")
    page.locator("main table").get_by_role("link", name=DEMO).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(DEMO)
    screenshot(page, "case-arabic")


def test_the_phone_layout_has_no_horizontal_scroll(sign_in):
    page = sign_in("staff", viewport={"width": 390, "height": 844})
    open_case(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    screenshot(page, "case-phone")


def first_plaintiff() -> Participation:
    return Participation.objects.filter(case=demo_case(), role="plaintiff").earliest("created_at")


def resolved_and_open_alerts() -> tuple[Alert, Alert]:
    """One alert a periodic check resolved by itself (with its note), one still open."""
    case = demo_case()
    cleared = Alert.objects.create(severity="normal", title="Notice not listed", case=case)
    alert_transition(
        alert_id=cleared.pk,
        transition="resolve",
        actor=Actor.system("checks"),
        note="condition cleared: the notice is listed again",
    )
    return cleared, Alert.objects.create(severity="high", title="Warrant annulled", case=case)


def test_a_lawyer_adds_counsel_and_resolves_an_alert_with_a_note(sign_in):
    _cleared, alert = resolved_and_open_alerts()
    party_create(actor=Actor.system("tests"), kind="person", name="Clémence Bectarte")
    page = sign_in("lawyer")
    open_case(page)
    plaintiff = first_plaintiff()
    page.locator(f"#participation-{plaintiff.pk}").get_by_role("link", name="Add counsel").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add counsel for")
    page.get_by_label("Bar").fill("Lyon Bar")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_counsel_error")).to_contain_text("required")
    expect(page.get_by_label("Bar")).to_have_value("Lyon Bar")
    counsel = page.get_by_label("Counsel")
    # A picker: the choices come as one types (web/pickers.py). Typed key by key, as a
    # person types: a value set at once, just as htmx settles the page the failed Save
    # swapped in, could come before htmx listens to the new field, and ask nothing.
    page.locator(f"#{counsel.get_attribute('id')}_search").press_sequentially("Bectarte", delay=50)
    expect(counsel.locator("option", has_text="Clémence Bectarte")).to_have_count(1)
    counsel.select_option(label="Clémence Bectarte")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Counsel added.")
    added = Representation.objects.get(client=plaintiff, bar="Lyon Bar")
    expect(page.locator(f"#representation-{added.pk}")).to_contain_text("(Lyon Bar)")

    page.get_by_role("link", name="Alerts", exact=True).click()
    row = page.locator(f"#alert-{alert.pk}")
    row.get_by_text("Resolve", exact=True).click()
    row.get_by_label("Why it is resolved (optional)").fill("Superseded by the new warrant.")
    row.get_by_role("button", name="Confirm: Resolve").click()
    expect(row).to_contain_text("Resolved by lawyer")  # swapped in place by htmx
    expect(row).to_contain_text("Superseded by the new warrant.")
    alert.refresh_from_db()
    assert (alert.status, alert.resolution_note) == ("resolved", "Superseded by the new warrant.")


MAIN_PAGES = ["/", "/cases/", "{case}", "/parties/", "/warrants/", "/notices/", "/alerts/"]


def test_main_pages_have_no_serious_accessibility_violation(sign_in):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (the Makefile's setup does).")
    resolved_and_open_alerts()
    page = sign_in("lawyer")
    case = demo_case()
    plaintiff = first_plaintiff()
    pages = [p.format(case=f"/cases/{case.pk}/") for p in MAIN_PAGES] + [
        "/alerts/?status=all",
        "/alerts/following/",
        f"/cases/participations/{plaintiff.pk}/counsel/new/",
        "/review/",
    ]
    problems = []
    for path in pages:
        response = page.goto(path)
        assert response and response.ok, path
        # Evaluated through the browser's devtools protocol: the page's CSP refuses inline scripts.
        page.evaluate(AXE.read_text())
        result = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => ['serious', 'critical'].includes(v.impact))"
            ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
        )
        problems += [f"{path} {violation}" for violation in result]
    assert problems == []
    page.goto("/alerts/")
    screenshot(page, "alerts")
