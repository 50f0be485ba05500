from allauth.mfa.utils import is_mfa_enabled
from django.db.models import QuerySet

from accounts.models import Membership, Partner, PartnerKey, User


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("canceropole")
        .order_by("canceropole__name", "role")
    )


def second_factor_enabled(*, user: User) -> bool:
    """Whether the account has a second factor (an authenticator app) set up."""
    return is_mfa_enabled(user)


def partner_key_from_secret(secret: str) -> PartnerKey | None:
    """The key this secret opens, with its poles, whatever its state (revoked, expired); None if none.

    Looked up by its prefix (the part before the dot), then checked against the stored hash.
    """
    prefix, dot, rest = secret.partition(".")
    if not (prefix and dot and rest):
        return None
    key = PartnerKey.objects.prefetch_related("canceropoles").filter(prefix=prefix).first()
    if key is None or not key.is_valid(secret):
        return None
    return key


def partner_keys_of(*, partner: Partner) -> QuerySet[PartnerKey]:
    return partner.keys.prefetch_related("canceropoles").order_by("-created")
