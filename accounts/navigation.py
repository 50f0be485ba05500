"""What the accounts app adds to the main menu (see common.navigation)."""

from django.utils.translation import gettext_lazy as _

from common.navigation import MenuEntry, register

register(
    MenuEntry(
        key="accounts.my_space",
        label=_("My space"),
        url_name="accounts:my_space",
        order=90,
        authenticated_only=True,
    ),
)
