"""iCalendar (RFC 5545) files of the agenda: a feed per pole, one for the whole network, one per event.

Times are written in Europe/Paris (``DTSTART;TZID=Europe/Paris``) with the matching VTIMEZONE, so that a
calendar client shows the local time of the event whatever its own zone. Each event keeps its UID for
life and its SEQUENCE grows on every change, so that clients update their copy rather than add another;
a cancelled event stays in the feed with STATUS:CANCELLED, which removes it from subscribers' calendars.
"""

import uuid
from collections.abc import Iterable
from datetime import date, timedelta

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from events.models import Event, EventStatus

PRODID = "-//Cancéropôles//Portal agenda//FR"
CALENDAR_DOMAIN = "canceropoles.fr"


def _summary(event: Event) -> str:
    prefix = "[ANNULÉ] " if event.status == EventStatus.CANCELLED else ""
    return f"{prefix}{event.title}"


def _location(event: Event) -> str:
    place = ", ".join(part for part in (event.venue, event.city) if part)
    return place or event.online_url


def _description(event: Event, url: str) -> str:
    parts = [event.description.strip(), event.online_url, url]
    return "\n\n".join(part for part in parts if part)


def vevent(event: Event, *, url: str) -> VEvent:
    zone = timezone.get_default_timezone()
    return VEvent.new(
        uid=f"{event.uid}@{CALENDAR_DOMAIN}",
        summary=_summary(event),
        start=event.starts_at.astimezone(zone),
        end=event.ends_at.astimezone(zone),
        stamp=event.updated_at,
        last_modified=event.updated_at,
        sequence=event.sequence,
        status="CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED",
        location=_location(event) or None,
        description=_description(event, url) or None,
        categories=[str(event.get_kind_display())],
        url=url,
    )


def calendar_bytes(events: Iterable[Event], *, name: str, url_of) -> bytes:
    """The calendar of ``events`` as RFC 5545 text; ``url_of(event)`` gives each event's absolute URL."""
    events = list(events)
    calendar = Calendar.new(
        prodid=PRODID,
        name=name,
        method="PUBLISH",
        uid=uuid.uuid5(uuid.NAMESPACE_URL, f"{CALENDAR_DOMAIN}/{name}"),
    )
    calendar.add("X-WR-TIMEZONE", timezone.get_default_timezone_name())
    calendar.add("REFRESH-INTERVAL", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    for event in events:
        calendar.add_component(vevent(event, url=url_of(event)))
    # The zone's rules over the span of the events, a year either side (the whole of 1970-2038 otherwise).
    today = timezone.localdate()
    first = min([timezone.localdate(e.starts_at) for e in events], default=today)
    last = max([timezone.localdate(e.ends_at) for e in events], default=today)
    calendar.add_missing_timezones(first_date=date(first.year - 1, 1, 1), last_date=date(last.year + 2, 1, 1))
    if not events:
        # No event uses the zone yet: still declare it, so that clients know the feed's zone.
        from icalendar import Timezone

        calendar.add_component(
            Timezone.from_tzid(
                timezone.get_default_timezone_name(),
                first_date=date(today.year - 1, 1, 1),
                last_date=date(today.year + 2, 1, 1),
            )
        )
    return calendar.to_ical()
