"""API of events: the public agenda and registrations, permissions per persona, query counts, schema."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openapi_spec_validator import validate

from events.models import Event, EventStatus, Registration, RegistrationStatus
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_event_list_is_public_with_figures(api_client, pole_a, pole_b):
    event = EventFactory(canceropole=pole_a, co_organisers=[pole_b], capacity=3)
    RegistrationFactory.create_batch(2, event=event)
    RegistrationFactory(event=event, status=RegistrationStatus.WAITING)
    EventFactory(canceropole=pole_a, status=EventStatus.DRAFT)

    response = api_client.get(reverse("api:event-list"))

    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 1
    row = body["results"][0]
    assert (row["id"], row["canceropole"], row["co_organisers"]) == (event.pk, "GSO", ["CLARA"])
    assert (row["capacity"], row["places_taken"], row["places_left"], row["waiting"]) == (3, 2, 1, 1)
    assert row["registration_open"] is True
    assert row["ical_url"] == f"http://testserver/events/{event.pk}/event.ics"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"pole": "clara"}, ["b", "co"]),
        ({"kind": "training"}, ["co"]),
        ({"audience": "young_researchers"}, ["b"]),
    ],
)
def test_event_list_filters(api_client, pole_a, pole_b, params, expected):
    events = {
        "a": EventFactory(canceropole=pole_a),
        "b": EventFactory(canceropole=pole_b, audience="young_researchers"),
        "co": EventFactory(canceropole=pole_a, co_organisers=[pole_b], kind="training"),
    }

    response = api_client.get(reverse("api:event-list"), params)

    assert sorted(r["id"] for r in response.json()["results"]) == sorted(events[k].pk for k in expected)


def test_event_list_with_a_bad_filter_answers_400_naming_it(api_client):
    response = api_client.get(reverse("api:event-list"), {"kind": "party", "starts_after": "yesterday"})

    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == ["kind", "starts_after"]


@pytest.mark.parametrize("rows", [1, 6])
def test_event_list_query_count_is_constant(api_client, pole_a, pole_b, rows, django_assert_num_queries):
    for _ in range(rows):
        event = EventFactory(canceropole=pole_a, co_organisers=[pole_b])
        RegistrationFactory.create_batch(2, event=event)

    # the page of events with figures and lead pole (cursor pages: no count), their co-organisers
    with django_assert_num_queries(2):
        response = api_client.get(reverse("api:event-list"))

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize(
    ("persona", "status"), [("anonymous", 404), ("coordinator_b", 404), ("coordinator_a", 200)]
)
def test_draft_event_detail_only_for_its_organisers(api_client, pole_a, persona, status, request):
    event = EventFactory(canceropole=pole_a, status=EventStatus.DRAFT)
    if persona != "anonymous":
        api_client.force_authenticate(request.getfixturevalue(persona))

    assert api_client.get(reverse("api:event-detail", args=[event.pk])).status_code == status


def test_register_through_the_api(api_client, pole_a, researcher):
    event = EventFactory(canceropole=pole_a, capacity=1)
    RegistrationFactory(event=event)
    api_client.force_authenticate(researcher)

    response = api_client.post(
        reverse("api:event-register", args=[event.pk]),
        {"career_stage": "phd", "region": "76", "organisation": "LDOM-T"},
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["waiting_position"], body["region"]) == ("waiting", 1, "76")


def test_register_abroad_through_the_api(api_client, event_a, researcher):
    api_client.force_authenticate(researcher)

    response = api_client.post(
        reverse("api:event-register", args=[event_a.pk]), {"career_stage": "postdoc", "region": None}
    )

    assert response.status_code == 201
    assert response.json()["region"] is None


def test_register_with_bad_input_answers_400_naming_the_fields_and_writes_nothing(
    api_client, event_a, researcher
):
    api_client.force_authenticate(researcher)

    response = api_client.post(
        reverse("api:event-register", args=[event_a.pk]), {"career_stage": "astronaut", "region": "ZZ"}
    )

    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == ["career_stage", "region"]
    assert Registration.objects.count() == 0


def test_register_when_closed_answers_400_naming_the_event(api_client, pole_a, researcher, state_of):
    event = EventFactory(canceropole=pole_a, registration_closed_at=timezone.now())
    api_client.force_authenticate(researcher)
    before = state_of(event)

    response = api_client.post(
        reverse("api:event-register", args=[event.pk]), {"career_stage": "phd", "region": "76"}
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["event"]
    assert state_of(event) == before


def test_register_anonymous_is_refused_and_writes_nothing(api_client, event_a):
    response = api_client.post(
        reverse("api:event-register", args=[event_a.pk]), {"career_stage": "phd", "region": "76"}
    )

    assert response.status_code in (401, 403)
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("researcher", {"own"}),
        ("coordinator_a", {"own", "other", "co"}),
        ("director_a", {"own", "other", "co"}),
        ("coordinator_b", {"b", "co"}),
        ("inca_staff", set()),
    ],
)
def test_registration_list_is_scoped_to_owner_and_organisers(
    api_client, pole_a, pole_b, researcher, persona, visible, request
):
    user = request.getfixturevalue(persona)
    event = EventFactory(canceropole=pole_a)
    rows = {
        "own": RegistrationFactory(event=event, user=researcher),
        "other": RegistrationFactory(event=event, user=UserFactory()),
        "b": RegistrationFactory(event=EventFactory(canceropole=pole_b)),
        "co": RegistrationFactory(event=EventFactory(canceropole=pole_a, co_organisers=[pole_b])),
    }
    api_client.force_authenticate(user)

    response = api_client.get(reverse("api:registration-list"))

    expected = {rows[k].pk for k in visible}
    assert {r["id"] for r in response.json()["results"]} == expected


def test_registration_list_for_anonymous_is_refused(api_client):
    assert api_client.get(reverse("api:registration-list")).status_code in (401, 403)


@pytest.mark.parametrize("rows", [1, 6])
def test_registration_list_query_count_is_constant(
    api_client, event_a, coordinator_a, rows, django_assert_num_queries
):
    RegistrationFactory.create_batch(rows, event=event_a, status=RegistrationStatus.WAITING)
    api_client.force_authenticate(coordinator_a)

    # the user's pole roles, the page of registrations with region and waiting positions (no count)
    with django_assert_num_queries(2):
        response = api_client.get(reverse("api:registration-list"))

    assert len(response.json()["results"]) == rows
    assert [r["waiting_position"] for r in response.json()["results"]] == list(range(1, rows + 1))


def test_cancel_own_registration_through_the_api_promotes_the_next(api_client, pole_a, researcher):
    event = EventFactory(canceropole=pole_a, capacity=1)
    mine = RegistrationFactory(event=event, user=researcher)
    waiting = RegistrationFactory(event=event, status=RegistrationStatus.WAITING)
    api_client.force_authenticate(researcher)

    response = api_client.post(reverse("api:registration-cancel", args=[mine.pk]))

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert Registration.objects.get(pk=waiting.pk).status == RegistrationStatus.REGISTERED


@pytest.mark.parametrize("persona", ["researcher", "coordinator_b", "inca_staff"])
def test_cancel_someone_elses_registration_is_not_found_and_changes_nothing(
    api_client, event_a, persona, request, state_of
):
    registration = RegistrationFactory(event=event_a, user=UserFactory())
    api_client.force_authenticate(request.getfixturevalue(persona))
    before = state_of(event_a)

    response = api_client.post(reverse("api:registration-cancel", args=[registration.pk]))

    assert response.status_code == 404
    assert state_of(event_a) == before


def test_attendance_by_the_owner_is_forbidden_and_changes_nothing(api_client, pole_a, researcher, state_of):
    now = timezone.now()
    event = EventFactory(
        canceropole=pole_a, starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=2)
    )
    mine = RegistrationFactory(event=event, user=researcher)
    api_client.force_authenticate(researcher)
    before = state_of(event)

    response = api_client.post(reverse("api:registration-attendance", args=[mine.pk]), {"attended": True})

    assert response.status_code == 403
    assert state_of(event) == before


def test_attendance_by_an_organiser_through_the_api(api_client, pole_a, coordinator_a):
    now = timezone.now()
    event = EventFactory(
        canceropole=pole_a, starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=2)
    )
    registration = RegistrationFactory(event=event)
    api_client.force_authenticate(coordinator_a)

    response = api_client.post(
        reverse("api:registration-attendance", args=[registration.pk]), {"attended": True}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "attended"


def test_openapi_schema_stays_valid_with_the_events_endpoints(api_client):
    response = api_client.get(reverse("schema"), {"format": "json"})

    spec = json.loads(response.content)
    validate(spec)
    assert {
        "/api/v1/events/",
        "/api/v1/events/{id}/",
        "/api/v1/events/{id}/register/",
        "/api/v1/registrations/",
        "/api/v1/registrations/{id}/cancel/",
        "/api/v1/registrations/{id}/attendance/",
    } <= set(spec["paths"])


def test_partner_key_reads_the_public_agenda_and_no_registration(api_client, make_partner_key, pole_a):
    published = EventFactory(canceropole=pole_a)
    EventFactory(canceropole=pole_a, status=EventStatus.DRAFT)
    RegistrationFactory(event=published)
    _key, secret = make_partner_key(scopes=["contracts", "values", "rollups"], poles=[pole_a])
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}

    events = api_client.get(reverse("api:event-list"), **headers)
    registrations = api_client.get(reverse("api:registration-list"), **headers)

    assert [row["id"] for row in events.json()["results"]] == [published.pk]
    assert registrations.status_code == 403


def test_event_list_modified_since_gives_the_events_changed_since(api_client, pole_a):
    old = EventFactory(canceropole=pole_a)
    Event.objects.filter(pk=old.pk).update(updated_at="2024-01-01T00:00:00Z")
    recent = EventFactory(canceropole=pole_a)

    response = api_client.get(reverse("api:event-list"), {"modified_since": "2025-01-01T00:00:00Z"})

    assert [row["id"] for row in response.json()["results"]] == [recent.pk]


@pytest.mark.parametrize("field", ["starts_before", "starts_after", "modified_since"])
def test_event_list_with_an_offset_the_database_refuses_is_read_in_utc(api_client, pole_a, field):
    """The database refuses offsets beyond ±15:59 (that was a 500): the moment is sent in UTC."""
    EventFactory(canceropole=pole_a)

    response = api_client.get(reverse("api:event-list"), {field: "1197-01-26T07:09:06+22:30"})

    assert response.status_code == 200
    assert len(response.json()["results"]) == (0 if field == "starts_before" else 1)
