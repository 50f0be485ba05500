"""What the follow-up of funded projects adds to "my space" (see common.navigation)."""

from django.utils.translation import gettext_lazy as _

from common.navigation import SpaceLink, register

register(
    SpaceLink(
        card=SpaceLink.POLE,
        label=_("Funded projects"),
        url_name="followup:pole",
        perm="projects.view_pole_projects",
        order=41,
    ),
    SpaceLink(card=SpaceLink.RESEARCHER, label=_("My funded projects"), url_name="followup:mine", order=41),
)
