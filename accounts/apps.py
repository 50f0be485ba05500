from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # The OpenAPI description of the partner key (drf-spectacular finds extensions once imported).
        from accounts import (
            navigation,  # noqa: F401
            schema,  # noqa: F401
        )


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the portal's site: INSTALLED_APPS names this instead of django.contrib.admin."""

    default = False
    default_site = "accounts.admin_site.PortalAdminSite"
