"""Documents for source tests: real PDFs (WeasyPrint), a program in disguise, the storage."""

from django.core.files.uploadedfile import SimpleUploadedFile

from core.events import Actor
from core.sources import Source, source_attach, source_create, sources_storage


def pdf_bytes(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<html><body><p>{text}</p></body></html>").write_pdf()


# The start of a real ELF program (64-bit, little-endian, an executable for x86-64).
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 200
# The start of a Windows program (MZ header, PE signature at 0x80).
PE = (
    b"MZ\x90\x00"
    + b"\x00" * 56
    + b"\x80\x00\x00\x00"
    + b"\x00" * 64
    + b"PE\x00\x00"
    + b"\x00" * 200
)


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def file_source(actor: Actor, data: bytes, record=None, name="doc.pdf", **fields) -> Source:
    source = source_create(
        actor=actor,
        file=upload(name, data),
        original_name=name,
        **{"title": "A document", **fields},
    )
    if record is not None:
        source_attach(actor=actor, source=source, record=record)
    return source


def stored_bytes(source: Source) -> bytes:
    with sources_storage().open(source.file_name, "rb") as stream:
        return stream.read()
