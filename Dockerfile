# Production image of the portal: gunicorn serving config.wsgi. The same image runs the Celery worker and beat
# and the one-shot migrations (docker-compose.yml); docs/deployment.md explains how to deploy it.
FROM python:3.11-slim

# gunicorn sits behind the reverse proxy on a private network: FORWARDED_ALLOW_IPS trusts its X-Forwarded-*.
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.base \
    PORT=8000 \
    WEB_CONCURRENCY=4 \
    MEDIA_ROOT=/app/media \
    FORWARDED_ALLOW_IPS="*"

RUN groupadd --system --gid 10001 portail \
    && useradd --system --uid 10001 --gid portail --home-dir /app --no-create-home --shell /usr/sbin/nologin portail

WORKDIR /app

# Dependencies first, so that a code change reuses this layer. The lock pins every package with its hashes
# (uv pip compile --generate-hashes); --require-hashes refuses anything else.
COPY requirements.txt ./
RUN pip install --require-hashes --no-deps -r requirements.txt

COPY . .

# Static files are collected at build time and served by whitenoise. Importing the settings requires
# SECRET_KEY, DATABASE_URL, REDIS_URL and SITE_URL: this step alone gets throw-away values (collectstatic opens
# no connection).
RUN SECRET_KEY=build-only-collectstatic-not-a-secret DATABASE_URL=postgres://build@localhost:5432/build \
    REDIS_URL=redis://localhost:6379/0 SITE_URL=https://build.invalid \
    python manage.py collectstatic --noinput --verbosity 0 \
    && python -m compileall -q . \
    && mkdir -p /app/media \
    && chown portail:portail /app/media

USER portail

EXPOSE 8000

# /sante/ answers 200 when the database and the broker answer. Django checks the Host header, so the probe
# sends the first of ALLOWED_HOSTS; /sante/ is exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); h = 'localhost' if h in ('', '*') else h; r.urlopen(r.Request('http://127.0.0.1:%s/sante/' % os.environ.get('PORT', '8000'), headers={'Host': h}), timeout=4)"]

# The shell expands PORT; exec hands PID 1 to gunicorn so that it gets the stop signal. Workers: WEB_CONCURRENCY.
# No control socket: gunicornc is not used in a container and /app is read-only for this user.
# No gunicorn access log: the portal logs each request itself as a JSON line with its request id, without the
# client's address or the query string (core/middleware.py, core/logging.py).
CMD ["sh", "-c", "exec gunicorn config.wsgi --bind \"0.0.0.0:${PORT:-8000}\" --worker-tmp-dir /dev/shm --no-control-socket --max-requests 1000 --max-requests-jitter 100"]
