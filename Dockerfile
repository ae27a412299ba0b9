# Production image: gunicorn serves the application, WhiteNoise its static files.
# Built by docker-compose.yml; the same image runs the web, worker and beat containers.

FROM python:3.12-slim AS build
# psycopg2 is compiled from source: it needs a compiler and the libpq headers.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev \
    && rm -rf /var/lib/apt/lists/*
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# Dependencies first, pinned by requirements.lock, so that code changes reuse this layer.
COPY pyproject.toml requirements.lock README.md ./
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --upgrade pip \
    && /opt/venv/bin/pip install -c requirements.lock .

FROM python:3.12-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --user-group --home-dir /app --shell /usr/sbin/nologin app
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=khuyencong.settings.production
WORKDIR /app
# The code belongs to root and is read-only for the app; only collected static files, uploads and
# the beat schedule (staticfiles/, var/) are writable. collectstatic runs at start, when the
# production settings have their environment (see docker-compose.yml).
COPY . .
RUN mkdir -p staticfiles var/media && chown -R app:app staticfiles var
USER app
EXPOSE 8000
CMD ["gunicorn", "khuyencong.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-tmp-dir", "/dev/shm", "--access-logfile", "-"]
