"""Pages of the events app: the public agenda and event pages, one's registrations, the calendars
(``public``), and the organisers' pages (``organisers``)."""

from events.views.organisers import (
    AttendanceToggleView,
    AttendanceView,
    BadgesView,
    CopFillView,
    EventActionView,
    EventCancelView,
    EventCreateView,
    EventEditView,
    ManageView,
    ProgrammeDeleteView,
    ProgrammeView,
    RegistrationsView,
)
from events.views.public import (
    AgendaView,
    CalendarView,
    EventCalendarView,
    EventDetailView,
    MyRegistrationsView,
    RegisterView,
    RegistrationCancelView,
)

__all__ = [
    "AgendaView",
    "AttendanceToggleView",
    "AttendanceView",
    "BadgesView",
    "CalendarView",
    "CopFillView",
    "EventActionView",
    "EventCalendarView",
    "EventCancelView",
    "EventCreateView",
    "EventDetailView",
    "EventEditView",
    "ManageView",
    "MyRegistrationsView",
    "ProgrammeDeleteView",
    "ProgrammeView",
    "RegisterView",
    "RegistrationCancelView",
    "RegistrationsView",
]
