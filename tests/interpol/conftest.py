from collections.abc import Iterator

import pytest

from .server import FakeInterpol


@pytest.fixture
def interpol(settings) -> Iterator[FakeInterpol]:
    """The stand-in INTERPOL service on loopback; the sync's settings point at it, with
    back-offs of a few milliseconds."""
    server = FakeInterpol().start()
    settings.INTERPOL_API_BASE = server.url
    settings.INTERPOL_BACKOFF_SECONDS = 0.01
    settings.INTERPOL_BACKOFF_MAX = 0.05
    settings.INTERPOL_MAX_RETRIES = 3
    yield server
    server.stop()
