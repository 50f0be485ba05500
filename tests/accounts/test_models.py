"""Users identified by e-mail, and their pole roles read once per request."""

import pytest

from accounts.models import Membership, User
from accounts.services import membership_grant, user_upsert

pytestmark = pytest.mark.django_db


def test_pole_roles_cost_one_query_and_are_cached(director_a, pole_a, pole_b, django_assert_num_queries):
    Membership.objects.create(user=director_a, canceropole=pole_b, role=Membership.Role.COORDINATOR)
    Membership.objects.create(user=director_a, canceropole=pole_b, role=Membership.Role.DIRECTOR)

    # the user's (pole, role) pairs, once
    with django_assert_num_queries(1):
        first = director_a.pole_roles()
        second = director_a.pole_roles()

    assert first == {pole_a.pk: {"director"}, pole_b.pk: {"coordinator", "director"}}
    assert second is first


def test_pole_roles_of_a_user_without_membership_are_empty(researcher, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert researcher.pole_roles() == {}
        assert researcher.pole_roles() == {}


def test_membership_grant_is_idempotent_and_refreshes_the_roles(researcher, pole_a):
    assert researcher.pole_roles() == {}

    membership_grant(user=researcher, canceropole=pole_a, role=Membership.Role.COORDINATOR)
    membership_grant(user=researcher, canceropole=pole_a, role=Membership.Role.COORDINATOR)

    assert Membership.objects.filter(user=researcher).count() == 1
    assert researcher.pole_roles() == {pole_a.pk: {"coordinator"}}


def test_create_user_stores_the_email_in_lower_case():
    user = User.objects.create_user("Jeanne.Dupont@Example.ORG", "a-long-password")

    assert user.email == "jeanne.dupont@example.org"
    assert user.check_password("a-long-password")
    assert user.is_staff is False


def test_create_user_without_email_is_refused():
    with pytest.raises(ValueError, match="e-mail"):
        User.objects.create_user("", "a-long-password")

    assert User.objects.count() == 0


def test_user_upsert_brings_an_existing_account_to_the_given_state(researcher):
    user = user_upsert(
        email=researcher.email.upper(),
        first_name="Camille",
        last_name="Moreau",
        password="another-long-password",
        is_inca_staff=True,
    )

    assert user.pk == researcher.pk
    assert User.objects.count() == 1
    researcher.refresh_from_db()
    assert (researcher.first_name, researcher.last_name, researcher.is_inca_staff) == (
        "Camille",
        "Moreau",
        True,
    )
    assert researcher.check_password("another-long-password")


def test_user_str_is_the_full_name_else_the_email():
    named = User(email="a@example.org", first_name="Claire", last_name="Martin")
    unnamed = User(email="b@example.org")

    assert str(named) == "Claire Martin"
    assert str(unnamed) == "b@example.org"
