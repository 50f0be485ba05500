"""A NUL byte anywhere in a URL's path is a 404 in production settings, never a 500 (issue #6, §5.4).

PostgreSQL refuses text with a NUL byte: a view that looked the path up in the database used to fail
with a ValueError, that is a 500 for anonymous visitors.
"""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PATHS = [
    "/poles/%00/",
    "/poles/GSO%00/",
    "/cop/%00/",
    "/cop/%00/approval/",
    "/cop/%00/2023/",
    "/cop/GSO/2023/values/%00/2024/",
    "/%00/",
    "/%00",
    "/account/%00/",
    "/api/v1/canceropoles/%00/",
    "/api/v1/organisations/%00/",
    "/api/v1/indicators/%00/",
    "/admin/%00/",
]


@pytest.fixture
def production_client(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("path", PATHS)
def test_nul_byte_in_path_is_not_found_for_anonymous(production_client, path):
    response = production_client.get(path)

    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/poles/%00/", "/cop/%00/", "/cop/GSO/2023/values/%00/2024/"])
def test_nul_byte_in_path_is_not_found_for_a_signed_in_user(production_client, coordinator_a, path):
    production_client.force_login(coordinator_a)

    response = production_client.get(path)

    assert response.status_code == 404


def test_nul_byte_in_path_is_not_found_on_post(production_client, coordinator_a):
    production_client.force_login(coordinator_a)

    response = production_client.post("/cop/GSO/2023/values/%00/2024/", {"value": "1"})

    assert response.status_code == 404
