from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = _("Calls for proposals")

    def ready(self) -> None:
        # Permissions, and the COP indicators computed from calls, register themselves on import.
        from calls import computations, navigation, rules  # noqa: F401
