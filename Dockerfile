# Marketplace production image: gunicorn serving Django, static files collected
# (hashed and compressed by WhiteNoise) at build time. The same image runs the
# Huey worker with `python manage.py run_huey` and the one-shot `python manage.py migrate`.
# See compose.yaml.

# Both stages must use the same image: the virtualenv links to its interpreter.
ARG PYTHON_IMAGE=python:3.11-slim

# --- builder: resolve the locked production dependencies into /app/.venv ------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1

# uv comes from PyPI, pinned for reproducible builds.
RUN pip install uv==0.13.9

WORKDIR /app

# Only the dependency manifests, so this layer is rebuilt only when they change.
# The project itself is not a package ([tool.uv] package = false), so the source
# is not needed here. --frozen: install exactly uv.lock, fail if it is stale;
# --no-dev: leave out the dev dependency group (pytest, ruff, ...).
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project


# --- runtime -------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

# The release error reports name (Sentry), given at build time:
#   docker compose build --build-arg APP_RELEASE=$(git rev-parse --short HEAD)
ARG APP_RELEASE=
ENV APP_RELEASE=${APP_RELEASE}

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    VIRTUAL_ENV=/app/.venv \
    PATH="/app/.venv/bin:${PATH}" \
    DJANGO_SETTINGS_MODULE=marketplace.settings \
    DEBUG=false \
    DATA_DIR=/app/var

RUN groupadd --gid 1000 app \
    && useradd --uid 1000 --gid app --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app

WORKDIR /app

COPY --from=builder /app/.venv /app/.venv
# Source stays owned by root (read-only for the app user); see .dockerignore.
COPY . .

# Production settings (DEBUG=false) are what select WhiteNoise's hashed, compressed
# storage, and they refuse to load without their required variables: the dummy
# values below exist only for this command and never reach the image's
# environment. collectstatic touches neither the database nor Redis.
# DATA_DIR (SQLite in dev, media uploads) is the only place the app writes.
RUN DEBUG=false \
    SECRET_KEY=collectstatic-build-only \
    DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 \
    ALLOWED_HOSTS=localhost \
    EMAIL_HOST=localhost \
    DEFAULT_FROM_EMAIL=build@localhost \
    JWT_PRIVATE_KEY=unused \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media /app/var/private \
    && chown -R app:app /app/var

USER app

EXPOSE 8000

# /healthz answers 200 only when the database and the cache answer (503 otherwise).
# It is exempt from SECURE_SSL_REDIRECT, but the request's Host is 127.0.0.1, so
# ALLOWED_HOSTS must include 127.0.0.1. slim has no curl: use Python.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]

# sh for ${WEB_CONCURRENCY:-3} and ${WEB_THREADS:-1} (each process's database pool is sized
# to its threads); exec so gunicorn is PID 1 and receives SIGTERM. Migrations are not run
# here: compose's one-shot `migrate` service runs them before any web process starts.
CMD ["sh", "-c", "exec gunicorn marketplace.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --threads ${WEB_THREADS:-1} --access-logfile -"]
