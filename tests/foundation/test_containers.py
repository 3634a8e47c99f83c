"""docker-compose.yml and the Dockerfile stay consistent with the Procfile `make run` starts.

No Docker engine is needed: the files are parsed, not built.
"""

import os
import re
import shlex
import tomllib
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APP_SERVICES = ["web", "worker", "webhooks", "beat"]


def procfile() -> dict[str, list[str]]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    entries = [line.split(":", 1) for line in lines if line.strip() and not line.startswith("#")]
    return {name.strip(): shlex.split(command) for name, command in entries}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def test_the_procfile_runs_web_workers_and_beat():
    assert list(procfile()) == APP_SERVICES


def test_compose_runs_every_procfile_process_and_its_backing_services(compose):
    assert {"postgres", "redis", *procfile()} <= set(compose["services"])


@pytest.mark.parametrize("name", ["worker", "webhooks", "beat"])
def test_workers_and_beat_run_the_procfile_command_unchanged(compose, name):
    assert compose["services"][name]["command"] == procfile()[name]


def test_webhook_deliveries_go_to_the_queue_the_webhooks_process_consumes():
    from config.celery import app

    def option(command: list[str], name: str) -> str | None:
        """The option's value as the shell (honcho) or compose expands `${VAR:-default}`."""
        if name not in command:
            return None
        value = command[command.index(name) + 1]
        return re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: os.environ.get(m[1], m[2]), value)

    webhooks, worker = procfile()["webhooks"], procfile()["worker"]
    for task in ["alerts.tasks.deliver_webhook", "alerts.tasks.deliver_webhooks"]:
        assert app.amqp.router.route({}, task)["queue"].name == option(webhooks, "--queues")
    assert option(webhooks, "--pool") == "threads"
    # The other worker takes the default queue (relays, alerts, email, checks) and only it.
    assert option(worker, "--queues") is None
    assert app.amqp.router.route({}, "alerts.tasks.relay_event")["queue"].name == (
        settings.CELERY_TASK_DEFAULT_QUEUE
    )


def test_web_serves_the_same_wsgi_application_on_its_port(compose, dockerfile):
    web = compose["services"]["web"]
    module, attribute = settings.WSGI_APPLICATION.rsplit(".", 1)
    command = web["command"]
    assert command[:2] == [".venv/bin/gunicorn", f"{module}:{attribute}"]
    port = web["environment"]["PORT"]
    assert command[command.index("--bind") + 1] == f"0.0.0.0:{port}"
    assert any(mapping.endswith(f":{port}") for mapping in web["ports"])
    # The Procfile's web process serves the same Django project (runserver locally).
    assert procfile()["web"][:3] == [".venv/bin/python", "manage.py", "runserver"]
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.M)
    assert cmd is not None and yaml.safe_load(cmd.group(1)) == command


@pytest.mark.parametrize("name", [*APP_SERVICES, "migrate"])
def test_app_commands_use_programs_the_lock_installs(compose, name):
    program = compose["services"][name]["command"][0]
    assert program.startswith(".venv/bin/")
    assert (ROOT / program).exists(), f"{program} is not installed by requirements.lock"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_their_backing_services_and_migrations(compose, name):
    depends = compose["services"][name]["depends_on"]
    assert depends["postgres"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert "healthcheck" in compose["services"]["postgres"]
    assert "healthcheck" in compose["services"]["redis"]


def test_compose_settings_are_ones_the_settings_module_reads(compose):
    source = (ROOT / "config" / "settings.py").read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', source))
    for name in APP_SERVICES:
        assert set(compose["services"][name]["environment"]) <= read


def test_compose_points_the_app_at_its_own_postgres_and_redis(compose):
    env = compose["services"]["web"]["environment"]
    database, broker = urlparse(env["DATABASE_URL"]), urlparse(env["CELERY_BROKER_URL"])
    postgres = compose["services"]["postgres"]["environment"]
    assert (database.scheme, database.hostname) == ("postgres", "postgres")
    assert (database.username, database.password, database.path.lstrip("/")) == (
        postgres["POSTGRES_USER"],
        postgres["POSTGRES_PASSWORD"],
        postgres["POSTGRES_DB"],
    )
    assert (broker.scheme, broker.hostname) == ("redis", "redis")
    assert env["DEBUG"] == "false" and env["SECRET_KEY"]


@pytest.mark.parametrize("name", [*APP_SERVICES, "migrate"])
def test_compose_refuses_to_start_without_a_secret_key(compose, name):
    """`${VAR:?message}`: compose stops with the message when VAR is unset or empty."""
    secret = compose["services"][name]["environment"]["SECRET_KEY"]
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", secret), secret


def test_the_image_uses_the_projects_python_and_lock(dockerfile):
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    image = re.search(r"^FROM python:(\d+\.\d+)", dockerfile, re.M)
    assert image is not None and f">={image.group(1)}" in requires
    assert "WORKDIR /app" in dockerfile and "python -m venv /app/.venv" in dockerfile
    assert "pip install --no-deps --requirement requirements.lock" in dockerfile
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M), "the app must not run as root"


def test_the_build_context_leaves_out_local_state():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", ".env", "staticfiles"} <= set(ignored)
