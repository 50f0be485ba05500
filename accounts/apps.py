from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # The OpenAPI description of the partner key (drf-spectacular finds extensions once imported).
        from accounts import schema  # noqa: F401
