"""A stand-in for INTERPOL's public notices web service on loopback, serving its exact
formats (alerts/interpol.py), with scenario state a test changes as it goes.

    server = FakeInterpol(); server.start()
    server.publish(red("2023/12345", "AL-ASSAD", "BASHAR", "1965/09/11"))
    server.remove("2023/12345")            # its detail now answers 404
    server.refuse(429, times=1)            # the next request answers 429 (Retry-After: 0)
    server.requests                        # every path asked, in order
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PATHS = {"notices/v1/red": "red", "notices/v1/yellow": "yellow", "notices/v1/un/persons": "un"}
CAP = 160


def red(
    entity_id: str,
    name: str,
    forename: str,
    date_of_birth: str = "",
    nationalities: list[str] | None = None,
    charge: str = "Crimes against humanity",
    country: str = "FR",
) -> dict[str, Any]:
    """A red notice as the detail answers it (the list shows the same minus arrest_warrants)."""
    dash = entity_id.replace("/", "-")
    return {
        "entity_id": entity_id,
        "name": name,
        "forename": forename,
        "date_of_birth": date_of_birth or None,
        "nationalities": nationalities or ["SY"],
        "sex_id": "M",
        "place_of_birth": "DAMASCUS",
        "arrest_warrants": [
            {"issuing_country_id": country, "charge": charge, "charge_translation": None}
        ],
        "_links": {
            "self": {"href": f"https://ws-public.interpol.int/notices/v1/red/{dash}"},
            "images": {"href": f"https://ws-public.interpol.int/notices/v1/red/{dash}/images"},
        },
    }


class FakeInterpol:
    def __init__(self) -> None:
        self.notices: dict[str, dict[str, dict[str, Any]]] = {"red": {}, "yellow": {}, "un": {}}
        self.requests: list[str] = []
        self.refusals: list[int] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the real service
            # Headers and body leave in one segment (no Nagle / delayed-ACK stall).
            wbufsize = 1 << 16
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                server.handle(self)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> FakeInterpol:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- scenario ---
    def publish(self, notice: dict[str, Any], kind: str = "red") -> None:
        with self.lock:
            self.notices[kind][notice["entity_id"]] = notice

    def remove(self, entity_id: str, kind: str = "red") -> None:
        with self.lock:
            del self.notices[kind][entity_id]

    def change(self, entity_id: str, kind: str = "red", **fields: Any) -> None:
        with self.lock:
            self.notices[kind][entity_id] = {**self.notices[kind][entity_id], **fields}

    def refuse(self, status: int, times: int = 1) -> None:
        with self.lock:
            self.refusals += [status] * times

    def asked(self, fragment: str) -> int:
        return sum(fragment in r for r in self.requests)

    # --- the service ---
    def handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        with self.lock:
            self.requests.append(request.path)
            refusal = self.refusals.pop(0) if self.refusals else None
        if refusal:
            return self.send(request, refusal, {"message": "slow down"}, {"Retry-After": "0"})
        path = parts.path.strip("/")
        if path in PATHS:
            return self.send(request, 200, self.listing(PATHS[path], parse_qs(parts.query), parts))
        base, _, dash = path.rpartition("/")
        if base in PATHS:
            with self.lock:
                notice = self.notices[PATHS[base]].get(dash.replace("-", "/", 1))
            if notice is not None:
                return self.send(request, 200, notice)
        return self.send(request, 404, {"code": 404, "message": "Not Found"})

    def listing(self, kind: str, query: dict[str, list[str]], parts: Any) -> dict[str, Any]:
        def param(name: str) -> str:
            return (query.get(name) or [""])[0]

        with self.lock:
            notices = list(self.notices[kind].values())
        if param("name"):
            notices = [n for n in notices if param("name").casefold() in n["name"].casefold()]
        if param("forename"):
            wanted = param("forename").casefold()
            notices = [n for n in notices if wanted in n["forename"].casefold()]
        if param("nationality"):
            notices = [n for n in notices if param("nationality") in n["nationalities"]]
        if param("arrestWarrantCountryId"):
            country = param("arrestWarrantCountryId")
            notices = [
                n
                for n in notices
                if any(w["issuing_country_id"] == country for w in n["arrest_warrants"])
            ]
        per_page = min(int(param("resultPerPage") or 20), CAP)
        page = int(param("page") or 1)
        shown = notices[(page - 1) * per_page : page * per_page]
        return {
            "total": len(notices),
            "query": {"page": page, "resultPerPage": per_page},
            "_embedded": {
                "notices": [{k: v for k, v in n.items() if k != "arrest_warrants"} for n in shown]
            },
            "_links": {"self": {"href": f"{self.url}{parts.path}?{parts.query}"}},
        }

    def send(
        self,
        request: BaseHTTPRequestHandler,
        status: int,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(data)
