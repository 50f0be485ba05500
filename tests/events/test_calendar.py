"""iCalendar files: the network's feed, each pole's feed, one event's .ics.

Each file is read three ways: by ``icalendar`` (the library that writes it), by ``vobject`` (an
independent parser), and by a plain check of RFC 5545's line rules (CRLF, 75 octets, balanced
components, the required properties).
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.urls import reverse

from events.models import EventStatus
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def rfc5545_problems(body: bytes) -> list[str]:
    """What breaks RFC 5545's content-line rules in ``body`` (an empty list when it is well formed)."""
    problems = []
    if not body.endswith(b"\r\n"):
        problems.append("the file does not end with CRLF")
    lines = body.split(b"\r\n")[:-1]
    if any(b"\n" in line or b"\r" in line for line in lines):
        problems.append("a line break other than CRLF")
    for number, line in enumerate(lines, 1):
        if len(line) > 75:
            problems.append(f"line {number} is longer than 75 octets")
    unfolded: list[str] = []
    for line in lines:
        text = line.decode("utf-8")
        if text.startswith((" ", "\t")) and unfolded:
            unfolded[-1] += text[1:]
        else:
            unfolded.append(text)
    stack: list[str] = []
    properties: dict[str, set[str]] = {}
    for line in unfolded:
        name = line.split(":", 1)[0].split(";", 1)[0].upper()
        if ":" not in line:
            problems.append(f"no colon in {line!r}")
        if name == "BEGIN":
            stack.append(line.split(":", 1)[1])
        elif name == "END":
            if not stack or stack.pop() != line.split(":", 1)[1]:
                problems.append(f"unbalanced {line!r}")
        elif stack:
            properties.setdefault(stack[-1], set()).add(name)
    if stack:
        problems.append(f"unclosed {stack}")
    if not {"VERSION", "PRODID"} <= properties.get("VCALENDAR", set()):
        problems.append("VCALENDAR without VERSION or PRODID")
    if "VEVENT" in properties and not {"UID", "DTSTAMP", "DTSTART"} <= properties["VEVENT"]:
        problems.append("VEVENT without UID, DTSTAMP or DTSTART")
    return problems


def _paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def agenda(pole_a, pole_b):
    """A winter event and a summer one (both sides of daylight saving time), a cancelled one, a draft,
    and an event of pole B co-organised by pole A."""
    winter = EventFactory(
        canceropole=pole_a,
        title_fr="Séminaire d'hiver",
        starts_at=_paris(2027, 1, 14, 9, 30),
        ends_at=_paris(2027, 1, 14, 17, 0),
    )
    summer = EventFactory(
        canceropole=pole_a,
        title_fr="Journées annuelles, été",
        description_fr="Deux jours ; programme : voir le site.",
        starts_at=_paris(2027, 6, 30, 9, 0),
        ends_at=_paris(2027, 7, 1, 16, 0),
    )
    cancelled = EventFactory(canceropole=pole_a, status=EventStatus.CANCELLED, title_fr="Atelier annulé")
    draft = EventFactory(canceropole=pole_a, status=EventStatus.DRAFT, title_fr="Brouillon")
    co_organised = EventFactory(canceropole=pole_b, co_organisers=[pole_a], title_fr="Inter-pôles")
    other = EventFactory(canceropole=pole_b, title_fr="CLARA seulement")
    return {
        "winter": winter,
        "summer": summer,
        "cancelled": cancelled,
        "draft": draft,
        "co_organised": co_organised,
        "other": other,
    }


def _uid(event) -> str:
    return f"{event.uid}@canceropoles.fr"


def test_network_feed_parses_with_two_parsers_and_has_the_public_events_in_paris_time(client, agenda):
    response = client.get(reverse("events:calendar"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert rfc5545_problems(response.content) == []
    parsed = icalendar.Calendar.from_ical(response.content)
    events = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    public = ["winter", "summer", "cancelled", "co_organised", "other"]
    assert set(events) == {_uid(agenda[name]) for name in public}
    winter = events[_uid(agenda["winter"])]
    assert winter.decoded("DTSTART") == _paris(2027, 1, 14, 9, 30)
    assert winter["DTSTART"].params["TZID"] == "Europe/Paris"
    assert winter.decoded("DTSTART").utcoffset() == timedelta(hours=1)
    summer = events[_uid(agenda["summer"])]
    assert summer.decoded("DTEND") == _paris(2027, 7, 1, 16, 0)
    assert summer.decoded("DTSTART").utcoffset() == timedelta(hours=2)
    assert str(summer["SUMMARY"]) == "Journées annuelles, été"
    assert "Deux jours ; programme : voir le site." in str(summer["DESCRIPTION"])
    assert str(events[_uid(agenda["cancelled"])]["STATUS"]) == "CANCELLED"
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["Europe/Paris"]

    independent = vobject.readOne(response.content.decode("utf-8"))
    by_uid = {v.uid.value: v for v in independent.vevent_list}
    assert by_uid[_uid(agenda["winter"])].dtstart.value == _paris(2027, 1, 14, 9, 30)
    assert by_uid[_uid(agenda["winter"])].dtstart.value.astimezone(ZoneInfo("UTC")).hour == 8
    assert by_uid[_uid(agenda["summer"])].dtstart.value.astimezone(ZoneInfo("UTC")).hour == 7
    assert by_uid[_uid(agenda["summer"])].summary.value == "Journées annuelles, été"
    assert independent.vtimezone.tzid.value == "Europe/Paris"


def test_pole_feed_has_its_own_and_its_co_organised_events(client, agenda):
    response = client.get(reverse("events:pole_calendar", args=["GSO"]))

    assert rfc5545_problems(response.content) == []
    uids = {v.uid.value for v in vobject.readOne(response.content.decode()).vevent_list}
    assert uids == {_uid(agenda[name]) for name in ("winter", "summer", "cancelled", "co_organised")}


def test_feed_of_an_unknown_pole_is_not_found(client):
    assert client.get(reverse("events:pole_calendar", args=["XYZ"])).status_code == 404


def test_empty_feed_is_still_valid_and_declares_its_zone(client):
    response = client.get(reverse("events:pole_calendar", args=["CNO"]))

    assert rfc5545_problems(response.content) == []
    parsed = icalendar.Calendar.from_ical(response.content)
    assert list(parsed.walk("VEVENT")) == []
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_event_ics_has_the_one_event_with_its_revision(client, agenda):
    event = agenda["winter"]
    type(event).objects.filter(pk=event.pk).update(sequence=3)

    response = client.get(reverse("events:event_calendar", args=[event.pk]))

    assert rfc5545_problems(response.content) == []
    (vevent,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert (str(vevent["UID"]), vevent["SEQUENCE"]) == (_uid(event), 3)
    assert str(vevent["URL"]) == f"http://testserver{event.get_absolute_url()}"
    assert str(vevent["LOCATION"]) == "Amphithéâtre A, Oncopole, Toulouse"


def test_event_ics_of_a_draft_is_not_found_for_the_public(client, agenda):
    assert client.get(reverse("events:event_calendar", args=[agenda["draft"].pk])).status_code == 404


@pytest.mark.parametrize("rows", [1, 6])
def test_network_feed_query_count_is_constant(client, pole_a, pole_b, rows, django_assert_num_queries):
    for _ in range(rows):
        EventFactory(canceropole=pole_a, co_organisers=[pole_b])

    # the public events with their lead pole
    with django_assert_num_queries(1):
        response = client.get(reverse("events:calendar"))

    assert len(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == rows


def test_paris_vtimezone_rules_agree_with_the_zone_database():
    """The hand-written yearly rules give the zone database's offset at every hour around each change."""
    from events.calendar import paris_vtimezone

    text = icalendar.Calendar.new(prodid="-//test//", subcomponents=[paris_vtimezone()]).to_ical().decode()
    written = vobject.readOne(text).vtimezone.gettzinfo()
    for year in range(2020, 2041):
        for month, day in ((3, 20), (10, 20)):
            start = datetime(year, month, day, tzinfo=ZoneInfo("UTC"))
            for hour in range(0, 24 * 14):
                moment = start + timedelta(hours=hour)
                assert moment.astimezone(written).utcoffset() == moment.astimezone(PARIS).utcoffset(), moment
