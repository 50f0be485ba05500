"""The production stack's files, checked without a Docker engine: docker-compose.yml, the Dockerfile,
.dockerignore and the pre-commit configuration."""

import ast
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.test import override_settings

ROOT = Path(settings.BASE_DIR)
PORTAL_SERVICES = ["web", "worker", "beat"]
STACK = ["web", "worker", "beat", "postgres", "redis"]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _command(service: dict) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else command


def _healthcheck(service: dict) -> list[str]:
    test = service["healthcheck"]["test"]
    return [test] if isinstance(test, str) else test


def test_compose_defines_the_five_services_of_the_stack(compose):
    assert set(STACK) <= set(compose["services"])


@pytest.mark.parametrize("name", STACK)
def test_compose_service_has_a_healthcheck(compose, name):
    healthcheck = compose["services"][name]["healthcheck"]

    assert _healthcheck(compose["services"][name])[0] in {"CMD", "CMD-SHELL"}
    assert len(_healthcheck(compose["services"][name])) >= 2
    assert {"interval", "timeout", "retries"} <= set(healthcheck)


def test_compose_healthchecks_ask_each_service_the_right_question(compose):
    services = compose["services"]

    assert "/healthz" in " ".join(_healthcheck(services["web"]))
    assert "urllib.request" in " ".join(_healthcheck(services["web"]))
    assert "celery -A portal inspect ping" in " ".join(_healthcheck(services["worker"]))
    assert "pg_isready" in " ".join(_healthcheck(services["postgres"]))
    assert _healthcheck(services["redis"])[1:] == ["redis-cli", "ping"]


@pytest.mark.parametrize("name", ["web", "beat"])
def test_compose_python_healthchecks_are_valid_python(compose, name):
    test = _healthcheck(compose["services"][name])

    assert test[:3] == ["CMD", "python", "-c"]
    ast.parse(test[3])


def test_compose_runs_gunicorn_celery_worker_and_celery_beat(compose):
    services = compose["services"]

    assert _command(services["web"]).startswith("gunicorn portal.wsgi:application ")
    assert "--bind=0.0.0.0:8000" in _command(services["web"])
    assert _command(services["worker"]).startswith("celery -A portal worker")
    assert _command(services["beat"]).startswith("celery -A portal beat")
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"


def test_compose_migrates_once_before_the_portal_services_start(compose):
    services = compose["services"]

    assert _command(services["migrate"]) == "python manage.py migrate --no-input"
    assert services["migrate"]["restart"] == "no"
    for name in PORTAL_SERVICES:
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}


def test_compose_services_wait_for_healthy_dependencies(compose):
    services = compose["services"]
    expected = {
        "web": {"postgres", "redis"},
        "worker": {"postgres", "redis"},
        "beat": {"redis"},
        "migrate": {"postgres"},
    }

    for name, needs in expected.items():
        depends_on = services[name]["depends_on"]
        assert isinstance(depends_on, dict), f"{name}: depends_on needs conditions"
        assert {dep for dep, rule in depends_on.items() if rule == {"condition": "service_healthy"}} == needs


@pytest.mark.parametrize("name", ["migrate", *PORTAL_SERVICES])
def test_compose_portal_services_require_a_secret_key_and_use_the_stack(compose, name):
    environment = compose["services"][name]["environment"]

    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", environment["SECRET_KEY"])
    assert re.fullmatch(r"\$\{EMAIL_URL:\?[^}]+\}", environment["EMAIL_URL"])
    assert re.fullmatch(
        r"postgres://canceropoles:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432/canceropoles",
        environment["DATABASE_URL"],
    )
    assert environment["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    assert environment["ALLOWED_HOSTS"]
    assert "DJANGO_DEBUG" not in environment


def test_compose_keeps_data_in_named_volumes(compose):
    services = compose["services"]

    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert "redis-data:/data" in services["redis"]["volumes"]
    assert "media:/app/var/media" in services["web"]["volumes"]
    assert {"postgres-data", "redis-data", "media", "private-media"} <= set(compose["volumes"])


@pytest.mark.parametrize("name", ["web", "worker"])
def test_compose_keeps_applications_attachments_in_a_private_volume(compose, name):
    service = compose["services"][name]

    assert service["environment"]["PRIVATE_MEDIA_ROOT"] == "/app/var/private"
    assert "private-media:/app/var/private" in service["volumes"]
    assert "media:/app/var/private" not in service["volumes"]


@pytest.mark.django_db
def test_web_healthcheck_request_gets_through_the_https_redirect_and_the_host_check(
    compose, client, monkeypatch
):
    """Run the web healthcheck's script with urllib stubbed, then send its request to the portal
    configured as in production (HTTPS redirect on, one allowed host): /healthz must answer 200."""
    sent = []

    class Answer:
        status = 200

    monkeypatch.setenv("ALLOWED_HOSTS", "portail.example.org,www.portail.example.org")
    monkeypatch.setattr(urllib.request, "urlopen", lambda request, timeout: sent.append(request) or Answer())
    with pytest.raises(SystemExit) as exit_status:
        exec(_healthcheck(compose["services"]["web"])[3], {})
    (request,) = sent
    assert exit_status.value.code == 0

    with override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["portail.example.org"]):
        response = client.get(
            urllib.parse.urlsplit(request.full_url).path,
            headers=dict(request.header_items()),
        )

    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_dockerfile_builds_a_slim_image_running_as_a_non_root_user():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    instructions = [
        line.strip() for line in dockerfile.splitlines() if line.strip() and not line.startswith("#")
    ]

    assert instructions[0] == "FROM python:3.13-slim"
    assert "RUN pip install ." in instructions
    assert re.search(
        r"SECRET_KEY=\S+ DJANGO_DEBUG=false python manage\.py collectstatic --no-input", dockerfile
    )
    users = [line.split()[1] for line in instructions if line.startswith("USER ")]
    assert users
    assert users[-1] not in {"root", "0"}
    assert "gunicorn" in next(line for line in instructions if line.startswith("CMD "))


def test_dockerignore_keeps_development_files_out_of_the_image():
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }

    # `.env` sets DJANGO_DEBUG=true for development: it must never reach the image.
    assert {".env", ".git", ".venv", "var"} <= ignored


def test_pre_commit_runs_make_lint():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))

    hooks = [hook for repo in config["repos"] if repo["repo"] == "local" for hook in repo["hooks"]]
    assert [(hook["entry"], hook["language"], hook["pass_filenames"]) for hook in hooks] == [
        ("make lint", "system", False)
    ]
