"""Navigation declared by each app: the entries of the main menu and the links and cards of "my space".

``common`` knows no app: each app declares what it adds in ``<app>/navigation.py`` and imports that
module from its ``AppConfig.ready()``::

    # events/navigation.py
    from django.utils.translation import gettext_lazy as _
    from common.navigation import MenuEntry, SpaceCard, SpaceLink, register

    register(
        MenuEntry(key="events", label=_("Events"), url_name="events:agenda", order=30),
        SpaceLink(card=SpaceLink.POLE, label=_("Events of the pole"), url_name="events:pole",
                  perm="events.manage_event", order=30),
        SpaceCard(key="events.mine", title=_("My registrations"), template="events/_space_card.html",
                  perm="events.register", context=my_registrations_context, order=30),
    )

Every entry is gated by a permission of the ``rules`` package (``perm``; ``None`` means everyone),
never by role strings, so a rule changed in ``<app>/rules.py`` changes the menu with it. URL names are
namespaced. Pole links are reversed with the pole's code and their permission is checked against the
pole itself: a coordinator of CLARA sees CLARA's links in CLARA's card, and nothing of another pole.

The cards of "my space" that describe a role (INCa staff, one card per pole role, researcher, reviewer)
are the accounts app's; apps add links to them (``SpaceLink.card``) or whole cards of their own
(``SpaceCard``) with a template and an optional ``context(user)`` callable for what it lists.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import rules
from django.urls import reverse


@dataclass(frozen=True)
class MenuEntry:
    """One link of the main menu. ``active`` lists the URL namespaces (or ``namespace:name``s) for which
    the entry is the current page (``aria-current``); by default the URL name itself."""

    key: str
    label: Any
    url_name: str
    order: int = 50
    perm: str | None = None
    authenticated_only: bool = False
    active: tuple[str, ...] = ()

    def url(self) -> str:
        return reverse(self.url_name)

    def is_current(self, request) -> bool:
        match = getattr(request, "resolver_match", None)
        if match is None:
            return False
        names = self.active or (self.url_name,)
        return any(name == match.view_name or name == match.namespace for name in names)


@dataclass(frozen=True)
class SpaceLink:
    """A link in one of the role cards of "my space". ``card`` is ``inca``, ``pole``, ``researcher`` or
    ``reviewer``; a ``pole`` link is reversed with the pole's code and checked against the pole."""

    INCA: ClassVar[str] = "inca"
    POLE: ClassVar[str] = "pole"
    RESEARCHER: ClassVar[str] = "researcher"
    REVIEWER: ClassVar[str] = "reviewer"
    CARDS: ClassVar[tuple[str, ...]] = (INCA, POLE, RESEARCHER, REVIEWER)

    card: str
    label: Any
    url_name: str
    order: int = 50
    perm: str | None = None
    query: str = ""

    def __post_init__(self):
        if self.card not in self.CARDS:
            raise ValueError(f"Unknown card {self.card!r}: use one of {', '.join(self.CARDS)}.")

    def url(self, pole=None) -> str:
        url = reverse(self.url_name, args=[pole.code]) if self.card == self.POLE else reverse(self.url_name)
        return f"{url}?{self.query}" if self.query else url


@dataclass(frozen=True)
class SpaceCard:
    """A card of its own in "my space", under its ``title``: ``template`` is included with ``item``, a dict
    holding ``card`` and what ``context(user)`` returns (read it with selectors, so that the card costs a
    bounded number of queries)."""

    key: str
    title: Any
    template: str
    order: int = 50
    perm: str | None = None
    context: Callable[[Any], dict] | None = field(default=None, compare=False)


@dataclass
class Registry:
    menu: dict[str, MenuEntry] = field(default_factory=dict)
    links: dict[tuple[str, str], SpaceLink] = field(default_factory=dict)
    cards: dict[str, SpaceCard] = field(default_factory=dict)

    def register(self, *items: MenuEntry | SpaceLink | SpaceCard) -> None:
        """Declare entries; declaring the same key again replaces it (``ready()`` may run twice in tests)."""
        for item in items:
            if isinstance(item, MenuEntry):
                self.menu[item.key] = item
            elif isinstance(item, SpaceLink):
                self.links[(item.card, item.url_name, item.query, item.perm or "")] = item
            elif isinstance(item, SpaceCard):
                self.cards[item.key] = item
            else:
                raise TypeError(f"Cannot register {item!r} in the navigation.")


registry = Registry()
register = registry.register


def _allowed(user, perm: str | None, obj=None) -> bool:
    # The rules registry itself, not user.has_perm(): Django's model backend would load the user's
    # model permissions (two queries) on every page for a menu that depends on rules only.
    return perm is None or rules.has_perm(perm, user, obj)


def menu_for(user) -> list[MenuEntry]:
    """The main menu entries ``user`` may follow, in order."""
    entries = sorted(registry.menu.values(), key=lambda e: (e.order, e.key))
    return [
        entry
        for entry in entries
        if (user.is_authenticated or not entry.authenticated_only) and _allowed(user, entry.perm)
    ]


def space_links_for(user, card: str, *, pole=None) -> list[tuple[Any, str]]:
    """``(label, url)`` of the links of ``card`` that ``user`` may follow (for ``pole`` in a pole card)."""
    links = sorted((link for link in registry.links.values() if link.card == card), key=lambda x: x.order)
    return [(link.label, link.url(pole)) for link in links if _allowed(user, link.perm, pole)]


def space_cards_for(user) -> list[dict]:
    """The apps' own cards ``user`` may see, each as the context its template is included with."""
    cards = sorted(registry.cards.values(), key=lambda c: (c.order, c.key))
    visible: list[dict] = []
    for card in cards:
        if not _allowed(user, card.perm):
            continue
        extra = card.context(user) if card.context else {}
        visible.append({"card": card, **extra})
    return visible


def poles_with_links(user, poles: Iterable) -> list[tuple[Any, list[tuple[Any, str]]]]:
    """Each pole with the pole-card links ``user`` may follow there."""
    return [(pole, space_links_for(user, SpaceLink.POLE, pole=pole)) for pole in poles]
