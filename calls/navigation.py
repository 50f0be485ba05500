"""What the call pages add to the main menu and to "my space" (see common.navigation)."""

from django.utils.translation import gettext_lazy as _

from common.navigation import MenuEntry, SpaceLink, register

register(
    MenuEntry(
        key="calls.list", label=_("Calls for proposals"), url_name="calls:list", order=10, active=("calls",)
    ),
    SpaceLink(
        card=SpaceLink.POLE,
        label=_("Calls for proposals of the pole"),
        url_name="calls:pole",
        perm="calls.follow_call",
        order=25,
    ),
    SpaceLink(
        card=SpaceLink.RESEARCHER, label=_("My applications"), url_name="calls:my_applications", order=10
    ),
    SpaceLink(card=SpaceLink.RESEARCHER, label=_("Open calls"), url_name="calls:list", order=11),
    SpaceLink(
        card=SpaceLink.REVIEWER, label=_("My review assignments"), url_name="calls:my_reviews", order=10
    ),
    SpaceLink(
        card=SpaceLink.INCA, label=_("Calls for proposals of the poles"), url_name="calls:list", order=25
    ),
)
