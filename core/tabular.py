"""CSV out (lists as filtered, streamed) and in (imports), shared by the web, the API and the
import command.

Cells written are safe to open in a spreadsheet: a text starting with `=`, `+`, `-`, `@`,
a tab or a carriage return is a formula to Excel and LibreOffice (CSV injection), so it is
written with a leading apostrophe, which they show as text.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def cell(value: Any) -> str:
    """One value as CSV text, never read as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        text = value.isoformat()
    elif isinstance(value, list | tuple):
        text = "; ".join(str(v) for v in value)
    else:
        text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Line:
    """A file-like object whose write() hands back what it was given (csv.writer's target)."""

    def write(self, text: str) -> str:
        return text


def csv_lines(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The CSV text, line by line (for a StreamingHttpResponse): a byte-order mark, so that
    spreadsheets read UTF-8, the header, then every row through `cell`."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([cell(v) for v in row])


def csv_filename(stem: str) -> str:
    return f"{stem}-{datetime.date.today():%Y-%m-%d}.csv"
