"""API throttling: visitors by address, users by account, partner keys by key; 429 with Retry-After.

The suite runs without rates (tests/settings.py); each test here gives the throttles small ones and
starts from an empty cache.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST = "api:canceropole-list"


@pytest.fixture
def rates(settings):
    """Two requests a minute for each kind of caller, on an empty cache."""

    def set_rates(**rates):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    set_rates(anon="2/minute", user="2/minute", partner_key="2/minute")
    cache.clear()
    yield set_rates
    cache.clear()


def _assert_throttled(response) -> None:
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["status"] == 429


def test_anonymous_third_request_in_a_minute_answers_429_with_retry_after(api_client, rates):
    answers = [api_client.get(reverse(LIST)).status_code for _ in range(2)]

    response = api_client.get(reverse(LIST))

    assert answers == [200, 200]
    _assert_throttled(response)


def test_anonymous_visitors_are_counted_by_address(api_client, rates):
    for _ in range(2):
        api_client.get(reverse(LIST), REMOTE_ADDR="192.0.2.1")

    other = api_client.get(reverse(LIST), REMOTE_ADDR="192.0.2.2")

    assert other.status_code == 200
    _assert_throttled(api_client.get(reverse(LIST), REMOTE_ADDR="192.0.2.1"))


def test_users_are_counted_by_account_not_by_address(api_client, rates, coordinator_a, coordinator_b):
    api_client.force_authenticate(coordinator_a)
    for _ in range(2):
        api_client.get(reverse(LIST))
    throttled = api_client.get(reverse(LIST))
    api_client.force_authenticate(coordinator_b)

    other_user = api_client.get(reverse(LIST))

    _assert_throttled(throttled)
    assert other_user.status_code == 200


def test_user_rate_is_its_own_not_the_visitors_one(api_client, rates, coordinator_a):
    rates(anon="1/minute", user="3/minute", partner_key="1/minute")
    api_client.force_authenticate(coordinator_a)

    answers = [api_client.get(reverse(LIST)).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]


def test_partner_keys_are_counted_by_key(api_client, rates, make_partner_key):
    _key_a, secret_a = make_partner_key(name="a")
    _key_b, secret_b = make_partner_key(name="b")
    for _ in range(2):
        api_client.get(reverse(LIST), HTTP_AUTHORIZATION=f"Api-Key {secret_a}")

    throttled = api_client.get(reverse(LIST), HTTP_AUTHORIZATION=f"Api-Key {secret_a}")
    other_key = api_client.get(reverse(LIST), HTTP_AUTHORIZATION=f"Api-Key {secret_b}")
    visitor_same_address = api_client.get(reverse(LIST))

    _assert_throttled(throttled)
    assert other_key.status_code == 200
    assert visitor_same_address.status_code == 200


def test_without_rates_nothing_is_throttled(api_client, rates):
    rates(anon=None, user=None, partner_key=None)

    answers = {api_client.get(reverse(LIST)).status_code for _ in range(5)}

    assert answers == {200}
