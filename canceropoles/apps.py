from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CanceropolesConfig(AppConfig):
    name = "canceropoles"
    verbose_name = _("Cancéropôles")

    def ready(self) -> None:
        from canceropoles import navigation  # noqa: F401
