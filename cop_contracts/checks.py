"""System checks: every computed indicator names a registered computation.

Otherwise the indicator could never be computed (``manage.py check`` fails, rather than a 500 later).
The catalogue rules in code are checked always; the catalogue rows in the database when the checks run
against a database (``manage.py check --database default``, ``migrate``).
"""

from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from cop_contracts.reference import CATALOGUE_RULES
from cop_contracts.registry import registered_names


def _error(code: str, computation: str, where: str) -> Error:
    return Error(
        f"The computed indicator {code} names the computation {computation!r}, which is not registered.",
        hint="Register it with cop_contracts.registry.register(...) in an app's ready(), or fix the name "
        f"({where}). Registered: {', '.join(registered_names()) or 'none'}.",
        id="cop_contracts.E001",
    )


@register(Tags.models)
def catalogue_computations_are_registered(app_configs=None, **kwargs) -> list[Error]:
    known = set(registered_names())
    return [
        _error(code, rules["computation"], "cop_contracts.reference.CATALOGUE_RULES")
        for code, rules in sorted(CATALOGUE_RULES.items())
        if rules.get("source") == "computed" and rules.get("computation") not in known
    ]


@register(Tags.database)
def stored_computations_are_registered(app_configs=None, databases=None, **kwargs) -> list[Error]:
    if not databases:
        return []
    from cop_contracts.models import IndicatorDefinition, Source

    known = set(registered_names())
    errors = []
    for database in databases:
        try:
            rows = list(
                IndicatorDefinition.objects.using(database)
                .filter(source=Source.COMPUTED, is_active=True)
                .order_by("code")
                .values_list("code", "computation")
            )
        except DatabaseError:  # not migrated yet: nothing stored to check
            continue
        errors += [
            _error(code, name, f"indicator {code} in the database")
            for code, name in rows
            if name not in known
        ]
    return errors
