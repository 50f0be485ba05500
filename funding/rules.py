"""Who may do what with the poles' money (DESIGN §5: a pole's money is its staff's and INCa's).

Object permissions take a pole or anything with a ``canceropole_id`` (an allocation, a commitment, a
disbursement). Visibility (what is absent: 404) is the selectors' job; these rules say what a user who
sees an object may do with it (403 otherwise).

- Read a pole's funding (budget, allocations, commitments, payments): its director and coordinators,
  and INCa staff for every pole.
- Record allocations from funders, commit, schedule and pay: the pole's director and coordinators.
  INCa allocations (the labelling grant) are INCa's to record: INCa staff only, for every pole.
- Register a funder (an organisation acting as one): any pole staff, INCa staff.
"""

import rules

from accounts.rules import has_pole_role, is_coordinator_of, is_director_of, is_inca_staff
from funding.models import FunderKind

is_pole_staff = is_director_of | is_coordinator_of


@rules.predicate
def is_inca_allocation(user, allocation) -> bool:
    """The allocation (saved or not) comes from INCa."""
    return allocation is not None and allocation.funder.kind == FunderKind.INCA


rules.add_perm("funding.view_funding", is_pole_staff | is_inca_staff)
rules.add_perm("funding.manage_funding", is_pole_staff)
rules.add_perm(
    "funding.manage_allocation", (is_inca_allocation & is_inca_staff) | (~is_inca_allocation & is_pole_staff)
)
rules.add_perm("funding.add_funder", has_pole_role | is_inca_staff)
