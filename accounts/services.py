"""Writes on accounts and roles."""

from django.db import transaction

from accounts.models import Membership, User
from canceropoles.models import Canceropole


@transaction.atomic
def user_upsert(
    *,
    email: str,
    first_name: str,
    last_name: str,
    password: str,
    is_inca_staff: bool = False,
    is_superuser: bool = False,
    person=None,
) -> User:
    """Create the account with this e-mail, or bring an existing one to this state (password included)."""
    user = User.objects.filter(email=email.lower()).first() or User(email=email.lower())
    user.first_name = first_name
    user.last_name = last_name
    user.is_inca_staff = is_inca_staff
    user.is_superuser = is_superuser
    user.is_staff = is_superuser
    user.person = person
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def membership_grant(*, user: User, canceropole: Canceropole, role: str) -> Membership:
    """Give ``user`` a pole role; granting a role the user already holds changes nothing."""
    membership, _created = Membership.objects.get_or_create(user=user, canceropole=canceropole, role=role)
    user.__dict__.pop("_pole_roles", None)
    return membership
