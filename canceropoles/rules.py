"""Who may see and manage a pole's own pages (calls, events, funding, COP reporting).

The predicates about roles (director, coordinator, INCa staff) are accounts.rules'; this module says what
they allow on a pole. Rules modules are loaded once every app is ready (rules' autodiscovery).
"""

import rules

from accounts.rules import is_inca_staff, is_pole_staff_of

# See a pole's management pages (calls, events, funding, COP reporting): its staff, and INCa read-only.
rules.add_perm("canceropoles.view_pole_management", is_pole_staff_of | is_inca_staff)
# Change what a pole manages: its director and coordinators only.
rules.add_perm("canceropoles.manage_pole", is_pole_staff_of)
