"""Public pages: the network's agenda, each event's page with registration, one's registrations, and the
iCalendar files."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from canceropoles.models import Canceropole
from events import calendar, selectors, services
from events.forms import AgendaFilterForm, RegistrationForm
from events.models import ACTIVE_STATUSES, Event, Registration
from events.views._shared import add_errors, error_text, require, visible_event

AGENDA_PAGE_SIZE = 20


class AgendaView(TemplateView):
    """Upcoming events of the network (or past ones), filtered by pole, kind and audience."""

    template_name = "events/agenda.html"

    def get(self, request, *args, **kwargs):
        poles = list(Canceropole.objects.order_by("name"))
        form = AgendaFilterForm(request.GET or None, poles=poles)
        filters = {}
        if form.is_bound and form.is_valid():
            filters = {k: v for k, v in form.cleaned_data.items() if v}
        past = request.GET.get("when") == "past"
        now = timezone.now()
        if past:
            events = selectors.public_agenda(
                pole_code=filters.get("pole"),
                kind=filters.get("kind"),
                audience=filters.get("audience"),
                after=timezone.make_aware(timezone.datetime(2000, 1, 1)),
                before=now,
            ).order_by("-starts_at", "-id")
        else:
            events = selectors.public_agenda(
                pole_code=filters.get("pole"), kind=filters.get("kind"), audience=filters.get("audience")
            )
        page = Paginator(events, AGENDA_PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = self.get_context_data(
            form=form,
            page=page,
            events=page.object_list,
            past=past,
            query=query.urlencode(),
            pole_code=filters.get("pole", ""),
        )
        status = 400 if form.is_bound and form.errors else 200
        return self.render_to_response(context, status=status)


def _detail_context(request, event: Event, *, form=None) -> dict:
    user = request.user
    registration = None
    if user.is_authenticated:
        registration = (
            selectors.with_waiting_position(
                Registration.objects.filter(event=event, user=user, status__in=ACTIVE_STATUSES)
            )
            .order_by("-id")
            .first()
        )
    if form is None and user.is_authenticated and registration is None and event.registration_is_open():
        form = RegistrationForm.for_user(user)
    return {
        "event": event,
        "registration": registration,
        "form": form,
        "registration_open": event.registration_is_open(),
        "may_change": user.has_perm("events.change_event", event),
        "may_see_figures": user.has_perm("events.view_event_figures", event),
        "may_see_registrations": user.has_perm("events.view_registrations", event),
    }


class EventDetailView(View):
    """An event's page: what, when, where, sessions and speakers, and one's registration."""

    def get(self, request, pk):
        try:
            event = selectors.event_detail(viewer=request.user, pk=pk)
        except Event.DoesNotExist:
            raise Http404 from None
        return render(request, "events/detail.html", _detail_context(request, event))


class RegisterView(LoginRequiredMixin, View):
    """One step: the form on the event's page, pre-filled; a place, or the waiting list when full."""

    def post(self, request, pk):
        event = visible_event(request.user, pk)
        require(request.user, "events.register", event)
        form = RegistrationForm(request.POST)
        if form.is_valid():
            try:
                registration = services.registration_create(
                    event=event, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                if registration.status == "waiting":
                    messages.warning(request, _("The event is full: you are on the waiting list."))
                else:
                    messages.success(request, _("You are registered."))
                return redirect("events:detail", pk=event.pk)
        event = selectors.event_detail(viewer=request.user, pk=pk)
        return render(request, "events/detail.html", _detail_context(request, event, form=form), status=400)


class RegistrationCancelView(LoginRequiredMixin, View):
    """Cancel a registration: one's own from the event page, or someone's from the organisers' list."""

    def post(self, request, pk):
        registration = get_object_or_404(
            selectors.registrations_visible_to(viewer=request.user).filter(status__in=ACTIVE_STATUSES), pk=pk
        )
        require(request.user, "events.cancel_registration", registration)
        try:
            services.registration_cancel(
                registration=registration, by=request.user, comment=request.POST.get("comment", "")[:500]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The registration is cancelled."))
        if request.POST.get("next") == "registrations" and request.user.has_perm(
            "events.view_registrations", registration.event
        ):
            return redirect("events:registrations", pk=registration.event_id)
        return redirect("events:detail", pk=registration.event_id)


class MyRegistrationsView(LoginRequiredMixin, TemplateView):
    """The user's places and waiting-list places, upcoming first; past ones on request."""

    template_name = "events/mine.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        past = self.request.GET.get("when") == "past"
        registrations = selectors.registrations_of_user(user=self.request.user, include_past=past)
        if past:
            registrations = registrations.filter(event__ends_at__lte=timezone.now()).order_by(
                "-event__starts_at"
            )
        context.update(registrations=registrations, past=past)
        return context


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class CalendarView(View):
    """The iCalendar feed of the network, or of one pole (the events it organises or co-organises)."""

    def get(self, request, code=None):
        if code is not None:
            pole = get_object_or_404(Canceropole, code=code.upper())
            name = _("Events – %(pole)s") % {"pole": pole.short_name}
            events = selectors.calendar_events(pole_code=pole.code)
            filename = f"evenements-{pole.code.lower()}.ics"
        else:
            name = _("Events of the cancéropôles")
            events = selectors.calendar_events()
            filename = "evenements-canceropoles.ics"
        content = calendar.calendar_bytes(
            events, name=name, url_of=lambda e: request.build_absolute_uri(e.get_absolute_url())
        )
        return _ics_response(content, filename)


class EventCalendarView(View):
    """One event as an .ics file, to add it to one's calendar."""

    def get(self, request, pk):
        event = visible_event(request.user, pk)
        content = calendar.calendar_bytes(
            [event], name=event.title, url_of=lambda e: request.build_absolute_uri(e.get_absolute_url())
        )
        return _ics_response(content, f"evenement-{event.pk}.ics")
