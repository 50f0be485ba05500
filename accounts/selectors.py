from django.db.models import QuerySet

from accounts.models import Membership, User


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("canceropole")
        .order_by("canceropole__name", "role")
    )
