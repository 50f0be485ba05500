from tests.funding.fixtures import (  # noqa: F401 (fixtures)
    _computed_catalogue,
    _english,
    allocation_a,
    allocation_b,
    inca,
    region_funder,
)
