# casetracker image: one image for web (gunicorn), worker and beat; see docker-compose.yml.
# Kept in step with the Procfile by tests/foundation/test_containers.py.
#
# Two stages: `build` installs the runtime lock (requirements.lock, no test or
# development tools) into a virtualenv and collects static files; the final stage
# copies the virtualenv and the code, and nothing that only built them.

FROM python:3.11-slim-bookworm AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# The virtualenv sits where the Procfile expects it (.venv/bin/...), so the
# containers run the very commands `make run` runs. The lock pins every version
# (psycopg[binary] bundles libpq: no system packages needed).
RUN python -m venv /app/.venv
COPY requirements.lock ./
RUN /app/.venv/bin/pip install --requirement requirements.lock

COPY . .
# Static files are collected at build time (WhiteNoise serves them); this needs
# no database. The key only lets settings load with DEBUG off; it signs nothing.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-secret \
    /app/.venv/bin/python manage.py collectstatic --no-input --verbosity 0


FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH="/app/.venv/bin:${PATH}" \
    PORT=8000

RUN useradd --create-home --uid 1000 casetracker
WORKDIR /app
COPY --from=build /app/.venv /app/.venv
COPY --from=build /app/staticfiles /app/staticfiles
COPY --chown=casetracker:casetracker . .

USER casetracker
EXPOSE 8000

CMD [".venv/bin/gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
