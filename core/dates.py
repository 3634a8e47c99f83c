"""Dates of legal facts: a warrant requested, a case opened, a position left. They have
happened, so none lies after today (in the server's time zone)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone


def validate_not_future(value: datetime.date) -> None:
    """Model field validator for dates of legal facts (runs in full_clean and the API)."""
    if value and value > timezone.localdate():
        raise ValidationError(
            "%(value)s is in the future; this date records something that has happened.",
            code="future_date",
            params={"value": value.isoformat()},
        )
