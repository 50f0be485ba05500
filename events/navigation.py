"""What the events app adds to the main menu and to "my space" (see common.navigation)."""

from django.utils.translation import gettext_lazy as _

from common.navigation import MenuEntry, SpaceCard, SpaceLink, register


def my_registrations_context(user) -> dict:
    # A bounded read: the user's next five registrations with their events (one query).
    from events.selectors import registrations_of_user

    return {"registrations": list(registrations_of_user(user=user)[:5])}


register(
    MenuEntry(
        key="events.agenda",
        label=_("Events"),
        url_name="events:agenda",
        order=30,
        active=("events:agenda", "events:detail"),
    ),
    MenuEntry(
        key="events.manage",
        label=_("Organise events"),
        url_name="events:manage",
        perm="events.view_event_management",
        order=31,
        active=(
            "events:manage",
            "events:pole",
            "events:create",
            "events:edit",
            "events:registrations",
            "events:attendance",
            "events:badges",
            "events:cancel",
        ),
    ),
    SpaceLink(card=SpaceLink.INCA, label=_("Events of the network"), url_name="events:manage", order=30),
    SpaceLink(
        card=SpaceLink.POLE,
        label=_("Events of the pole"),
        url_name="events:pole",
        perm="events.view_pole_events",
        order=30,
    ),
    SpaceLink(
        card=SpaceLink.RESEARCHER, label=_("Agenda of the network"), url_name="events:agenda", order=30
    ),
    SpaceLink(card=SpaceLink.RESEARCHER, label=_("My registrations"), url_name="events:mine", order=31),
    SpaceCard(
        key="events.mine",
        title=_("My registrations"),
        template="events/_space_card.html",
        perm="events.register",
        context=my_registrations_context,
        order=30,
    ),
)
