from allauth.mfa.utils import is_mfa_enabled
from django.db.models import QuerySet

from accounts.models import Membership, User


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("canceropole")
        .order_by("canceropole__name", "role")
    )


def second_factor_enabled(*, user: User) -> bool:
    """Whether the account has a second factor (an authenticator app) set up."""
    return is_mfa_enabled(user)
