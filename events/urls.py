from django.urls import path

from events import views
from events.models import Session, Speaker

app_name = "events"

urlpatterns = [
    path("", views.AgendaView.as_view(), name="agenda"),
    path("calendar.ics", views.CalendarView.as_view(), name="calendar"),
    path("calendar/<str:code>.ics", views.CalendarView.as_view(), name="pole_calendar"),
    path("mine/", views.MyRegistrationsView.as_view(), name="mine"),
    path("manage/", views.ManageView.as_view(), name="manage"),
    path("manage/<str:code>/", views.ManageView.as_view(), name="pole"),
    path("manage/<str:code>/new/", views.EventCreateView.as_view(), name="create"),
    path("manage/<str:code>/cop/", views.CopFillView.as_view(), name="cop_fill"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="detail"),
    path("<int:pk>/event.ics", views.EventCalendarView.as_view(), name="event_calendar"),
    path("<int:pk>/register/", views.RegisterView.as_view(), name="register"),
    path("<int:pk>/edit/", views.EventEditView.as_view(), name="edit"),
    path("<int:pk>/publish/", views.EventActionView.as_view(action="publish"), name="publish"),
    path("<int:pk>/registration/close/", views.EventActionView.as_view(action="close"), name="close"),
    path("<int:pk>/registration/reopen/", views.EventActionView.as_view(action="reopen"), name="reopen"),
    path("<int:pk>/cancel/", views.EventCancelView.as_view(), name="cancel"),
    path("<int:pk>/programme/", views.ProgrammeView.as_view(), name="programme"),
    path(
        "<int:pk>/programme/sessions/<int:item_pk>/delete/",
        views.ProgrammeDeleteView.as_view(model=Session),
        name="session_delete",
    ),
    path(
        "<int:pk>/programme/speakers/<int:item_pk>/delete/",
        views.ProgrammeDeleteView.as_view(model=Speaker),
        name="speaker_delete",
    ),
    path("<int:pk>/registrations/", views.RegistrationsView.as_view(), name="registrations"),
    path("<int:pk>/badges/", views.BadgesView.as_view(), name="badges"),
    path("<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path(
        "<int:pk>/attendance/<int:registration_pk>/",
        views.AttendanceToggleView.as_view(),
        name="attendance_toggle",
    ),
    path(
        "registrations/<int:pk>/cancel/", views.RegistrationCancelView.as_view(), name="registration_cancel"
    ),
]
