"""What the mobility grants add to "my space" (see common.navigation)."""

from django.utils.translation import gettext_lazy as _

from common.navigation import SpaceLink, register

register(
    SpaceLink(
        card=SpaceLink.POLE,
        label=_("Mobility grants"),
        url_name="mobility:pole",
        perm="projects.view_pole_mobility",
        order=42,
    ),
    SpaceLink(card=SpaceLink.RESEARCHER, label=_("My mobility grants"), url_name="mobility:index", order=42),
)
