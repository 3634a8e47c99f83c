"""A case's dossier in the formats handed to courts, donors and other tools: PDF (WeasyPrint,
from an HTML template), DOCX (python-docx) and FollowTheMoney entities (JSON lines).

Each renders a `Chronology` (warrants.chronology), already redacted for its reader, and
adds nothing it did not read from it.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

from django.template.loader import render_to_string
from django.utils.text import slugify

from .chronology import Chronology, words

FORMATS = {
    "pdf": ("application/pdf", "pdf"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "ftm": ("application/x-ndjson", "ftm.json"),
}


def filename(chronology: Chronology, kind: str) -> str:
    return f"chronology-{slugify(chronology.case.reference) or 'case'}.{FORMATS[kind][1]}"


def _reader_name(chronology: Chronology) -> str:
    user = chronology.reader
    return user.get_username() if user is not None else ""


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict:
    # The template loads nothing; text from the record (a note) never makes the renderer
    # fetch a URL (escaped anyway, but a renderer that fetches is a server-side request).
    raise ValueError(f"The dossier renderer fetches nothing ({url}).")


def to_html(chronology: Chronology) -> str:
    return render_to_string(
        "dossier/chronology.html",
        {
            "c": chronology,
            "status": words(chronology.case.status),
            "reader_name": _reader_name(chronology),
        },
    )


def to_pdf(chronology: Chronology) -> bytes:
    """The chronology as a PDF (A4), through WeasyPrint."""
    import weasyprint  # heavy (Pango, fonts): loaded by the one request that needs it

    html = weasyprint.HTML(string=to_html(chronology), url_fetcher=_no_fetch)
    return html.write_pdf()


def to_docx(chronology: Chronology) -> bytes:
    """The chronology as a Word document, through python-docx."""
    import docx

    c = chronology
    doc = docx.Document()
    doc.core_properties.title = c.title
    doc.add_heading(c.title, level=0)
    doc.add_paragraph(
        f"{c.case.forum} · {c.case.jurisdiction.name} · status: {words(c.case.status)}. "
        f"Generated {c.generated_at:%Y-%m-%d %H:%M} UTC for {_reader_name(c)}; protected "
        "identities are shown as the reader may see them."
    )
    if c.case.summary:
        doc.add_paragraph(c.case.summary)

    def table(heading: str, header: list[str], rows: list[list[str]]) -> None:
        doc.add_heading(heading, level=1)
        if not rows:
            doc.add_paragraph("None.")
            return
        grid = doc.add_table(rows=1, cols=len(header))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, header, strict=True):
            cell.text = text
        for row in rows:
            for cell, text in zip(grid.add_row().cells, row, strict=True):
                cell.text = text

    table(
        "Timeline",
        ["Date", "Record", "Change", "Note", "Sources"],
        [
            [f"{e.date:%Y-%m-%d}", e.what, e.change, e.note, "; ".join(map(str, e.sources))]
            for e in c.entries
        ],
    )
    if c.incidents:
        table(
            "Incidents",
            ["Dates", "Incident", "Place"],
            [[_span(i.started_on, i.ended_on), i.title, i.place] for i in c.incidents],
        )
    table(
        "Parties",
        ["Name", "Kind", "Roles"],
        [
            [
                row.party.name + (" (protected identity)" if row.hidden else ""),
                row.party.kind,
                ", ".join(f"{p.role} ({p.status})" for p in row.roles),
            ]
            for row in c.parties
        ],
    )
    table(
        "Charges",
        ["Accused", "Charge", "Legal basis", "Status"],
        [
            [ch.accused.party.name, ch.label, "; ".join(ch.legal_basis), ch.status]
            for ch in c.charges
        ],
    )
    table(
        "Warrants",
        ["Warrant", "Subject", "Authority", "Issued", "Status"],
        [
            [
                f"{w.kind} {w.reference}".strip(),
                w.subject.name,
                w.issuing_authority,
                _day(w.issued_on),
                w.status,
            ]
            for w in c.warrants
        ],
    )
    table(
        "INTERPOL notices",
        ["Notice", "Subject", "Requesting country", "Published", "Status"],
        [
            [
                f"{n.kind} {n.interpol_id}".strip(),
                n.subject.name,
                n.requesting_country.code,
                _day(n.published_on),
                n.status,
            ]
            for n in c.notices
        ],
    )
    if c.proceedings:
        table(
            "Hearings and decisions",
            ["Date", "Proceeding", "Court", "Outcome", "Status"],
            [
                [
                    _day(p.date),
                    f"{p.get_kind_display()} {p.reference}".strip(),
                    ", ".join(x for x in (p.court, p.chamber) if x),
                    p.outcome,
                    p.status,
                ]
                for p in c.proceedings
            ],
        )
    if c.deadlines:
        table(
            "Deadlines",
            ["Due", "Deadline", "Status"],
            [[_day(d.due_on), d.title, d.status] for d in c.deadlines],
        )
    if c.sources:
        table(
            "Sources",
            ["Source", "Publisher", "Date", "Backs"],
            [
                [
                    s.title + (f"\n{s.url}" if s.url else ""),
                    s.publisher,
                    _day(s.published_on),
                    "; ".join(backs),
                ]
                for s, backs in c.sources
            ],
        )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _day(day: Any) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


def _span(start: Any, end: Any) -> str:
    return _day(start) + (f" to {_day(end)}" if end else "")


def ftm_entities(chronology: Chronology) -> Iterator[Any]:
    """The case as FollowTheMoney entities: a CourtCase, a Person or Organization per party
    (its shown name only: a protected party keeps its pseudonym), a CourtCaseParty per role
    (with the charges against an accused), a Representation per counsel, and an Event per
    incident, warrant, proceeding and notice."""
    from followthemoney import model

    c = chronology

    def make(schema: str, key: str, **props: Any) -> Any:
        entity = model.make_entity(schema)
        entity.id = f"ct-{key}"
        for prop, value in props.items():
            if value not in (None, "", []):
                entity.add(prop, value)
        return entity

    court_case = make(
        "CourtCase",
        f"case-{c.case.pk}",
        name=c.case.title,
        caseNumber=c.case.reference,
        court=c.case.forum,
        country=c.case.jurisdiction.code,
        fileDate=c.case.opened_on,
        status=words(c.case.status),
        summary=c.case.summary,
    )
    yield court_case
    charges: dict[Any, list[str]] = {}
    for ch in c.charges:
        charges.setdefault(ch.accused_id, []).append(f"{ch.label} ({ch.status})")
    for row in c.parties:
        party = row.party
        schema = "Person" if party.kind == "person" else "Organization"
        props: dict[str, Any] = {"name": party.name}
        if not row.hidden:
            props.update(alias=list(party.aliases), nationality=list(party.nationalities))
            if party.kind == "person":
                props["birthDate"] = party.birth_date
            if party.name_original:
                props["alias"] = [*props["alias"], party.name_original]
        if schema == "Organization":
            props.pop("nationality", None)
            props["country"] = list(party.nationalities) if not row.hidden else []
        entity = make(schema, f"party-{party.pk}", **props)
        yield entity
        for p in row.roles:
            yield make(
                "CourtCaseParty",
                f"participation-{p.pk}",
                party=entity.id,
                case=court_case.id,
                role=words(p.role),
                status=words(p.status),
                description="; ".join(charges.get(p.pk, [])),
            )
    party_ids = {row.party.pk for row in c.parties}
    others = (
        {r.counsel.pk: r.counsel for r in c.representations}
        | {w.subject.pk: w.subject for w in c.warrants}
        | {n.subject.pk: n.subject for n in c.notices}
    )
    for pk, other in others.items():
        if pk not in party_ids:  # counsel, or a subject with no role in the case
            party_ids.add(pk)
            yield make("Person", f"party-{pk}", name=other.name)
    for r in c.representations:
        yield make(
            "Representation",
            f"representation-{r.pk}",
            agent=f"ct-party-{r.counsel.pk}",
            client=f"ct-party-{r.client.party.pk}",
            role="counsel",
            summary=r.bar,
            status=words(r.status),
        )
    for i in c.incidents:
        yield make(
            "Event",
            f"incident-{i.pk}",
            name=i.title,
            startDate=i.started_on,
            endDate=i.ended_on,
            location=i.place,
            summary=i.description,
        )
    for w in c.warrants:
        yield make(
            "Event",
            f"warrant-{w.pk}",
            name=f"{words(w.kind).capitalize()} warrant {w.reference}".strip(),
            date=w.issued_on or w.requested_on,
            country=w.issuing_country.code,
            organizer=None,
            involved=f"ct-party-{w.subject.pk}",
            summary=f"{w.issuing_authority}; status: {words(w.status)}",
        )
    for proceeding in c.proceedings:
        yield make(
            "Event",
            f"proceeding-{proceeding.pk}",
            name=f"{proceeding.get_kind_display()}, {proceeding.court}",
            date=proceeding.date,
            summary="; ".join(
                x for x in (proceeding.outcome, f"status: {words(proceeding.status)}") if x
            ),
            involved=[f"ct-party-{w.subject.pk}" for w in proceeding.warrants.all()],
        )
    for n in c.notices:
        yield make(
            "Event",
            f"notice-{n.pk}",
            name=f"INTERPOL {words(n.kind)} notice {n.interpol_id}".strip(),
            date=n.published_on or n.requested_on,
            country=n.requesting_country.code,
            involved=f"ct-party-{n.subject.pk}",
            summary=f"status: {words(n.status)}",
        )


def to_ftm(chronology: Chronology) -> bytes:
    """The FollowTheMoney entities as JSON lines (one entity per line)."""
    lines = (
        json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True)
        for entity in ftm_entities(chronology)
    )
    return ("\n".join(lines) + "\n").encode()


RENDERERS = {"pdf": to_pdf, "docx": to_docx, "ftm": to_ftm}


def render(chronology: Chronology, kind: str) -> bytes:
    """`chronology` in format `kind` (one of FORMATS); KeyError for any other."""
    return RENDERERS[kind](chronology)
