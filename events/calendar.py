"""iCalendar (RFC 5545) files of the agenda: a feed per pole, one for the whole network, one per event.

Times are written in Europe/Paris (``DTSTART;TZID=Europe/Paris``) with the matching VTIMEZONE, so that a
calendar client shows the local time of the event whatever its own zone. Each event keeps its UID for
life and its SEQUENCE grows on every change, so that clients update their copy rather than add another;
a cancelled event stays in the feed with STATUS:CANCELLED, which removes it from subscribers' calendars.
"""

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard
from icalendar import Event as VEvent

from events.models import Event, EventStatus

PARIS = ZoneInfo("Europe/Paris")
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
    return VEvent.new(
        uid=f"{event.uid}@{CALENDAR_DOMAIN}",
        summary=_summary(event),
        start=event.starts_at.astimezone(PARIS),
        end=event.ends_at.astimezone(PARIS),
        stamp=event.updated_at,
        last_modified=event.updated_at,
        sequence=event.sequence,
        status="CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED",
        location=_location(event) or None,
        description=_description(event, url) or None,
        categories=[str(event.get_kind_display())],
        url=url,
    )


def paris_vtimezone() -> Timezone:
    """Europe/Paris as yearly rules (RRULE), the form every calendar client reads.

    The European Union's rule (last Sunday of March at 02:00 → CEST, last Sunday of October at 03:00 →
    CET) has applied since 1996; a test checks it against the zone database. A list of dated changes
    (RDATE), as icalendar writes by default, is misread by some parsers.
    """
    zone = Timezone()
    zone.add("TZID", "Europe/Paris")
    zone.add("X-LIC-LOCATION", "Europe/Paris")
    daylight = TimezoneDaylight()
    daylight.add("TZNAME", "CEST")
    daylight.add("TZOFFSETFROM", timedelta(hours=1))
    daylight.add("TZOFFSETTO", timedelta(hours=2))
    daylight.add("DTSTART", datetime(1996, 3, 31, 2, 0))
    daylight.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "-1SU"})
    standard = TimezoneStandard()
    standard.add("TZNAME", "CET")
    standard.add("TZOFFSETFROM", timedelta(hours=2))
    standard.add("TZOFFSETTO", timedelta(hours=1))
    standard.add("DTSTART", datetime(1996, 10, 27, 3, 0))
    standard.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": 10, "BYDAY": "-1SU"})
    zone.add_component(daylight)
    zone.add_component(standard)
    return zone


def calendar_bytes(events: Iterable[Event], *, name: str, url_of) -> bytes:
    """The calendar of ``events`` as RFC 5545 text; ``url_of(event)`` gives each event's absolute URL."""
    events = list(events)
    calendar = Calendar.new(
        prodid=PRODID,
        name=name,
        method="PUBLISH",
        uid=uuid.uuid5(uuid.NAMESPACE_URL, f"{CALENDAR_DOMAIN}/{name}"),
    )
    calendar.add("X-WR-TIMEZONE", "Europe/Paris")
    calendar.add("REFRESH-INTERVAL", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add_component(paris_vtimezone())
    for event in events:
        calendar.add_component(vevent(event, url=url_of(event)))
    return calendar.to_ical()
