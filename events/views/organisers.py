"""The organisers' pages: the events they run, creating and editing one, closing its registration,
the list of people registered (with exports and name badges), and attendance on the day."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from canceropoles.models import Canceropole
from cop_contracts.models import LABELLING_PERIOD
from events import exports, selectors, services
from events.forms import CancelEventForm, EventForm, PersonForm, SessionForm, SpeakerForm
from events.models import HOLDS_A_PLACE, Registration, RegistrationStatus, Session, Speaker
from events.views._shared import add_errors, error_text, require, visible_event

MANAGE_PAGE_SIZE = 25


class ManageView(LoginRequiredMixin, View):
    """The events the user organises (all events for INCa staff, read-only), newest first."""

    def get(self, request, code=None):
        require(request.user, "events.view_event_management")
        events = selectors.events_managed_by(user=request.user)
        pole = None
        if code is not None:
            pole = get_object_or_404(Canceropole, code=code.upper())
            if not request.user.has_perm("events.view_pole_events", pole):
                raise Http404
            events = events.filter(selectors.organised_by([pole.pk]))
        page = Paginator(events, MANAGE_PAGE_SIZE).get_page(request.GET.get("page"))
        poles = [pole] if pole else list(Canceropole.objects.order_by("name"))
        creatable = [p for p in poles if request.user.has_perm("events.add_event", p)]
        may_fill = pole is not None and request.user.has_perm("events.fill_cop_indicators", pole)
        return render(
            request,
            "events/manage.html",
            {
                "page": page,
                "events": page.object_list,
                "pole": pole,
                "creatable": creatable,
                "cop_years": _cop_years() if may_fill else [],
            },
        )


def _cop_years() -> list[int]:
    """The labelling period's years up to the current one (figures of years to come mean nothing)."""
    return [
        year
        for year in range(LABELLING_PERIOD[0], LABELLING_PERIOD[1] + 1)
        if year <= timezone.localdate().year
    ]


class CopFillView(LoginRequiredMixin, View):
    """Fill the pole's COP values computed from its events, as drafts of its reporting grid."""

    def post(self, request, code):
        pole = get_object_or_404(Canceropole, code=code.upper())
        require(request.user, "events.fill_cop_indicators", pole)
        year = request.POST.get("year", "")
        if not year.isdigit() or int(year) not in _cop_years():
            messages.error(request, _("Choose a year of the COP period, up to this year."))
            return redirect("events:pole", code=pole.code)
        try:
            values = services.cop_event_indicators_fill(canceropole=pole, year=int(year), by=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _(
                    "%(count)s COP values of %(year)s computed from the events, "
                    "as drafts of the reporting grid."
                )
                % {"count": len(values), "year": year},
            )
        return redirect("events:pole", code=pole.code)


class EventCreateView(LoginRequiredMixin, View):
    """A new event of a pole, saved as a draft."""

    def _pole(self, request, code) -> Canceropole:
        pole = get_object_or_404(Canceropole, code=code.upper())
        require(request.user, "events.add_event", pole)
        return pole

    def get(self, request, code):
        pole = self._pole(request, code)
        return render(request, "events/event_form.html", {"form": EventForm(lead=pole), "pole": pole})

    def post(self, request, code):
        pole = self._pole(request, code)
        form = EventForm(request.POST, lead=pole)
        if form.is_valid():
            try:
                event = services.event_create(
                    by=request.user,
                    canceropole=pole,
                    co_organisers=form.cleaned_data["co_organisers"],
                    **form.service_fields(),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, _("The event is saved as a draft. Publish it to open registration.")
                )
                return redirect("events:detail", pk=event.pk)
        return render(request, "events/event_form.html", {"form": form, "pole": pole}, status=400)


class EventEditView(LoginRequiredMixin, View):
    def _event(self, request, pk):
        event = visible_event(request.user, pk)
        require(request.user, "events.change_event", event)
        return event

    def get(self, request, pk):
        event = self._event(request, pk)
        form = EventForm(
            instance=event, lead=event.canceropole, initial={"co_organisers": list(event.co_organisers.all())}
        )
        return render(
            request, "events/event_form.html", {"form": form, "event": event, "pole": event.canceropole}
        )

    def post(self, request, pk):
        event = self._event(request, pk)
        form = EventForm(request.POST, instance=event, lead=event.canceropole)
        if form.is_valid():
            try:
                services.event_update(
                    event=event,
                    by=request.user,
                    co_organisers=form.cleaned_data["co_organisers"],
                    **form.service_fields(),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The event is saved."))
                return redirect("events:detail", pk=event.pk)
        event.refresh_from_db()
        return render(
            request,
            "events/event_form.html",
            {"form": form, "event": event, "pole": event.canceropole},
            status=400,
        )


class EventActionView(LoginRequiredMixin, View):
    """Publish an event, close or reopen its registration: one button, one service call."""

    ACTIONS = {
        "publish": (services.event_publish, _("The event is published.")),
        "close": (services.registration_close, _("Registration is closed.")),
        "reopen": (services.registration_reopen, _("Registration is open again.")),
    }
    action = ""

    def post(self, request, pk):
        event = visible_event(request.user, pk)
        require(request.user, "events.change_event", event)
        service, done = self.ACTIONS[self.action]
        try:
            service(event=event, by=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, str(done))
        return redirect("events:detail", pk=event.pk)


class EventCancelView(LoginRequiredMixin, View):
    def _event(self, request, pk):
        event = visible_event(request.user, pk)
        require(request.user, "events.change_event", event)
        return event

    def get(self, request, pk):
        event = self._event(request, pk)
        return render(request, "events/cancel_event.html", {"event": event, "form": CancelEventForm()})

    def post(self, request, pk):
        event = self._event(request, pk)
        form = CancelEventForm(request.POST)
        if form.is_valid():
            try:
                services.event_cancel(event=event, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, _("The event is cancelled; the people registered are told by e-mail.")
                )
                return redirect("events:detail", pk=event.pk)
        return render(request, "events/cancel_event.html", {"event": event, "form": form}, status=400)


class RegistrationsView(LoginRequiredMixin, View):
    """Who registered (places, waiting list in order, cancellations), the exports, and adding someone."""

    def _event(self, request, pk):
        event = visible_event(request.user, pk)
        require(request.user, "events.view_registrations", event)
        return event

    def _render(self, request, event, form, status=200):
        registrations = selectors.registrations_of_event(event=event)
        return render(
            request,
            "events/registrations.html",
            {"event": event, "registrations": registrations, "form": form},
            status=status,
        )

    def get(self, request, pk):
        event = self._event(request, pk)
        file_format = request.GET.get("format")
        if file_format is not None:
            if file_format not in exports.FORMATS:
                return render(
                    request,
                    "events/registrations.html",
                    {
                        "event": event,
                        "registrations": selectors.registrations_of_event(event=event),
                        "form": PersonForm(),
                        "format_error": _("Choose the CSV or XLSX format."),
                    },
                    status=400,
                )
            return exports.registrations_response(
                event=event,
                registrations=selectors.registrations_of_event(event=event),
                file_format=file_format,
            )
        return self._render(request, event, PersonForm())

    def post(self, request, pk):
        event = self._event(request, pk)
        form = PersonForm(request.POST)
        if form.is_valid():
            try:
                registration = services.registration_add(event=event, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                if registration.status == RegistrationStatus.WAITING:
                    messages.warning(request, _("The event is full: the person is on the waiting list."))
                else:
                    messages.success(request, _("The person is registered."))
                return redirect("events:registrations", pk=event.pk)
        return self._render(request, event, form, status=400)


class BadgesView(LoginRequiredMixin, View):
    """Name badges of the people with a place, in name order, ready to print."""

    def get(self, request, pk):
        event = visible_event(request.user, pk)
        require(request.user, "events.view_registrations", event)
        badges = Registration.objects.filter(event=event, status__in=HOLDS_A_PLACE).order_by(
            "last_name", "first_name", "id"
        )
        return render(request, "events/badges.html", {"event": event, "badges": badges})


def _attendance_rows(event):
    return list(
        Registration.objects.filter(event=event, status__in=HOLDS_A_PLACE).order_by(
            "last_name", "first_name", "id"
        )
    )


class AttendanceView(LoginRequiredMixin, View):
    """Attendance on the day: one checkbox per person with a place; each tick is saved at once (htmx),
    and the whole list can be saved with one button when scripts are off."""

    def _event(self, request, pk):
        event = visible_event(request.user, pk)
        require(request.user, "events.record_attendance", event)
        return event

    def get(self, request, pk):
        event = self._event(request, pk)
        return render(request, "events/attendance.html", {"event": event, "rows": _attendance_rows(event)})

    def post(self, request, pk):
        event = self._event(request, pk)
        ids = request.POST.getlist("attended")
        error = None
        if not all(value.isdigit() for value in ids):
            error = _("Tick people from the list.")
        else:
            try:
                changed = services.attendance_record(
                    event=event, attended_ids=[int(v) for v in ids], by=request.user
                )
            except ValidationError as refused:
                error = error_text(refused)
            else:
                messages.success(request, _("Attendance saved (%(count)s changes).") % {"count": changed})
                return redirect("events:attendance", pk=event.pk)
        return render(
            request,
            "events/attendance.html",
            {"event": event, "rows": _attendance_rows(event), "error": error},
            status=400,
        )


class AttendanceToggleView(LoginRequiredMixin, View):
    """One person present or not; answers the row (htmx) or goes back to the list."""

    def get(self, request, pk, registration_pk):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk, registration_pk):
        event = visible_event(request.user, pk)
        require(request.user, "events.record_attendance", event)
        registration = get_object_or_404(Registration, event=event, pk=registration_pk)
        error = None
        try:
            registration = services.attendance_set(
                # htmx posts the whole list: the person is present when their own box is ticked.
                registration=registration,
                attended=str(registration.pk) in request.POST.getlist("attended"),
                by=request.user,
            )
        except ValidationError as refused:
            error = error_text(refused)
        if getattr(request, "htmx", False):
            return render(
                request,
                "events/_attendance_status.html",
                {"event": event, "row": registration, "error": error},
                status=400 if error else 200,
            )
        if error:
            messages.error(request, error)
        return redirect("events:attendance", pk=event.pk)


class ProgrammeView(LoginRequiredMixin, View):
    """The organisers add and remove the sessions and speakers of an event."""

    def _event(self, request, pk):
        event = visible_event(request.user, pk)
        require(request.user, "events.change_event", event)
        return event

    def _render(self, request, event, *, session_form=None, speaker_form=None, status=200):
        return render(
            request,
            "events/programme.html",
            {
                "event": event,
                "sessions": Session.objects.filter(event=event).prefetch_related("speakers"),
                "speakers": Speaker.objects.filter(event=event).select_related("session"),
                "session_form": session_form or SessionForm(),
                "speaker_form": speaker_form or SpeakerForm(event=event),
            },
            status=status,
        )

    def get(self, request, pk):
        return self._render(request, self._event(request, pk))

    def post(self, request, pk):
        event = self._event(request, pk)
        if "session-title_fr" in request.POST:
            form = SessionForm(request.POST)
            if form.is_valid():
                try:
                    services.session_add(event=event, by=request.user, **form.cleaned_data)
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    messages.success(request, _("The session is added."))
                    return redirect("events:programme", pk=event.pk)
            return self._render(request, event, session_form=form, status=400)
        form = SpeakerForm(request.POST, event=event)
        if form.is_valid():
            try:
                services.speaker_add(event=event, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The speaker is added."))
                return redirect("events:programme", pk=event.pk)
        return self._render(request, event, speaker_form=form, status=400)


class ProgrammeDeleteView(LoginRequiredMixin, View):
    """Remove a session or a speaker from the programme."""

    model = Session

    def post(self, request, pk, item_pk):
        event = visible_event(request.user, pk)
        require(request.user, "events.change_event", event)
        item = get_object_or_404(self.model, event=event, pk=item_pk)
        if self.model is Session:
            services.session_delete(session=item, by=request.user)
        else:
            services.speaker_delete(speaker=item, by=request.user)
        messages.success(request, _("Removed from the programme."))
        return redirect("events:programme", pk=event.pk)
