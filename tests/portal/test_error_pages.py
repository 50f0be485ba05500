"""The 400, 403, 404 and 500 pages are the portal's own, in the visitor's language (issue #6, §6.1)."""

import pytest
from django.conf import settings
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.portal.urls_raising")]

PAGES = {
    # status: (path, French heading, English heading)
    400: ("/test-errors/400/", "Requête incorrecte", "Bad request"),
    403: ("/test-errors/403/", "Accès refusé", "Access denied"),
    404: ("/poles/NOPE/", "Page introuvable", "Page not found"),
    500: ("/test-errors/500/", "Erreur du serveur", "Server error"),
}


@pytest.fixture
def production_client(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def heading(response) -> str:
    html = response.content.decode()
    return html.split("<h1>", 1)[1].split("</h1>", 1)[0]


@pytest.mark.parametrize("status", sorted(PAGES))
def test_error_page_is_the_portals_own_in_french_by_default(production_client, status):
    path, french, _english = PAGES[status]

    response = production_client.get(path)

    assert response.status_code == status
    assert heading(response) == french
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Portail des cancéropôles" in html
    assert "internal reason" not in html
    assert "a view that fails" not in html


@pytest.mark.parametrize("status", sorted(PAGES))
def test_error_page_follows_the_language_cookie(production_client, status):
    path, _french, english = PAGES[status]
    production_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = production_client.get(path)

    assert response.status_code == status
    assert heading(response) == english
    assert '<html lang="en">' in response.content.decode()


def test_not_found_page_of_a_pole_outside_the_users_scope_offers_my_space(production_client, coordinator_a):
    production_client.force_login(coordinator_a)

    response = production_client.get("/cop/CLARA/2023/")

    assert response.status_code == 404
    assert heading(response) == "Page introuvable"
    assert '<a href="/account/">Mon espace</a>' in response.content.decode()


def test_forbidden_page_of_the_review_queue_for_a_coordinator_is_the_portals_own(
    production_client, coordinator_a
):
    production_client.force_login(coordinator_a)

    response = production_client.get("/cop/review/")

    assert response.status_code == 403
    assert heading(response) == "Accès refusé"
    assert "Votre rôle ne permet pas cette action." in response.content.decode()


def test_csrf_failure_page_is_the_portals_own_in_french(production_client, coordinator_a):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(coordinator_a)

    response = client.post("/account/logout/")

    assert response.status_code == 403
    assert heading(response) == "Formulaire expiré"
