"""Content negotiation of the API (REST_FRAMEWORK's DEFAULT_CONTENT_NEGOTIATION_CLASS).

Its own module: DRF imports it while its views load, so it may import nothing of ours.
"""

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class FormatNegotiation(DefaultContentNegotiation):
    """`?format=` naming no format the resource offers is a 400 problem that lists those it
    does (DRF's default answers 404, as if the record did not exist)."""

    def filter_renderers(self, renderers: Any, format: str) -> list[Any]:
        offered = [r for r in renderers if r.format == format]
        if not offered:
            formats = ", ".join(sorted({r.format for r in renderers}))
            raise ValidationError({"format": [f"Unknown format {format!r}; offered: {formats}."]})
        return offered
