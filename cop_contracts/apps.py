from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CopContractsConfig(AppConfig):
    name = "cop_contracts"
    verbose_name = _("COP contracts and indicators")

    def ready(self) -> None:
        # The computations cop_contracts can make from the network's own data register themselves here;
        # activity apps (calls, projects, events, funding) register theirs from their own ready().
        from cop_contracts import computations, navigation  # noqa: F401
