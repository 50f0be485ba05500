"""Who may do what (DESIGN §5), as predicates of the ``rules`` package.

Object predicates take anything that belongs to a pole: a Canceropole, or an object with a
``canceropole`` (or ``canceropole_id``) attribute. Activity apps build their rules from these.
"""

import rules

from accounts.models import Membership


def pole_id_of(obj) -> int | None:
    if obj is None:
        return None
    if obj.__class__.__name__ == "Canceropole":
        return obj.pk
    pole_id = getattr(obj, "canceropole_id", None)
    if pole_id is None and hasattr(obj, "canceropole"):
        pole_id = obj.canceropole.pk
    return pole_id


def _roles_in(user, obj) -> set[str]:
    # A deactivated account keeps its memberships for the record, but no longer acts through them.
    if not (user.is_authenticated and user.is_active):
        return set()
    return user.pole_roles().get(pole_id_of(obj), set())


@rules.predicate
def is_inca_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_inca_staff)


@rules.predicate
def is_director_of(user, obj) -> bool:
    return Membership.Role.DIRECTOR in _roles_in(user, obj)


@rules.predicate
def is_coordinator_of(user, obj) -> bool:
    return Membership.Role.COORDINATOR in _roles_in(user, obj)


@rules.predicate
def has_pole_role(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.pole_roles())


is_pole_staff_of = is_director_of | is_coordinator_of


@rules.predicate
def is_director_of_a_pole(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return any(Membership.Role.DIRECTOR in roles for roles in user.pole_roles().values())


@rules.predicate
def is_admin_account(user) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


# A second factor (TOTP) is required of the accounts that see unpublished national figures, approve a
# pole's figures, or reach the admin: INCa staff, pole directors, staff and superusers. Everyone else
# may enrol from "my space".
rules.add_rule("accounts.second_factor_required", is_inca_staff | is_director_of_a_pole | is_admin_account)
