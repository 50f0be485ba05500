"""Who may do what with events and registrations (DESIGN §5).

- Everyone sees published (and cancelled) events; drafts only their organisers and INCa staff.
- An event's organisers are the director and coordinators of its lead pole and of its co-organising
  poles: they edit it, close its registration, see its registrations, export them, record attendance.
- INCa staff read every event, drafts included, with its figures, but not the list of people registered.
- A registration is visible to the person it belongs to and to the event's organisers only.

State checks (is registration open, has the event started…) are the services' job: a permitted user
acting at the wrong moment gets a clear 400 naming the reason, not a 403.
"""

import rules

from accounts.rules import has_pole_role, is_inca_staff, is_pole_staff_of
from events.models import EventStatus


@rules.predicate
def organises(user, event) -> bool:
    """A director or coordinator of the event's lead pole or of one of its co-organisers."""
    if event is None or not (user.is_authenticated and user.is_active):
        return False
    roles = user.pole_roles()
    return any(pole_id in roles for pole_id in event.organiser_pole_ids)


@rules.predicate
def is_public(user, event) -> bool:
    return event is not None and event.status != EventStatus.DRAFT


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


@rules.predicate
def owns_registration(user, registration) -> bool:
    return registration is not None and user.is_authenticated and registration.user_id == user.pk


@rules.predicate
def organises_event_of(user, registration) -> bool:
    return registration is not None and organises(user, registration.event)


# Create an event for a pole (the object is the Canceropole): its director and coordinators.
rules.add_perm("events.add_event", is_pole_staff_of)
# The organisers' pages (list of the events one runs, with their figures): pole staff and INCa staff.
rules.add_perm("events.view_event_management", has_pole_role | is_inca_staff)
# See an event's page.
rules.add_perm("events.view_event", is_public | organises | is_inca_staff)
# See an event's figures (places taken, waiting list, attendance) on the organisers' pages.
rules.add_perm("events.view_event_figures", organises | is_inca_staff)
# Edit, publish, cancel an event, close or reopen its registration.
rules.add_perm("events.change_event", organises)
# See who registered, export the list and the name badges, register someone, record attendance.
rules.add_perm("events.view_registrations", organises)
rules.add_perm("events.record_attendance", organises)
# Register oneself (the service checks that registration is open).
rules.add_perm("events.register", is_signed_in)
# A registration: its owner and the event's organisers.
rules.add_perm("events.view_registration", owns_registration | organises_event_of)
rules.add_perm("events.cancel_registration", owns_registration | organises_event_of)
# The events page of one pole (a link of the pole's card in "my space"): its staff, and INCa staff.
rules.add_perm("events.view_pole_events", is_pole_staff_of | is_inca_staff)
# Fill the pole's COP values computed from events (drafts in its reporting grid): its staff.
rules.add_perm("events.fill_cop_indicators", is_pole_staff_of)
