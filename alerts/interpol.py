"""A client for INTERPOL's public notices web service (ws-public.interpol.int).

Formats (issue 11):

- list: `GET {base}/notices/v1/red?name=&forename=&nationality=&arrestWarrantCountryId=
  &resultPerPage=160&page=N` → `{"total": n, "query": {...}, "_embedded": {"notices":
  [{"entity_id": "2023/12345", "name": ..., "forename": ..., "date_of_birth": "1965/09/11"
  | "1965/09" | "1965", "nationalities": ["SY"], "_links": {...}}]}, "_links": {...}}`;
  at most 160 results per page;
- detail: `GET {base}/notices/v1/red/2023-12345` (the id's slash becomes a dash), with
  `arrest_warrants[]` of `issuing_country_id`, `charge`, `charge_translation`;
- a removed notice answers 404; 403, 429 and 5xx mean "back off": the client waits
  (Retry-After when given, else an exponential delay, both with jitter) and tries again,
  up to INTERPOL_MAX_RETRIES times, then raises `Unavailable`.

Yellow notices live at `/notices/v1/yellow`, UN special notices at `/notices/v1/un/persons`.
Only these kinds are public; the others (blue, black, ...) have no public listing.
"""

from __future__ import annotations

import contextlib
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from django.conf import settings

log = logging.getLogger(__name__)

PAGE_SIZE = 160  # the most the service answers per page

# Notice kinds (warrants.models.NoticeKind) with a public listing → their path.
PUBLIC_KINDS: dict[str, str] = {
    "red": "notices/v1/red",
    "yellow": "notices/v1/yellow",
    "un_special": "notices/v1/un/persons",
}

BACK_OFF_STATUSES = {403, 429}


class Unavailable(Exception):
    """The service kept refusing (403/429/5xx) or could not be reached: try again later."""


@dataclass(frozen=True)
class Answer:
    """One answer of the service: for the provenance of what the sync records."""

    url: str
    status_code: int
    data: dict[str, Any] | None
    received_at: float = field(default_factory=time.time)

    @property
    def found(self) -> bool:
        return self.status_code == 200


@dataclass
class Listing:
    """The notices a list query found, across its pages."""

    notices: list[dict[str, Any]]
    total: int
    answers: list[Answer]

    @property
    def complete(self) -> bool:
        """Every result the service counted was received (it stops paging past its cap)."""
        return len(self.notices) >= self.total


def public_path(kind: str, entity_id: str) -> str:
    """The detail path of a notice: its id's slash becomes a dash (2023/12345 → 2023-12345)."""
    return f"{PUBLIC_KINDS[kind]}/{entity_id.replace('/', '-')}"


def public_fields(data: dict[str, Any] | None) -> dict[str, Any]:
    """A notice's public fields: the answer without its links (which carry no facts)."""
    return {k: v for k, v in (data or {}).items() if k not in ("_links", "_embedded")}


class Client:
    """One sync's connection to the service: counts its requests and back-offs."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
        backoff: float | None = None,
        backoff_max: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = (base_url or settings.INTERPOL_API_BASE).rstrip("/")
        self.max_retries = settings.INTERPOL_MAX_RETRIES if max_retries is None else max_retries
        self.backoff = settings.INTERPOL_BACKOFF_SECONDS if backoff is None else backoff
        self.backoff_max = settings.INTERPOL_BACKOFF_MAX if backoff_max is None else backoff_max
        self.sleep = sleep
        self.requests = 0
        self.backoffs: list[float] = []  # each wait, in seconds
        self.http = httpx.Client(
            timeout=settings.INTERPOL_TIMEOUT if timeout is None else timeout,
            headers={"Accept": "application/json", "User-Agent": "casetracker-interpol-sync"},
            follow_redirects=False,
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def delay(self, attempt: int, response: httpx.Response | None) -> float:
        """How long to wait before attempt `attempt + 1`: Retry-After when the service says,
        else base * 2^attempt; with ±50 % jitter so that clients do not retry in step."""
        wait = self.backoff * (2**attempt)
        retry_after = response.headers.get("Retry-After") if response is not None else None
        if retry_after:
            with contextlib.suppress(ValueError):  # an HTTP date: keep our own schedule
                wait = max(float(retry_after), self.backoff)
        return min(wait, self.backoff_max) * random.uniform(0.5, 1.5)

    def get(self, path: str, params: dict[str, Any] | None = None) -> Answer:
        """GET `path`: the 200 or 404 answer; backs off on 403/429/5xx and network errors."""
        url = f"{self.base_url}/{path}"
        for attempt in range(self.max_retries + 1):
            self.requests += 1
            response: httpx.Response | None = None
            try:
                response = self.http.get(url, params={k: v for k, v in (params or {}).items() if v})
            except httpx.HTTPError as error:
                reason = f"{type(error).__name__}: {error}"
            else:
                if response.status_code in (200, 404):
                    return Answer(str(response.url), response.status_code, _json(response))
                if response.status_code not in BACK_OFF_STATUSES and response.status_code < 500:
                    raise Unavailable(f"{url} answered {response.status_code}")
                reason = f"HTTP {response.status_code}"
            if attempt == self.max_retries:
                raise Unavailable(f"{url}: {reason} after {attempt + 1} attempts")
            wait = self.delay(attempt, response)
            log.warning("INTERPOL %s: %s; retrying in %.1f s", url, reason, wait)
            self.backoffs.append(wait)
            self.sleep(wait)
        raise AssertionError("unreachable")

    def notice(self, kind: str, entity_id: str) -> Answer:
        """One notice's detail; `found` is false when the service no longer lists it (404)."""
        return self.get(public_path(kind, entity_id))

    def search(
        self,
        kind: str = "red",
        *,
        name: str = "",
        forename: str = "",
        nationality: str = "",
        arrest_warrant_country: str = "",
        max_pages: int = 50,
    ) -> Listing:
        """The notices of a list query, page after page (160 each) until the total."""
        notices: list[dict[str, Any]] = []
        answers = []
        total = 0
        for page in range(1, max_pages + 1):
            answer = self.get(
                PUBLIC_KINDS[kind],
                {
                    "name": name,
                    "forename": forename,
                    "nationality": nationality,
                    "arrestWarrantCountryId": arrest_warrant_country,
                    "resultPerPage": PAGE_SIZE,
                    "page": page,
                },
            )
            answers.append(answer)
            data = answer.data or {}
            total = int(data.get("total") or 0)
            found = (data.get("_embedded") or {}).get("notices") or []
            notices += found
            if not found or len(notices) >= total:
                break
        return Listing(notices, total, answers)


def _json(response: httpx.Response) -> dict[str, Any] | None:
    try:
        data = response.json()
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
