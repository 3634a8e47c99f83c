"""`manage.py verify_sources`: a file changed or removed behind the application's back is
reported (and the command fails); untouched files pass."""

import io

import pytest
from django.core.management import CommandError, call_command

from core.sources import sources_storage
from tests.documents import file_source, pdf_bytes

pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command("verify_sources", stdout=out)
    return out.getvalue()


def test_untouched_files_pass(system):
    file_source(system, pdf_bytes("One"))
    file_source(system, pdf_bytes("Two"))
    assert "2 file(s) checked, 0 problem(s)." in run()


def test_a_tampered_and_a_missing_file_are_reported(system):
    intact = file_source(system, pdf_bytes("Intact"), title="Intact")
    tampered = file_source(system, pdf_bytes("Original"), title="Tampered")
    missing = file_source(system, pdf_bytes("Gone"), title="Missing")
    path = sources_storage().path(tampered.file_name)
    with open(path, "r+b") as stream:  # one byte changed, same size
        stream.seek(-20, 2)
        byte = stream.read(1)
        stream.seek(-20, 2)
        stream.write(bytes([byte[0] ^ 1]))
    sources_storage().delete(missing.file_name)
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 source file"):
        call_command("verify_sources", stdout=out)
    lines = out.getvalue().splitlines()
    assert any(line.startswith(f"tampered\t{tampered.pk}\tTampered") for line in lines)
    assert any(line.startswith(f"missing\t{missing.pk}\tMissing") for line in lines)
    assert not any(str(intact.pk) in line for line in lines)
