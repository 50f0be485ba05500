"""The registry of computed indicators.

A computation takes a cancéropôle and a year and returns a ``Computed`` figure from the portal's own
data. Apps register theirs by name::

    @register("emergence_projects_funded")
    def emergence_projects_funded(*, canceropole, year) -> Computed: ...

An IndicatorDefinition with ``source=computed`` names its computation; ``indicator_value_compute``
stores the result as a draft value that still goes through approval.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Computed:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    explanation: str = ""


Computation = Callable[..., Computed]
_computations: dict[str, Computation] = {}


def register(name: str) -> Callable[[Computation], Computation]:
    def decorator(func: Computation) -> Computation:
        if name in _computations and _computations[name] is not func:
            raise ValueError(f"A computation named {name!r} is already registered.")
        _computations[name] = func
        return func

    return decorator


def get_computation(name: str) -> Computation:
    try:
        return _computations[name]
    except KeyError:
        raise LookupError(f"No computation named {name!r} is registered.") from None


def registered_names() -> list[str]:
    return sorted(_computations)
