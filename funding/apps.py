from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        # Permissions, navigation and the COP indicators computed from funding register themselves on import.
        from funding import computations, navigation, rules  # noqa: F401
