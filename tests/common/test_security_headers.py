"""Security headers: the Content Security Policy on every page, Permissions-Policy, and no caching of what is
private (signed-in pages, downloads, API answers)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cop_contracts.models import CopContract

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _paths_without_parameters(resolver: URLResolver = None, prefix: str = "") -> list[str]:
    """Every URL of the portal that takes no parameter, as declared (the admin and static files aside)."""
    resolver = resolver or get_resolver()
    paths = []
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if "<" in route or "(?P" in route or route.startswith(("admin/", "^static")):
            continue
        if isinstance(pattern, URLResolver):
            paths += _paths_without_parameters(pattern, prefix + route)
        elif isinstance(pattern, URLPattern):
            paths.append("/" + prefix + route.lstrip("^").rstrip("$"))
    return sorted(set(paths))


def _parameterised_paths(pole_a) -> list[str]:
    contract = CopContract.objects.create(canceropole=pole_a)
    return [
        reverse("canceropoles:detail", args=[pole_a.code]),
        reverse("cop_contracts:grid", args=[pole_a.code, contract.first_year]),
        reverse("cop_contracts:approval", args=[pole_a.code, contract.first_year]),
        reverse("api:canceropole-detail", args=[pole_a.code]),
        "/admin/",
        "/account/password/reset/MQ/invalid-token/",
        "/no-such-page/",
    ]


def test_crawl_finds_the_pages_of_each_app():
    paths = _paths_without_parameters()

    for expected in [
        "/",
        "/account/login/",
        "/account/2fa/totp/activate/",
        "/cop/dashboard/",
        "/api/v1/values/",
    ]:
        assert expected in paths


@pytest.mark.parametrize("persona", ["anonymous", "coordinator_a", "director_a", "inca_staff"])
def test_every_page_answers_with_the_policy_and_the_permissions_policy(client, persona, request, pole_a):
    user = request.getfixturevalue(persona)
    if persona != "anonymous":
        client.force_login(user)
    missing = {}

    for path in _paths_without_parameters() + _parameterised_paths(pole_a):
        response = client.get(path)
        if response.get("Content-Security-Policy") != POLICY or "Permissions-Policy" not in response:
            missing[path] = response.status_code

    assert missing == {}


def test_permissions_policy_denies_the_browser_features_no_page_uses(client):
    response = client.get("/")

    features = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
    assert features["camera"] == "()"
    assert features["geolocation"] == "()"
    assert features["microphone"] == "()"
    assert features["payment"] == "()"
    assert set(features.values()) == {"()"}


def test_public_page_for_an_anonymous_visitor_may_be_cached(client):
    response = client.get("/")

    assert "Cache-Control" not in response


@pytest.mark.parametrize(
    "path", ["/", "/account/", "/cop/dashboard/", "/cop/review/", "/account/2fa/", "/api/v1/values/"]
)
def test_signed_in_pages_and_api_answers_are_private_and_not_stored(client, inca_staff, path):
    client.force_login(inca_staff)

    response = client.get(path)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_api_answer_to_an_anonymous_visitor_is_not_stored(client):
    response = client.get("/api/v1/canceropoles/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_download_is_not_stored_even_for_an_anonymous_visitor(client):
    response = client.get("/cop/dashboard/", {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"


def test_view_own_cache_directives_are_kept_with_private_and_no_store(client, researcher):
    client.force_login(researcher)

    response = client.get("/healthz")

    assert set(response["Cache-Control"].split(", ")) == {
        "max-age=0",
        "no-cache",
        "no-store",
        "must-revalidate",
        "private",
    }
