"""Who reads: an anonymous visitor, a signed-in user or a partner key, as one ``Viewer``.

Every selector that returns data some readers may not see takes ``viewer=`` (a ``Viewer``, a user, an
anonymous user or a partner key) and asks it what it may see, so a user's roles and a key's scope are
applied by the same code and no list can forget one of them.

- INCa staff see every pole at every status (``is_national``);
- a pole's director and coordinators see their poles' data (``staff_pole_ids``);
- a partner key sees the public data, plus, for each resource of its scope, that resource's data of its
  poles (every pole when the key names none): ``scope_q(resource, field)``;
- anyone else sees the public data.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from accounts.models import PartnerKey, PartnerScope

NOTHING = Q(pk__in=[])
# Not Q(): an empty Q vanishes when combined with |, which would turn "every pole" into "none".
EVERYTHING = Q(pk__isnull=False)


@dataclass(frozen=True)
class Viewer:
    user: object | None = None
    key: PartnerKey | None = None
    is_national: bool = False
    staff_pole_ids: frozenset[int] = frozenset()
    scopes: frozenset[str] = frozenset()
    # The poles a key's scopes open; None: every pole.
    key_pole_ids: frozenset[int] | None = field(default_factory=frozenset)

    @property
    def is_partner(self) -> bool:
        return self.key is not None

    def grants(self, scope: PartnerScope) -> bool:
        return scope in self.scopes

    def scope_q(self, scope: PartnerScope, pole_field: str) -> Q:
        """Rows of the poles that the key's ``scope`` opens (``pole_field`` names their pole's id)."""
        if not self.grants(scope):
            return NOTHING
        if self.key_pole_ids is None:
            return EVERYTHING
        return Q(**{f"{pole_field}__in": sorted(self.key_pole_ids)})

    def staff_q(self, pole_field: str) -> Q:
        """Rows of the poles the user works for (nothing for a key or a visitor)."""
        if not self.staff_pole_ids:
            return NOTHING
        return Q(**{f"{pole_field}__in": sorted(self.staff_pole_ids)})


ANONYMOUS = Viewer()


def viewer_of_key(key: PartnerKey) -> Viewer:
    """The viewer of a usable key; reads its poles once (prefetched by the authentication)."""
    pole_ids = frozenset(pole.pk for pole in key.canceropoles.all())
    return Viewer(key=key, scopes=frozenset(key.scopes), key_pole_ids=pole_ids or None)


def viewer_of_user(user) -> Viewer:
    # A deactivated account keeps its memberships for the record, but no longer reads through them.
    if user is None or not (user.is_authenticated and user.is_active):
        return ANONYMOUS
    if user.is_inca_staff:
        return Viewer(user=user, is_national=True)
    return Viewer(user=user, staff_pole_ids=frozenset(user.pole_roles()))


def as_viewer(who) -> Viewer:
    """A Viewer for a Viewer, a partner key, a user or an anonymous user (or None)."""
    if isinstance(who, Viewer):
        return who
    if isinstance(who, PartnerKey):
        return viewer_of_key(who)
    return viewer_of_user(who)


def viewer_of(request) -> Viewer:
    """The viewer of a request (DRF's or Django's): its partner key if it came with one, else its user."""
    cached = getattr(request, "_portal_viewer", None)
    if cached is None:
        auth = getattr(request, "auth", None)
        cached = as_viewer(auth if isinstance(auth, PartnerKey) else request.user)
        request._portal_viewer = cached
    return cached
