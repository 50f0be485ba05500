# Image of the Cancéropôles portal: the same image runs the web server (gunicorn), the Celery worker,
# Celery beat and the one-off migrations (see docker-compose.yml). Configuration comes from the
# environment only (README.md, "Configuration").
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # Import the portal from /app, not from the copy pip puts in site-packages: settings find
    # templates/, static/, locale/ and var/ next to the code.
    PYTHONPATH=/app

WORKDIR /app

RUN useradd --create-home --uid 10001 --user-group portal

COPY . .
RUN pip install .

# Static files are collected at build time, served by WhiteNoise. The key only lets settings load:
# the real SECRET_KEY comes from the environment at run time.
RUN SECRET_KEY=build-only-not-a-secret DJANGO_DEBUG=false python manage.py collectstatic --no-input \
    && mkdir -p var/media var/private \
    && chown -R portal:portal var

USER portal

EXPOSE 8000

CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--worker-tmp-dir", "/dev/shm", "--access-logfile", "-"]
