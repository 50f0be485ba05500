"""Who may see and manage a pole (DESIGN §5), for every persona, through the perms and the predicates."""

import pytest

from accounts import rules as pole_rules
from accounts.models import Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "director_a",
    "coordinator_a",
    "director_b",
    "coordinator_b",
    "inca_staff",
    "researcher",
    "anonymous",
]

# (persona, may view pole A's management pages, may manage pole A)
POLE_A_ACCESS = [
    ("director_a", True, True),
    ("coordinator_a", True, True),
    ("director_b", False, False),
    ("coordinator_b", False, False),
    ("inca_staff", True, False),  # reads every pole, manages none
    ("researcher", False, False),
    ("anonymous", False, False),
]


@pytest.mark.parametrize(("persona", "may_view", "may_manage"), POLE_A_ACCESS)
def test_pole_a_management_access_per_persona(request, pole_a, persona, may_view, may_manage):
    user = request.getfixturevalue(persona)

    assert user.has_perm("canceropoles.view_pole_management", pole_a) is may_view
    assert user.has_perm("canceropoles.manage_pole", pole_a) is may_manage


@pytest.mark.parametrize(
    ("persona", "may_view", "may_manage"),
    [
        ("director_a", False, False),
        ("coordinator_a", False, False),
        ("director_b", True, True),
        ("coordinator_b", True, True),
        ("inca_staff", True, False),
        ("researcher", False, False),
        ("anonymous", False, False),
    ],
)
def test_pole_b_management_access_per_persona(request, pole_b, persona, may_view, may_manage):
    user = request.getfixturevalue(persona)

    assert user.has_perm("canceropoles.view_pole_management", pole_b) is may_view
    assert user.has_perm("canceropoles.manage_pole", pole_b) is may_manage


@pytest.mark.parametrize("persona", PERSONAS)
def test_pole_perms_without_an_object_are_refused(request, persona):
    user = request.getfixturevalue(persona)

    assert user.has_perm("canceropoles.manage_pole") is False
    assert user.has_perm("canceropoles.view_pole_management", None) is (persona == "inca_staff")


class _PoleOwned:
    """Any object of an activity app that belongs to a pole (a call, an event…)."""

    def __init__(self, pole):
        self.canceropole_id = pole.pk


class _PoleRelated:
    def __init__(self, pole):
        self.canceropole = pole


@pytest.mark.parametrize("wrap", [_PoleOwned, _PoleRelated])
def test_pole_perms_follow_the_pole_of_an_owned_object(coordinator_a, pole_a, pole_b, wrap):
    assert coordinator_a.has_perm("canceropoles.manage_pole", wrap(pole_a)) is True
    assert coordinator_a.has_perm("canceropoles.manage_pole", wrap(pole_b)) is False


def test_pole_id_of_a_pole_an_owned_object_and_nothing(pole_a):
    assert pole_rules.pole_id_of(pole_a) == pole_a.pk
    assert pole_rules.pole_id_of(_PoleOwned(pole_a)) == pole_a.pk
    assert pole_rules.pole_id_of(_PoleRelated(pole_a)) == pole_a.pk
    assert pole_rules.pole_id_of(None) is None


@pytest.mark.parametrize(
    ("persona", "director", "coordinator", "inca", "has_role"),
    [
        ("director_a", True, False, False, True),
        ("coordinator_a", False, True, False, True),
        ("coordinator_b", False, False, False, True),
        ("inca_staff", False, False, True, False),
        ("researcher", False, False, False, False),
        ("anonymous", False, False, False, False),
    ],
)
def test_predicates_per_persona_on_pole_a(request, pole_a, persona, director, coordinator, inca, has_role):
    user = request.getfixturevalue(persona)

    assert pole_rules.is_director_of(user, pole_a) is director
    assert pole_rules.is_coordinator_of(user, pole_a) is coordinator
    assert pole_rules.is_inca_staff(user) is inca
    assert pole_rules.has_pole_role(user) is has_role


@pytest.mark.parametrize("persona", ["director_a", "coordinator_a", "inca_staff"])
def test_deactivated_account_loses_its_access(request, pole_a, persona):
    user = request.getfixturevalue(persona)
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert user.has_perm("canceropoles.view_pole_management", pole_a) is False
    assert user.has_perm("canceropoles.manage_pole", pole_a) is False
    assert Membership.objects.filter(user=user).count() == (0 if persona == "inca_staff" else 1)


def test_a_role_in_another_pole_gives_nothing_here(researcher, pole_a, pole_b):
    MembershipFactory(user=researcher, canceropole=pole_b, role=Membership.Role.DIRECTOR)

    assert researcher.has_perm("canceropoles.manage_pole", pole_b) is True
    assert researcher.has_perm("canceropoles.manage_pole", pole_a) is False
    assert researcher.has_perm("canceropoles.view_pole_management", pole_a) is False
