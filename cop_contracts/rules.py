"""Who may do what with COP contracts and indicator values (DESIGN §5).

Object permissions take a CopContract, an IndicatorValue or a Target (anything with ``canceropole_id``).
State checks (is the value still editable, approved…) are the services' job: a permitted user acting on
a value in the wrong state gets a clear 400 naming the reason, not a 403.
"""

import rules

from accounts.rules import has_pole_role, is_coordinator_of, is_director_of, is_inca_staff
from cop_contracts.models import ValueStatus


@rules.predicate
def is_submitted(user, value) -> bool:
    return value is not None and value.status == ValueStatus.SUBMITTED


@rules.predicate
def is_approved(user, value) -> bool:
    return value is not None and value.status == ValueStatus.APPROVED


is_pole_staff = is_director_of | is_coordinator_of

# See a pole's contract, targets and values at every status: its staff, and INCa staff for all poles.
rules.add_perm("cop_contracts.view_contract", is_pole_staff | is_inca_staff)
# Enter, correct and submit values (and set targets): the pole's coordinators and director.
rules.add_perm("cop_contracts.report_value", is_pole_staff)
# Approve a submitted value: the pole's director only.
rules.add_perm("cop_contracts.approve_value", is_director_of)
# Accept an approved value, or unlock an accepted one: INCa staff only.
rules.add_perm("cop_contracts.accept_value", is_inca_staff)
rules.add_perm("cop_contracts.unlock_value", is_inca_staff)
# Send back: the director at the first step (submitted), INCa at the second (approved).
rules.add_perm(
    "cop_contracts.send_back_value", (is_director_of & is_submitted) | (is_inca_staff & is_approved)
)
# The "COP reporting" menu entry: anyone with a role in some pole (the pages then check each pole).
rules.add_perm("cop_contracts.report_for_a_pole", has_pole_role)
# Follow the values waiting for the director, without deciding: the pole's coordinators.
rules.add_perm("cop_contracts.follow_approval", is_coordinator_of & ~is_director_of)
# The national review queue.
rules.add_perm("cop_contracts.review_values", is_inca_staff)
# Provisional (not yet accepted) figures on the dashboard: INCa staff, and pole staff (whose view is then
# limited to their own pole's figures by selectors.rollups_visible_to: national ones are INCa's).
rules.add_perm("cop_contracts.view_provisional", is_inca_staff | has_pole_role)
# Set the targets of the contracts, and compute the computed indicators on demand: INCa staff.
rules.add_perm("cop_contracts.set_target", is_inca_staff)
rules.add_perm("cop_contracts.compute_values", is_inca_staff)
