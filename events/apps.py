from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        # The COP indicators computed from events and attendance register themselves with cop_contracts;
        # the menu entries and "my space" cards with common.navigation.
        from events import indicators, navigation  # noqa: F401
