"""What the network pages add to the main menu (see common.navigation)."""

from django.utils.translation import gettext_lazy as _

from common.navigation import MenuEntry, register

register(MenuEntry(key="home", label=_("Home"), url_name="home", order=0))
