"""What the funding app adds to "my space" (see common.navigation). The public page of the grants is
linked from the INCa card and the pole pages; it is not in the main menu, whose public entries are pinned."""

from django.utils.translation import gettext_lazy as _

from common.navigation import SpaceLink, register

register(
    SpaceLink(
        card=SpaceLink.POLE, label=_("Budget"), url_name="funding:pole", perm="funding.view_funding", order=40
    ),
    SpaceLink(
        card=SpaceLink.INCA, label=_("Grants published (360Giving)"), url_name="funding:grants", order=40
    ),
)
