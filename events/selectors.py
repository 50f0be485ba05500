"""Reads of events and registrations, scoped to a viewer (a user or a partner key: accounts.viewers), with
their joins and figures built in."""

from datetime import datetime

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from accounts.models import User
from accounts.viewers import as_viewer
from events.models import (
    HOLDS_A_PLACE,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
)


def _pole_ids(user: User) -> list[int]:
    return list(user.pole_roles()) if user.is_authenticated and user.is_active else []


def _with_figures(events: QuerySet[Event]) -> QuerySet[Event]:
    """Each event with its lead pole, its co-organisers and ``places_taken``, ``waiting``, ``attended``."""
    return (
        events.select_related("canceropole")
        .prefetch_related("co_organisers")
        .annotate(
            places_taken=Count("registrations", filter=Q(registrations__status__in=HOLDS_A_PLACE)),
            waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
            attended=Count("registrations", filter=Q(registrations__status=RegistrationStatus.ATTENDED)),
        )
    )


def organised_by(pole_ids) -> Q:
    """Events whose lead pole or one of whose co-organisers is among ``pole_ids``."""
    co_organised = Event.co_organisers.through.objects.filter(
        event_id=OuterRef("pk"), canceropole_id__in=pole_ids
    )
    return Q(canceropole_id__in=pole_ids) | Q(Exists(co_organised))


def events_visible_to(*, viewer) -> QuerySet[Event]:
    """Published and cancelled events for everyone (partner keys included); drafts for their organisers
    and INCa staff."""
    viewer = as_viewer(viewer)
    events = _with_figures(Event.objects.all())
    if viewer.is_national:
        return events
    public = ~Q(status=EventStatus.DRAFT)
    if not viewer.staff_pole_ids:
        return events.filter(public)
    return events.filter(public | organised_by(sorted(viewer.staff_pole_ids)))


def public_agenda(
    *,
    pole_code: str | None = None,
    kind: str | None = None,
    audience: str | None = None,
    after: datetime | None = None,
    before: datetime | None = None,
) -> QuerySet[Event]:
    """Published and cancelled events, soonest first; by default those not yet over.

    ``pole_code`` keeps the events the pole organises or co-organises.
    """
    events = _with_figures(Event.objects.exclude(status=EventStatus.DRAFT))
    if pole_code:
        co_organised = Event.co_organisers.through.objects.filter(
            event_id=OuterRef("pk"), canceropole__code=pole_code
        )
        events = events.filter(Q(canceropole__code=pole_code) | Q(Exists(co_organised)))
    if kind:
        events = events.filter(kind=kind)
    if audience:
        events = events.filter(audience=audience)
    events = events.filter(ends_at__gt=after if after is not None else timezone.now())
    if before is not None:
        events = events.filter(starts_at__lt=before)
    return events.order_by("starts_at", "id")


def calendar_events(*, pole_code: str | None = None) -> QuerySet[Event]:
    """What the iCalendar feeds publish: published and cancelled events (cancelled ones as such)."""
    events = Event.objects.exclude(status=EventStatus.DRAFT).select_related("canceropole")
    if pole_code:
        co_organised = Event.co_organisers.through.objects.filter(
            event_id=OuterRef("pk"), canceropole__code=pole_code
        )
        events = events.filter(Q(canceropole__code=pole_code) | Q(Exists(co_organised)))
    return events.order_by("starts_at", "id")


def events_managed_by(*, user: User) -> QuerySet[Event]:
    """The organisers' list: the events of the user's poles (lead or co-organiser); every event for INCa."""
    events = _with_figures(Event.objects.all()).order_by("-starts_at", "id")
    if user.is_authenticated and user.is_active and user.is_inca_staff:
        return events
    return events.filter(organised_by(_pole_ids(user)))


def event_detail(*, viewer, pk: int) -> Event:
    """One event the viewer may see, with its sessions and speakers; raises Event.DoesNotExist otherwise."""
    return events_visible_to(viewer=viewer).prefetch_related("sessions__speakers", "speakers").get(pk=pk)


def _waiting_position() -> Subquery:
    # People on the same event's waiting list who arrived before (or are) this one.
    ahead = Registration.objects.filter(
        event_id=OuterRef("event_id"), status=RegistrationStatus.WAITING
    ).filter(
        Q(requested_at__lt=OuterRef("requested_at"))
        | Q(requested_at=OuterRef("requested_at"), pk__lte=OuterRef("pk"))
    )
    return Subquery(ahead.order_by().values("event_id").annotate(n=Count("pk")).values("n")[:1])


def with_waiting_position(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """``waiting_position`` (1 for the first person waiting) on waiting registrations, else None."""
    return registrations.annotate(
        waiting_position=Case(When(status=RegistrationStatus.WAITING, then=_waiting_position()), default=None)
    )


def registrations_of_user(*, user: User, include_past: bool = False) -> QuerySet[Registration]:
    """A user's live registrations (places and waiting-list places), soonest event first."""
    registrations = Registration.objects.filter(user=user).select_related("event__canceropole")
    registrations = registrations.exclude(status=RegistrationStatus.CANCELLED)
    if not include_past:
        registrations = registrations.filter(event__ends_at__gt=timezone.now())
    return with_waiting_position(registrations).order_by("event__starts_at", "event_id")


def registrations_visible_to(*, viewer) -> QuerySet[Registration]:
    """The user's own registrations and those of the events they organise; nothing for anyone else
    (a partner key reads no registration: they are personal data)."""
    viewer = as_viewer(viewer)
    registrations = Registration.objects.select_related("event__canceropole", "region")
    if viewer.user is None:
        return registrations.none()
    if not viewer.staff_pole_ids:
        return registrations.filter(user=viewer.user)
    organised = Event.objects.filter(organised_by(sorted(viewer.staff_pole_ids))).values("pk")
    return registrations.filter(Q(user=viewer.user) | Q(event_id__in=organised))


def registrations_of_event(*, event: Event, statuses=None) -> QuerySet[Registration]:
    """An event's registrations for its organisers: places first in name order, then the waiting list
    in arrival order, then cancellations."""
    registrations = Registration.objects.filter(event=event).select_related("region")
    if statuses:
        registrations = registrations.filter(status__in=statuses)
    rank = Case(
        When(status__in=HOLDS_A_PLACE, then=Value(0)),
        When(status=RegistrationStatus.WAITING, then=Value(1)),
        default=Value(2),
    )
    return with_waiting_position(registrations).order_by(
        rank,
        Case(When(status=RegistrationStatus.WAITING, then="requested_at")),
        "last_name",
        "first_name",
        "id",
    )


def waiting_list(*, event: Event) -> QuerySet[Registration]:
    """The event's waiting list in arrival order: the first is the next to get a place."""
    return Registration.objects.filter(event=event, status=RegistrationStatus.WAITING).order_by(
        "requested_at", "id"
    )


def places_taken(*, event: Event) -> int:
    return Registration.objects.filter(event=event, status__in=HOLDS_A_PLACE).count()
