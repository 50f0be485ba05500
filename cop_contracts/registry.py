"""The registry of computed indicators.

A computation takes a cancéropôle and a year and returns a ``Computed`` figure from the portal's own
data. Apps register theirs by name::

    @register("emergence_projects_funded")
    def emergence_projects_funded(*, canceropole, year) -> Computed: ...

An IndicatorDefinition with ``source=computed`` names its computation; ``indicator_value_compute``
stores the result as a draft value that still goes through approval.

A computation that measures a catalogue entry says so when it registers, and the catalogue follows: the
entry becomes computed instead of entered by hand. An entry the reference catalogue lacks comes with its
definition (names, unit, mission…)::

    @register("calls_emergence_funded", indicator="M3_EMERGENCE_FUNDED")
    @register("event_young_researcher_share", indicator="M3_EVENT_YOUNG_SHARE", definition={...})

``cop_contracts.reference.load_indicator_catalogue`` applies these declarations after loading the
reference entries, and each app's data migration applies its own: cop_contracts never imports the apps.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Computed:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    explanation: str = ""


@dataclass(frozen=True)
class IndicatorDeclaration:
    """Catalogue entry ``code`` is measured by ``computation`` (registered by the app ``app_label``).

    ``definition`` is None for an entry of the reference catalogue (its hand-entered figure becomes
    computed); otherwise it describes an entry the reference catalogue lacks: ``name_fr``, ``name_en``,
    ``description_fr``, ``description_en``, ``unit``, ``mission`` (its number), ``direction``,
    ``aggregation``, ``official``.
    """

    code: str
    computation: str
    app_label: str
    definition: Mapping[str, Any] | None = None


Computation = Callable[..., Computed]
_computations: dict[str, Computation] = {}
_indicators: dict[str, IndicatorDeclaration] = {}


def register(
    name: str, *, indicator: str | None = None, definition: Mapping[str, Any] | None = None
) -> Callable[[Computation], Computation]:
    """Register a computation under ``name``; with ``indicator``, declare the catalogue entry it measures."""
    if definition is not None and indicator is None:
        raise ValueError(f"The computation {name!r} has a definition but names no indicator.")

    def decorator(func: Computation) -> Computation:
        if name in _computations and _computations[name] is not func:
            raise ValueError(f"A computation named {name!r} is already registered.")
        if indicator is not None:
            declaration = IndicatorDeclaration(
                code=indicator,
                computation=name,
                app_label=func.__module__.split(".")[0],
                definition=definition,
            )
            claimed = _indicators.get(indicator, declaration)
            if claimed != declaration:
                raise ValueError(f"The indicator {indicator} is already computed by {claimed.computation!r}.")
            _indicators[indicator] = declaration
        _computations[name] = func
        return func

    return decorator


def declared_indicators(*, app_label: str | None = None) -> list[IndicatorDeclaration]:
    """The catalogue entries the registered computations measure (one app's when ``app_label`` is given)."""
    return [
        declaration
        for code, declaration in sorted(_indicators.items())
        if app_label is None or declaration.app_label == app_label
    ]


def get_computation(name: str) -> Computation:
    try:
        return _computations[name]
    except KeyError:
        raise LookupError(f"No computation named {name!r} is registered.") from None


def registered_names() -> list[str]:
    return sorted(_computations)
