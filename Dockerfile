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
# (psycopg[binary] bundles libpq). PyICU (pulled by followthemoney, for the dossier's
# FollowTheMoney export) has no wheel and compiles against ICU: headers, pkg-config and a
# C++ compiler here, only the ICU library in the final stage.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libicu-dev pkg-config g++ \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /app/.venv
COPY requirements.lock ./
# --no-deps: the lock pins every package, and leaves out what followthemoney asks for but
# the app never runs (mypy, through sqlalchemy[mypy]; Makefile NOT_SHIPPED).
RUN /app/.venv/bin/pip install --no-deps --requirement requirements.lock

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

# Runtime libraries of the wheels: ICU for PyICU (the version libicu-dev built against in
# the build stage: both stages are bookworm); Pango, HarfBuzz and fonts for WeasyPrint (the
# dossier's PDF export; DejaVu covers Latin, Arabic and Cyrillic).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libicu72 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 casetracker
WORKDIR /app
COPY --from=build /app/.venv /app/.venv
COPY --from=build /app/staticfiles /app/staticfiles
COPY --chown=casetracker:casetracker . .

USER casetracker
EXPOSE 8000

CMD [".venv/bin/gunicorn", "config.wsgi:application", "--config", "python:config.gunicorn", "--bind", "0.0.0.0:8000"]
