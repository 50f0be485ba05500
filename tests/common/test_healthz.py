"""/healthz: what monitors poll; 200 when the database and the broker answer, 503 otherwise."""

import os

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.conftest import require

pytestmark = pytest.mark.django_db


def test_healthz_without_broker_reports_eager_tasks(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_with_broker_on_a_closed_port_is_unavailable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "unreachable"}


def test_healthz_with_reachable_broker_is_ok(client, settings):
    broker_url = os.environ.get("CELERY_BROKER_URL", "")
    require(bool(broker_url), "Redis broker (CELERY_BROKER_URL)")
    settings.CELERY_BROKER_URL = broker_url

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


class _RefusingConnection:
    def cursor(self):
        raise OperationalError("connection refused")


def test_healthz_with_database_down_is_unavailable(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = ""
    monkeypatch.setattr("common.views.connection", _RefusingConnection())

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable", "broker": "eager"}


def test_healthz_answers_get_only(client):
    response = client.post(reverse("healthz"))

    assert response.status_code == 405
