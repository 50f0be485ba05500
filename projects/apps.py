from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Funded projects")

    def ready(self) -> None:
        from projects import rules  # noqa: F401

        # The follow-up's and the mobility grants' permissions, tasks, menu entries and COP computations.
        from projects.followup import computations, navigation, tasks  # noqa: F401
        from projects.followup import rules as followup_rules  # noqa: F401
        from projects.mobility import navigation as mobility_navigation  # noqa: F401
        from projects.mobility import rules as mobility_rules  # noqa: F401
