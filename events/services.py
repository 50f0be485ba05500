"""Every write on events and registrations.

Capacity under concurrency: every change that takes or frees a place (register, cancel, promote, a new
capacity) first locks the event's row, then counts the places taken. Registrations of one event are
therefore decided one at a time, in the order their requests got the lock: the first ``capacity``
people get a place and the others join the waiting list in that order; a cancellation hands its place
to the first person waiting, who is told by e-mail after commit. Locks are always taken event first,
then registrations, so two writers never wait for each other in opposite orders.

Each status change of a registration is recorded (RegistrationTransition: who, when, from, to, comment).
Who may call what is decided by events.rules, in the views and the API, before the call.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from canceropoles.models import Canceropole, Region
from common.errors import TransitionError
from common.notifications import email_after_commit
from common.workflow import lock_in_order, record_creation, transition
from cop_contracts.models import EDITABLE_STATUSES, CopContract, IndicatorDefinition, IndicatorValue
from cop_contracts.registry import declared_indicators
from cop_contracts.services import indicator_value_compute
from events.models import (
    ACTIVE_STATUSES,
    HOLDS_A_PLACE,
    CareerStage,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    RegistrationTransition,
    Session,
    Speaker,
)

# The fields of an event its organisers set (the lead pole is set at creation and never moves).
EVENT_FIELDS = (
    "kind",
    "audience",
    "working_group",
    "title_fr",
    "title_en",
    "description_fr",
    "description_en",
    "starts_at",
    "ends_at",
    "venue",
    "city",
    "online_url",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "fee",
)


# ---------------------------------------------------------------------------------------------- events


def _check_event(event: Event) -> None:
    """Field checks the database constraints also hold, with messages that name the field."""
    errors: dict[str, list[str]] = {}
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        errors["ends_at"] = [_("The event must end after it starts.")]
    if not (event.venue.strip() or event.online_url.strip()):
        errors["venue"] = [_("Give a venue, an online link, or both.")]
    if event.capacity is not None and event.capacity < 1:
        errors["capacity"] = [_("Enter at least 1 place, or leave empty for no limit.")]
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens and closes and closes <= opens:
        errors["registration_closes_at"] = [_("Registration must close after it opens.")]
    if closes and event.ends_at and closes > event.ends_at:
        errors["registration_closes_at"] = [_("Registration must close before the event ends.")]
    if event.fee is not None and event.fee < 0:
        errors["fee"] = [_("Enter a fee greater than or equal to 0, or leave empty if free.")]
    if errors:
        raise ValidationError(errors)
    event.full_clean(exclude=["canceropole", "co_organisers"], validate_constraints=False)


def _co_organisers(*, lead: Canceropole, co_organisers: Iterable[Canceropole]) -> list[Canceropole]:
    return [pole for pole in co_organisers if pole.pk != lead.pk]


@transaction.atomic
def event_create(
    *, by: User, canceropole: Canceropole, co_organisers: Iterable[Canceropole] = (), **fields
) -> Event:
    """Create a draft event of ``canceropole``. Raises ValidationError naming the field on bad input."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    event = Event(canceropole=canceropole, status=EventStatus.DRAFT, **fields)
    _check_event(event)
    event._history_user = by
    event.save()
    event.co_organisers.set(_co_organisers(lead=canceropole, co_organisers=co_organisers))
    return event


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


@transaction.atomic
def event_update(
    *, event: Event, by: User, co_organisers: Iterable[Canceropole] | None = None, **fields
) -> Event:
    """Change an event's details. A larger capacity (or none) promotes people from the waiting list.

    Raises ValidationError naming the field on bad input, or when the new capacity is below the places
    already taken. Side effects: the event's revision grows (calendar clients refresh their copy); after
    commit, each promoted person is e-mailed.
    """
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    locked = _lock(event)
    if locked.status == EventStatus.CANCELLED:
        raise TransitionError({"status": [_("This event was cancelled: it can no longer be changed.")]})
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_event(locked)
    taken = Registration.objects.filter(event=locked, status__in=HOLDS_A_PLACE).count()
    if locked.capacity is not None and locked.capacity < taken:
        raise ValidationError(
            {
                "capacity": [
                    _("%(taken)s people already have a place: the capacity cannot be lower.")
                    % {"taken": taken}
                ]
            }
        )
    locked.sequence += 1
    locked._history_user = by
    locked.save()
    if co_organisers is not None:
        locked.co_organisers.set(_co_organisers(lead=locked.canceropole, co_organisers=co_organisers))
    _promote_waiting(event=locked, by=by)
    return locked


def _event_transition(*, event: Event, by: User, allowed_from: tuple[str, ...], to: str) -> Event:
    locked = _lock(event)
    if locked.status not in allowed_from:
        raise TransitionError(
            {
                "status": [
                    _("This event is %(status)s: it cannot become “%(to)s”.")
                    % {"status": locked.get_status_display().lower(), "to": EventStatus(to).label.lower()}
                ]
            }
        )
    locked.status = to
    locked.sequence += 1
    locked._history_user = by
    locked.save(update_fields=["status", "sequence", "updated_at"])
    return locked


@transaction.atomic
def event_publish(*, event: Event, by: User) -> Event:
    """Publish a draft: it appears in the agenda and the calendar feeds, and registration can open."""
    return _event_transition(event=event, by=by, allowed_from=(EventStatus.DRAFT,), to=EventStatus.PUBLISHED)


@transaction.atomic
def event_cancel(*, event: Event, by: User, reason: str) -> Event:
    """Cancel a published event (a draft can be cancelled too). The reason is mandatory.

    Side effects: after commit, one e-mail to each person with a place or a waiting-list place. The
    registrations stay as they are, for the record; the calendar feeds mark the event cancelled.
    """
    if not reason.strip():
        raise ValidationError(
            {"reason": [_("Say why the event is cancelled: the people registered read it.")]}
        )
    locked = _event_transition(
        event=event, by=by, allowed_from=(EventStatus.DRAFT, EventStatus.PUBLISHED), to=EventStatus.CANCELLED
    )
    recipients = sorted(
        set(
            Registration.objects.filter(event=locked, status__in=ACTIVE_STATUSES).values_list(
                "email", flat=True
            )
        )
    )
    with translation.override(settings.LANGUAGE_CODE):  # e-mails in the portal's language
        subject = _("Cancelled: %(title)s") % {"title": locked.title}
        body = _("The event “%(title)s” planned on %(date)s is cancelled.\n\n%(reason)s") % {
            "title": locked.title,
            "date": _local_date(locked),
            "reason": reason.strip(),
        }
    # One message per person: nobody sees who else registered.
    for recipient in recipients:
        email_after_commit(subject=subject, body=body, recipients=[recipient])
    return locked


@transaction.atomic
def registration_close(*, event: Event, by: User) -> Event:
    """Close registration now, whatever the window says (the waiting list still moves on cancellations)."""
    locked = _lock(event)
    if locked.registration_closed_at is not None:
        raise TransitionError({"registration": [_("Registration is already closed.")]})
    locked.registration_closed_at = timezone.now()
    locked._history_user = by
    locked.save(update_fields=["registration_closed_at", "updated_at"])
    return locked


@transaction.atomic
def registration_reopen(*, event: Event, by: User) -> Event:
    """Reopen a registration the organisers closed (the window still applies)."""
    locked = _lock(event)
    if locked.registration_closed_at is None:
        raise TransitionError({"registration": [_("Registration was not closed by the organisers.")]})
    locked.registration_closed_at = None
    locked._history_user = by
    locked.save(update_fields=["registration_closed_at", "updated_at"])
    return locked


# ------------------------------------------------------------------------------------- registrations


def _local_date(event: Event) -> str:
    return timezone.localtime(event.starts_at).strftime("%d/%m/%Y %H:%M")


def _event_url(event: Event) -> str:
    return reverse("events:detail", args=[event.pk])


def _move(
    *, registration: Registration, to: str, allowed_from: tuple[str, ...], by: User | None, comment: str = ""
) -> Registration:
    """A registration's status change through the workflow helper: its row locked, the status it may
    leave checked, the step recorded (the caller holds the event's lock when places are involved)."""
    return transition(
        obj=registration,
        to=to,
        allowed_from=allowed_from,
        by=by,
        record_model=RegistrationTransition,
        comment=comment,
        message=_("This registration is “%(status)s”: it cannot become “%(to)s”."),
    )


def _check_person(*, career_stage: str, email: str, first_name: str, last_name: str) -> None:
    errors: dict[str, list[str]] = {}
    if career_stage not in CareerStage.values:
        errors["career_stage"] = [_("Choose a career stage from the list.")]
    if not email.strip():
        errors["email"] = [_("An e-mail address is required.")]
    if not first_name.strip():
        errors["first_name"] = [_("This field is required.")]
    if not last_name.strip():
        errors["last_name"] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)


def _take_place_or_wait(
    *, event: Event, by: User, user: User | None, fields: dict, comment: str = ""
) -> Registration:
    """Under the event's lock: a place if one is left, else the end of the waiting list."""
    taken = Registration.objects.filter(event=event, status__in=HOLDS_A_PLACE).count()
    status = (
        RegistrationStatus.REGISTERED
        if event.capacity is None or taken < event.capacity
        else RegistrationStatus.WAITING
    )
    existing = Registration.objects.select_for_update().filter(event=event, email=fields["email"]).first()
    if existing is not None and existing.is_active:
        message = (
            _("%(name)s is already on the waiting list of this event.")
            if existing.status == RegistrationStatus.WAITING
            else _("%(name)s is already registered for this event.")
        )
        raise TransitionError({"event": [message % {"name": existing.full_name}]})
    if existing is None:
        registration = Registration.objects.create(
            event=event, user=user, status=status, requested_at=timezone.now(), **fields
        )
        record_creation(
            obj=registration, to=status, by=by, record_model=RegistrationTransition, comment=comment
        )
    else:
        # Someone who cancelled registers again: the same row, a new place in the queue.
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.user = user or existing.user
        existing.requested_at = timezone.now()
        existing.save(update_fields=[*fields, "user", "requested_at", "updated_at"])
        registration = _move(
            registration=existing,
            to=status,
            allowed_from=(RegistrationStatus.CANCELLED,),
            by=by,
            comment=comment,
        )
    _notify_registration(registration)
    return registration


def _notify_registration(registration: Registration) -> None:
    event = registration.event
    with translation.override(settings.LANGUAGE_CODE):  # e-mails in the portal's language
        if registration.status == RegistrationStatus.WAITING:
            subject = _("Waiting list: %(title)s") % {"title": event.title}
            body = _(
                "The event “%(title)s” (%(date)s) is full: you are on its waiting list. If a place frees "
                "up, it goes to the first person waiting and you will receive an e-mail.\n\n%(url)s"
            )
        else:
            subject = _("Registration confirmed: %(title)s") % {"title": event.title}
            body = _("You have a place at “%(title)s” (%(date)s).\n\n%(url)s")
        email_after_commit(
            subject=subject,
            body=body % {"title": event.title, "date": _local_date(event), "url": _event_url(event)},
            recipients=[registration.email],
        )


@transaction.atomic
def registration_create(
    *,
    event: Event,
    user: User,
    career_stage: str,
    region: Region | None,
    organisation: str = "",
) -> Registration:
    """Register ``user`` for ``event``: a place while places are left, else the waiting list.

    Locks the event's row, so that concurrent registrations are decided one at a time. Raises
    TransitionError when registration is not open or the user is already registered or waiting;
    ValidationError naming the field on bad input. Side effects: the transition is recorded; after
    commit, an e-mail confirms the place or the waiting-list place.
    """
    email = user.email.strip().lower()
    first_name, last_name = user.first_name or email.split("@")[0], user.last_name or "—"
    _check_person(career_stage=career_stage, email=email, first_name=first_name, last_name=last_name)
    locked = _lock(event)
    if not locked.registration_is_open():
        raise TransitionError({"event": [_("Registration for this event is not open.")]})
    fields = {
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "organisation": organisation.strip(),
        "region": region,
        "career_stage": career_stage,
    }
    return _take_place_or_wait(event=locked, by=user, user=user, fields=fields)


@transaction.atomic
def registration_add(
    *,
    event: Event,
    by: User,
    first_name: str,
    last_name: str,
    email: str,
    career_stage: str,
    region: Region | None,
    organisation: str = "",
) -> Registration:
    """An organiser registers someone (who may have no account), also after registration closed and
    on the day, until the event ends; capacity and the waiting list apply as to everyone.

    Raises TransitionError unless the event is published and not over, or when the person is already
    registered or waiting; ValidationError naming the field on bad input. Side effects as
    ``registration_create``.
    """
    email = email.strip().lower()
    _check_person(career_stage=career_stage, email=email, first_name=first_name, last_name=last_name)
    locked = _lock(event)
    if locked.status != EventStatus.PUBLISHED or locked.ends_at <= timezone.now():
        raise TransitionError({"event": [_("People can be added to a published event until it ends.")]})
    fields = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "email": email,
        "organisation": organisation.strip(),
        "region": region,
        "career_stage": career_stage,
    }
    user = User.objects.filter(email=email).first()
    return _take_place_or_wait(
        event=locked, by=by, user=user, fields=fields, comment=_("Registered by the organisers.")
    )


def _promote_waiting(*, event: Event, by: User) -> list[Registration]:
    """Under the event's lock: give the free places to the first people waiting, in arrival order.

    Nobody is promoted once the event has started. Side effects: each promotion is recorded and, after
    commit, the promoted person is e-mailed.
    """
    if event.status != EventStatus.PUBLISHED or event.has_started():
        return []
    waiting = Registration.objects.select_for_update().filter(event=event, status=RegistrationStatus.WAITING)
    if event.capacity is None:
        free = None
    else:
        taken = Registration.objects.filter(event=event, status__in=HOLDS_A_PLACE).count()
        free = max(event.capacity - taken, 0)
        if free == 0:
            return []
    promoted = list(waiting.order_by("requested_at", "id")[:free] if free is not None else waiting)
    for registration in promoted:
        _move(
            registration=registration,
            to=RegistrationStatus.REGISTERED,
            allowed_from=(RegistrationStatus.WAITING,),
            by=by,
            comment=_("A place freed up: promoted from the waiting list."),
        )
        with translation.override(settings.LANGUAGE_CODE):  # e-mails in the portal's language
            email_after_commit(
                subject=_("A place for you: %(title)s") % {"title": event.title},
                body=_(
                    "A place freed up at “%(title)s” (%(date)s) and it is yours: you were first on the "
                    "waiting list. If you can no longer come, please cancel so that the next person gets it."
                    "\n\n%(url)s"
                )
                % {"title": event.title, "date": _local_date(event), "url": _event_url(event)},
                recipients=[registration.email],
            )
    return promoted


@transaction.atomic
def registration_cancel(*, registration: Registration, by: User, comment: str = "") -> Registration:
    """Cancel a place or a waiting-list place, before the event starts.

    Locks the event, then the registration. A freed place goes to the first person waiting (recorded
    and, after commit, e-mailed). When an organiser cancels someone else's registration, that person is
    e-mailed too. Raises TransitionError when the registration is not live or the event has started.
    """
    event = _lock(registration.event)
    live = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)
    current = Registration.objects.filter(pk=registration.pk).values_list("status", flat=True).get()
    if current in live and event.has_started():
        raise TransitionError(
            {"event": [_("The event has started: registrations can no longer be cancelled.")]}
        )
    locked = _move(
        registration=registration, to=RegistrationStatus.CANCELLED, allowed_from=live, by=by, comment=comment
    )
    # Under the event's lock nobody else moves this registration: its status before was ``current``.
    freed_a_place = current == RegistrationStatus.REGISTERED
    if by.pk != locked.user_id:
        with translation.override(settings.LANGUAGE_CODE):  # e-mails in the portal's language
            email_after_commit(
                subject=_("Registration cancelled: %(title)s") % {"title": event.title},
                body=_(
                    "The organisers cancelled your registration for “%(title)s” (%(date)s).\n\n%(comment)s"
                )
                % {"title": event.title, "date": _local_date(event), "comment": comment},
                recipients=[locked.email],
            )
    if freed_a_place:
        _promote_waiting(event=event, by=by)
    return locked


# ---------------------------------------------------------------------------------------- attendance


def _check_attendance_day(event: Event) -> None:
    if event.status != EventStatus.PUBLISHED:
        raise TransitionError({"event": [_("Attendance is recorded for published events only.")]})
    if timezone.localdate(event.starts_at) > timezone.localdate():
        raise TransitionError({"event": [_("Attendance can be recorded from the day the event starts.")]})


@transaction.atomic
def attendance_set(*, registration: Registration, attended: bool, by: User) -> Registration:
    """Mark one person present (or not) at the event, from the day it starts.

    Locks the registration; setting the status it already has changes nothing. Raises TransitionError
    unless the person has a place, or before the event's day.
    """
    _check_attendance_day(registration.event)
    locked = lock_in_order(Registration.objects.all(), [registration.pk])[registration.pk]
    if locked.status not in HOLDS_A_PLACE:
        raise TransitionError({"attended": [_("Only people with a place can be marked present.")]})
    target, other = (
        (RegistrationStatus.ATTENDED, RegistrationStatus.REGISTERED)
        if attended
        else (RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED)
    )
    if locked.status == target:
        return locked
    return _move(registration=locked, to=target, allowed_from=(other,), by=by)


@transaction.atomic
def attendance_record(*, event: Event, attended_ids: Iterable[int], by: User) -> int:
    """Record who attended, from the list: the people in ``attended_ids`` were present, every other
    person with a place was not. Returns how many registrations changed.

    Raises TransitionError (field ``attended``) when an id is not a place of this event, and before the
    event's day; nothing is written then.
    """
    _check_attendance_day(event)
    wanted = {int(pk) for pk in attended_ids}
    candidates = Registration.objects.filter(event=event, status__in=HOLDS_A_PLACE).values_list(
        "pk", flat=True
    )
    places = [
        registration
        for registration in lock_in_order(Registration.objects.all(), candidates).values()
        if registration.status in HOLDS_A_PLACE
    ]
    unknown = wanted - {registration.pk for registration in places}
    if unknown:
        raise TransitionError(
            {
                "attended": [
                    _("These people have no place at this event: %(ids)s.")
                    % {"ids": ", ".join(map(str, sorted(unknown)))}
                ]
            }
        )
    changed = 0
    for registration in places:
        target = RegistrationStatus.ATTENDED if registration.pk in wanted else RegistrationStatus.REGISTERED
        if registration.status != target:
            _move(registration=registration, to=target, allowed_from=HOLDS_A_PLACE, by=by)
            changed += 1
    return changed


__all__ = [
    "attendance_record",
    "attendance_set",
    "event_cancel",
    "event_create",
    "event_publish",
    "event_update",
    "registration_add",
    "registration_cancel",
    "registration_close",
    "registration_create",
    "registration_reopen",
]


# -------------------------------------------------------------------------------------- COP figures


def event_indicator_codes() -> list[str]:
    return [declaration.code for declaration in declared_indicators(app_label="events")]


@transaction.atomic
def cop_event_indicators_fill(*, canceropole: Canceropole, year: int, by: User) -> list:
    """Fill the pole's COP values of ``year`` for the indicators computed from events, as drafts.

    Values under review or accepted are left as they are (their figures are the pole's decision now);
    returns the values written. Raises TransitionError (field ``year``) when no COP contract of the pole
    covers the year. Side effects: cop_contracts records each value's first save.
    """
    contract = CopContract.objects.filter(
        canceropole=canceropole, first_year__lte=year, last_year__gte=year
    ).first()
    if contract is None:
        raise TransitionError({"year": [_("No COP contract of this pole covers %(year)s.") % {"year": year}]})
    indicators = IndicatorDefinition.objects.filter(
        code__in=event_indicator_codes(), source="computed", is_active=True
    ).order_by("code")
    locked = set(
        IndicatorValue.objects.filter(contract=contract, year=year, indicator__in=indicators)
        .exclude(status__in=EDITABLE_STATUSES)
        .values_list("indicator_id", flat=True)
    )
    return [
        indicator_value_compute(contract=contract, indicator=indicator, year=year, by=by)
        for indicator in indicators
        if indicator.pk not in locked
    ]


# ----------------------------------------------------------------------------------- programme


@transaction.atomic
def session_add(
    *, event: Event, by: User, title_fr: str, starts_at, ends_at, title_en: str = "", room: str = ""
) -> Session:
    """Add a session to the event's programme; it must fall within the event. Bumps the event's revision."""
    locked = _lock(event)
    errors: dict[str, list[str]] = {}
    if not title_fr.strip():
        errors["title_fr"] = [_("This field is required.")]
    if ends_at <= starts_at:
        errors["ends_at"] = [_("The session must end after it starts.")]
    elif starts_at < locked.starts_at or ends_at > locked.ends_at:
        errors["starts_at"] = [_("The session must take place during the event.")]
    if errors:
        raise ValidationError(errors)
    session = Session.objects.create(
        event=locked,
        title_fr=title_fr.strip(),
        title_en=title_en.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        room=room.strip(),
    )
    _bump(locked, by)
    return session


@transaction.atomic
def session_delete(*, session: Session, by: User) -> None:
    """Remove a session; its speakers stay on the event, without a session."""
    locked = _lock(session.event)
    session.delete()
    _bump(locked, by)


@transaction.atomic
def speaker_add(
    *,
    event: Event,
    by: User,
    name: str,
    affiliation: str = "",
    talk_title: str = "",
    session: Session | None = None,
) -> Speaker:
    """Add a speaker to the event, in one of its sessions or at the event as a whole."""
    locked = _lock(event)
    if not name.strip():
        raise ValidationError({"name": [_("This field is required.")]})
    if session is not None and session.event_id != locked.pk:
        raise ValidationError({"session": [_("Choose a session of this event.")]})
    order = Speaker.objects.filter(event=locked).count()
    speaker = Speaker.objects.create(
        event=locked,
        session=session,
        name=name.strip(),
        affiliation=affiliation.strip(),
        talk_title=talk_title.strip(),
        order=order,
    )
    _bump(locked, by)
    return speaker


@transaction.atomic
def speaker_delete(*, speaker: Speaker, by: User) -> None:
    locked = _lock(speaker.event)
    speaker.delete()
    _bump(locked, by)


def _bump(event: Event, by: User) -> None:
    event.sequence += 1
    event._history_user = by
    event.save(update_fields=["sequence", "updated_at"])
