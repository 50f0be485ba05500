"""Computations over the network's own data (people and labs of a pole)."""

from decimal import Decimal

from canceropoles.models import Organisation
from cop_contracts.registry import Computed, register


@register("teams_in_directory")
def teams_in_directory(*, canceropole, year: int) -> Computed:
    """M1_TEAMS: distinct teams (labs with an RNSR number) of the people attached to the pole.

    The directory has no dated history, so the figure is today's: it is meant for the current year.
    """
    teams = (
        Organisation.objects.filter(members__canceropoles=canceropole, kind=Organisation.Kind.LAB)
        .exclude(rnsr="")
        .distinct()
        .count()
    )
    return Computed(value=Decimal(teams), explanation=f"{teams} teams with an RNSR number in the directory")
