"""`manage.py import_csv`: the dry run reports every problem by line and field and writes
nothing; the import is all or nothing, through the actions (events), and idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Case
from core.models import Event
from parties.models import Party
from tests.conftest import make_user

HEADER = "kind,name,name_original,aliases,birth_date,nationalities,custody,protected,pseudonym\n"
PARTIES = (
    HEADER
    + """person,Anwar Raslan,أنور رسلان,Anwar R.; A. Raslan,1963,SY,detained,false,
organization,Syrian Archive,,,,DE,,false,
person,Hidden Witness,,,,,,true,Witness Z
"""
)

BAD_PARTIES = (
    HEADER
    + """person,Good Row,,,,SY,,false,
alien,Bad Kind,,,1963-13,XX,,false,
person,,,,,,,maybe,
organization,Org With Custody,,,,,detained,false,
person,Protected No Pseudonym,,,,,,true,
person,Good Row,,,,SY,,false,
"""
)

CASES = """reference,title,jurisdiction,forum,basis,opened_on,summary
FR-IMPORT-1,Chemical attacks,FR,Paris Judicial Court,universal,2021-03-01,=HYPERLINK("x")
DE-IMPORT-2,Al-Khatib,DE,Koblenz Higher Regional Court,universal,2020-04-23,
"""


@pytest.fixture
def csv_file(tmp_path):
    def write(text: str, name: str = "in.csv", encoding: str = "utf-8") -> str:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return str(path)

    return write


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_csv", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts() -> tuple[int, int, int]:
    return Party.objects.count(), Case.objects.count(), Event.objects.count()


def test_a_dry_run_of_a_clean_file_writes_nothing(db, csv_file):
    before = counts()
    out, _ = run("parties", csv_file(PARTIES), "--dry-run")
    assert "Would create 3 parties, skip 0" in out
    assert counts() == before


def test_a_dry_run_reports_every_bad_line_and_field_and_writes_nothing(db, csv_file):
    before = counts()
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"problem.*nothing was written"):
        call_command("import_csv", "parties", csv_file(BAD_PARTIES), "--dry-run", stdout=out)
    report = out.getvalue()
    for where in (
        "line 3, kind:",
        "line 3, birth_date:",
        "line 3, nationalities:",
        "line 4, name: Required.",
        "line 4, protected: Write true or false.",
        "line 5:",  # an organisation has no custody (a rule of the record, not one field)
        "line 6:",  # protected without a pseudonym
        "line 7, kind,name or pseudonym,birth_date: Same as line 2.",
    ):
        assert where in report, (where, report)
    assert ": line 2" not in report  # the good line has nothing to say
    assert counts() == before


def test_the_real_import_refuses_a_bad_file_whole(db, csv_file):
    before = counts()
    with pytest.raises(CommandError):
        run("parties", csv_file(BAD_PARTIES))
    assert counts() == before  # not even the good line


def test_the_import_goes_through_the_actions_and_is_idempotent(db, csv_file):
    path = csv_file(PARTIES)
    out, err = run("parties", path, "--progress")
    assert "created 3 parties, skipped 0" in out
    assert "3/3 (100%)" in err
    raslan = Party.objects.get(name="Anwar Raslan")
    assert raslan.aliases == ["Anwar R.", "A. Raslan"] and raslan.nationalities == ["SY"]
    assert raslan.custody == "detained" and raslan.birth_date == "1963"
    hidden = Party.objects.get(name="Hidden Witness")
    assert hidden.protected and hidden.pseudonym == "Witness Z"
    created = Event.objects.filter(type="party.created", subject_id__in=[raslan.pk, hidden.pk])
    assert created.count() == 2 and {e.actor_name for e in created} == {"import_csv"}
    before = counts()
    out, _ = run("parties", path)
    assert "created 0 parties, skipped 3" in out
    assert counts() == before


def test_cases_import_by_reference(db, csv_file, staff):
    path = csv_file(CASES)
    out, _ = run("cases", path, "--user", "staff")
    assert "created 2 cases" in out
    case = Case.objects.get(reference="FR-IMPORT-1")
    assert str(case.opened_on) == "2021-03-01" and case.summary == '=HYPERLINK("x")'
    assert Event.objects.get(subject_id=case.pk, type="case.created").actor_name == "staff"
    assert "created 0 cases, skipped 2" in run("cases", path)[0]
    # One more line: only that one is new.
    more = CASES + "UK-IMPORT-3,Another,GB,Westminster Magistrates,universal,,\n"
    assert "created 1 cases, skipped 2" in run("cases", csv_file(more, "more.csv"))[0]


def test_a_user_without_the_permission_is_refused(db, csv_file):
    make_user("viewer", "viewer")
    before = counts()
    with pytest.raises(CommandError, match="may not add cases"):
        run("cases", csv_file(CASES), "--user", "viewer")
    assert counts() == before


def test_bad_files_get_clear_errors(db, csv_file):
    before = counts()
    with pytest.raises(CommandError, match=r"not UTF-8 text \(line 2"):
        run("parties", csv_file("kind,name\nperson,José\n", encoding="latin-1"))
    with pytest.raises(CommandError, match="empty"):
        run("parties", csv_file(""))
    out = io.StringIO()
    with pytest.raises(CommandError, match="5 problem"):
        call_command("import_csv", "cases", csv_file("reference,colour\nX,red\n"), stdout=out)
    assert "line 1, colour: Unknown column" in out.getvalue()
    for column in ("title", "jurisdiction", "forum", "basis"):
        assert f"line 1, {column}: Required column missing." in out.getvalue()
    with pytest.raises(CommandError, match="invalid choice: 'warrants'"):
        run("warrants", csv_file(CASES))
    with pytest.raises(CommandError, match="Cannot read"):
        run("cases", "/nonexistent/file.csv")
    with pytest.raises(CommandError, match="No active user"):
        run("cases", csv_file(CASES), "--user", "nobody")
    assert counts() == before


def test_a_row_with_the_wrong_number_of_cells_is_named(db, csv_file):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_csv", "cases", csv_file(CASES + "ONLY,two\n"), "--dry-run", stdout=out)
    assert "line 4: 2 cells where the header has 7." in out.getvalue()


# The web page ------------------------------------------------------------------------------


def upload(client, text: str, kind: str = "parties", really: bool = False, encoding="utf-8"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"kind": kind, "file": SimpleUploadedFile("in.csv", text.encode(encoding))}
    if really:
        data["really"] = "on"
    return client.post("/imports/", data)


@pytest.fixture
def staff_client(staff):
    from django.test import Client

    client = Client()
    client.force_login(staff)
    return client


def test_the_page_checks_first_and_writes_nothing_on_a_bad_file(staff_client):
    before = counts()
    response = upload(staff_client, BAD_PARTIES, really=True)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-line="3" data-field="birth_date"' in page
    assert 'data-line="4" data-field="protected"' in page
    assert counts() == before


def test_the_page_imports_once_as_the_user(staff_client):
    checked = upload(staff_client, PARTIES)
    assert checked.status_code == 200 and "Would create 3" in checked.content.decode()
    assert Party.objects.filter(name="Anwar Raslan").count() == 0
    assert "Created 3" in upload(staff_client, PARTIES, really=True).content.decode()
    raslan = Party.objects.get(name="Anwar Raslan")
    assert Event.objects.get(subject_id=raslan.pk, type="party.created").actor_name == "staff"
    again = upload(staff_client, PARTIES, really=True).content.decode()
    assert "Created 0, skipped 3" in again
    assert Party.objects.filter(name="Anwar Raslan").count() == 1


def test_the_page_refuses_bad_encoding_and_whom_may_not(staff_client, staff):
    before = counts()
    response = upload(staff_client, "kind,name\nperson,José\n", encoding="latin-1", really=True)
    assert response.status_code == 400 and "not UTF-8 text" in response.content.decode()
    # Staff may add cases and parties; a viewer may not see the page at all.
    from django.test import Client

    viewer_client = Client()
    viewer_client.force_login(make_user("viewer", "viewer"))
    assert upload(viewer_client, CASES, kind="cases", really=True).status_code == 403
    assert counts() == before


def test_a_staff_user_never_matches_a_protected_party_by_its_real_name(staff_client, system):
    from parties.actions import party_create

    party_create(
        actor=system, kind="person", name="Realname Hidden", protected=True, pseudonym="W-7"
    )
    text = HEADER + "person,Realname Hidden,,,,,,false,\n"
    page = upload(staff_client, text).content.decode()
    # Said to be new (would create), so the dry run tells nothing about who is protected.
    assert "Would create 1, skip 0" in page
