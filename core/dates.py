"""Dates of legal facts: a warrant requested, a case opened, a position left. They have
happened, so none lies after today, as today is anywhere on Earth (UTC+14): a court in
Damascus or Nouméa may date a decision before the server's clock (UTC) reaches that day."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

EARTHS_LAST_TIME_ZONE = datetime.timedelta(hours=14)


def latest_legal_date() -> datetime.date:
    """The latest date a legal fact may carry now: today in the last time zone (UTC+14)."""
    return (timezone.now() + EARTHS_LAST_TIME_ZONE).date()


def validate_not_future(value: datetime.date) -> None:
    """Model field validator for dates of legal facts (runs in full_clean and the API)."""
    if value and value > latest_legal_date():
        raise ValidationError(
            "%(value)s is in the future; this date records something that has happened.",
            code="future_date",
            params={"value": value.isoformat()},
        )
