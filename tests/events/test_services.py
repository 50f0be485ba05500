"""Services of events: registration with capacity and waiting list, cancellation and promotion,
attendance, and the organisers' changes to an event."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from canceropoles.models import Region
from common.errors import TransitionError
from events import selectors, services
from events.models import CareerStage, Event, EventKind, EventStatus, Registration, RegistrationStatus
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def register(event, user=None, **fields):
    user = user or UserFactory()
    return services.registration_create(
        event=event,
        user=user,
        career_stage=fields.get("career_stage", CareerStage.PHD),
        region=fields.get("region"),
        organisation=fields.get("organisation", "Labo"),
    )


def statuses(event) -> list[str]:
    return list(Registration.objects.filter(event=event).order_by("id").values_list("status", flat=True))


def test_registration_create_gives_a_place_while_places_are_left(event_a, researcher):
    registration = register(event_a, researcher, organisation="  LDOM-T ")

    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.user == researcher
    assert registration.email == researcher.email
    assert (registration.first_name, registration.last_name) == (researcher.first_name, researcher.last_name)
    assert registration.organisation == "LDOM-T"
    assert list(registration.transitions.values_list("from_status", "to_status", "by")) == [
        ("", RegistrationStatus.REGISTERED, researcher.pk)
    ]


def test_registration_create_beyond_capacity_joins_the_waiting_list_in_order(pole_a):
    event = EventFactory(canceropole=pole_a, capacity=2)

    registrations = [register(event) for _ in range(5)]

    assert [r.status for r in registrations] == ["registered", "registered", "waiting", "waiting", "waiting"]
    assert [r.pk for r in selectors.waiting_list(event=event)] == [r.pk for r in registrations[2:]]
    positions = {
        r.pk: r.waiting_position
        for r in selectors.with_waiting_position(Registration.objects.filter(event=event))
    }
    assert [positions[r.pk] for r in registrations] == [None, None, 1, 2, 3]


def test_registration_create_without_capacity_never_waits(pole_a):
    event = EventFactory(canceropole=pole_a, capacity=None)

    registrations = [register(event) for _ in range(30)]

    assert {r.status for r in registrations} == {RegistrationStatus.REGISTERED}


def test_registration_create_sends_a_confirmation_after_commit(
    event_a, researcher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(event_a, researcher)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [researcher.email]
    assert event_a.title_fr in mail.outbox[0].subject


@pytest.mark.parametrize(
    "event_fields",
    [
        {"status": EventStatus.DRAFT},
        {"status": EventStatus.CANCELLED},
        {"registration_closed_at": timezone.now()},
        {"registration_opens_at": timezone.now() + timedelta(days=1)},
        {"registration_closes_at": timezone.now() - timedelta(minutes=1)},
        {"starts_at": timezone.now() - timedelta(hours=1), "ends_at": timezone.now() + timedelta(hours=1)},
    ],
    ids=["draft", "cancelled", "closed", "not_yet_open", "window_over", "started"],
)
def test_registration_create_refused_when_registration_is_not_open(
    pole_a, researcher, event_fields, state_of
):
    event = EventFactory(canceropole=pole_a, **event_fields)
    before = state_of(event)

    with pytest.raises(TransitionError) as refused:
        register(event, researcher)

    assert list(refused.value.message_dict) == ["event"]
    assert state_of(event) == before


def test_registration_create_twice_is_refused_and_changes_nothing(event_a, researcher, state_of):
    register(event_a, researcher)
    before = state_of(event_a)

    with pytest.raises(TransitionError) as refused:
        register(event_a, researcher)

    assert list(refused.value.message_dict) == ["event"]
    assert state_of(event_a) == before


def test_registration_create_with_an_unknown_career_stage_names_the_field(event_a, researcher, state_of):
    before = state_of(event_a)

    with pytest.raises(ValidationError) as refused:
        register(event_a, researcher, career_stage="astronaut")

    assert list(refused.value.message_dict) == ["career_stage"]
    assert state_of(event_a) == before


def test_registration_cancel_promotes_the_first_person_waiting_and_emails_them(
    pole_a, django_capture_on_commit_callbacks
):
    event = EventFactory(canceropole=pole_a, capacity=1)
    holder, first, second = UserFactory(), UserFactory(), UserFactory()
    place = register(event, holder)
    waiting_first = register(event, first)
    waiting_second = register(event, second)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=place, by=holder)

    assert statuses(event) == ["cancelled", "registered", "waiting"]
    waiting_first.refresh_from_db()
    assert list(waiting_first.transitions.values_list("from_status", "to_status", "by")) == [
        ("", "waiting", first.pk),
        ("waiting", "registered", holder.pk),
    ]
    assert [m.to for m in mail.outbox] == [[first.email]]
    assert [r.pk for r in selectors.waiting_list(event=event)] == [waiting_second.pk]


def test_registration_cancel_of_a_waiting_place_promotes_nobody(pole_a):
    event = EventFactory(canceropole=pole_a, capacity=1)
    register(event)
    waiting = register(event)
    other = register(event)

    services.registration_cancel(registration=waiting, by=waiting.user)

    assert statuses(event) == ["registered", "cancelled", "waiting"]
    assert [r.pk for r in selectors.waiting_list(event=event)] == [other.pk]


def test_registration_cancel_by_an_organiser_emails_the_person(
    event_a, coordinator_a, researcher, django_capture_on_commit_callbacks
):
    registration = register(event_a, researcher)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=registration, by=coordinator_a, comment="Doublon")

    assert [m.to for m in mail.outbox] == [[researcher.email]]
    assert "Doublon" in mail.outbox[0].body


def test_registration_cancel_after_the_start_is_refused_and_changes_nothing(pole_a, researcher, state_of):
    event = EventFactory(canceropole=pole_a, capacity=1)
    registration = register(event, researcher)
    register(event)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    before = state_of(event)

    with pytest.raises(TransitionError) as refused:
        services.registration_cancel(registration=registration, by=researcher)

    assert list(refused.value.message_dict) == ["event"]
    assert state_of(event) == before


def test_registration_cancel_twice_is_refused(event_a, researcher, state_of):
    registration = register(event_a, researcher)
    services.registration_cancel(registration=registration, by=researcher)
    before = state_of(event_a)

    with pytest.raises(TransitionError) as refused:
        services.registration_cancel(registration=registration, by=researcher)

    assert list(refused.value.message_dict) == ["status"]
    assert state_of(event_a) == before


def test_registering_again_after_cancelling_goes_to_the_end_of_the_waiting_list(pole_a, researcher):
    event = EventFactory(canceropole=pole_a, capacity=1)
    mine = register(event, researcher)
    other = register(event)
    services.registration_cancel(registration=mine, by=researcher)  # other is promoted
    late = register(event)

    again = register(event, researcher)

    assert again.pk == mine.pk
    assert again.status == RegistrationStatus.WAITING
    assert [r.pk for r in selectors.waiting_list(event=event)] == [late.pk, mine.pk]
    assert Registration.objects.get(pk=other.pk).status == RegistrationStatus.REGISTERED


def test_registration_add_by_an_organiser_registers_someone_without_an_account(event_a, coordinator_a):
    lyon = Region.objects.get(insee_code="84")

    registration = services.registration_add(
        event=event_a,
        by=coordinator_a,
        first_name="Ada",
        last_name="Lovelace",
        email="Ada.Lovelace@Example.org",
        career_stage=CareerStage.POSTDOC,
        region=lyon,
    )

    assert registration.user is None
    assert registration.email == "ada.lovelace@example.org"
    assert registration.region == lyon
    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.transitions.get().by == coordinator_a


def test_registration_add_links_an_existing_account(event_a, coordinator_a, researcher):
    registration = services.registration_add(
        event=event_a,
        by=coordinator_a,
        first_name="R",
        last_name="S",
        email=researcher.email.upper(),
        career_stage=CareerStage.PHD,
        region=None,
    )

    assert registration.user == researcher


def test_event_update_with_a_larger_capacity_promotes_people_waiting(pole_a, coordinator_a):
    event = EventFactory(canceropole=pole_a, capacity=1)
    for _ in range(4):
        register(event)

    services.event_update(event=event, by=coordinator_a, capacity=3)

    assert statuses(event) == ["registered", "registered", "registered", "waiting"]
    assert Event.objects.get(pk=event.pk).sequence == 1


def test_event_update_below_the_places_taken_is_refused(pole_a, coordinator_a, state_of):
    event = EventFactory(canceropole=pole_a, capacity=3)
    for _ in range(3):
        register(event)
    before = state_of(event)

    with pytest.raises(ValidationError) as refused:
        services.event_update(event=event, by=coordinator_a, capacity=2)

    assert list(refused.value.message_dict) == ["capacity"]
    assert state_of(event) == before


def test_event_create_names_every_wrong_field(pole_a, coordinator_a):
    starts = timezone.now() + timedelta(days=3)

    with pytest.raises(ValidationError) as refused:
        services.event_create(
            by=coordinator_a,
            canceropole=pole_a,
            kind=EventKind.SEMINAR,
            title_fr="Séminaire",
            starts_at=starts,
            ends_at=starts - timedelta(hours=1),
            capacity=0,
        )

    assert sorted(refused.value.message_dict) == ["capacity", "ends_at", "venue"]
    assert Event.objects.count() == 0


def test_event_create_makes_a_draft_with_its_co_organisers(pole_a, pole_b, coordinator_a):
    starts = timezone.now() + timedelta(days=3)

    event = services.event_create(
        by=coordinator_a,
        canceropole=pole_a,
        co_organisers=[pole_a, pole_b],
        kind=EventKind.WORKSHOP,
        title_fr="Atelier",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        online_url="https://visio.example.org/atelier",
    )

    assert event.status == EventStatus.DRAFT
    assert list(event.co_organisers.all()) == [pole_b]
    assert event.history.get().history_user == coordinator_a


def test_event_publish_then_publish_again_is_refused(pole_a, coordinator_a):
    event = EventFactory(canceropole=pole_a, status=EventStatus.DRAFT)

    services.event_publish(event=event, by=coordinator_a)

    with pytest.raises(TransitionError):
        services.event_publish(event=event, by=coordinator_a)
    assert Event.objects.get(pk=event.pk).status == EventStatus.PUBLISHED


def test_event_cancel_emails_each_person_once(event_a, coordinator_a, django_capture_on_commit_callbacks):
    people = [register(event_a) for _ in range(3)]
    services.registration_cancel(registration=people[2], by=people[2].user)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event_a, by=coordinator_a, reason="Grève des transports")

    # One message per person, so that nobody sees who else registered.
    assert sorted(m.to for m in mail.outbox) == sorted([p.email] for p in people[:2])
    assert all("Grève des transports" in m.body for m in mail.outbox)
    assert Event.objects.get(pk=event_a.pk).status == EventStatus.CANCELLED


def test_event_cancel_without_a_reason_is_refused(event_a, coordinator_a, state_of):
    before = state_of(event_a)

    with pytest.raises(ValidationError) as refused:
        services.event_cancel(event=event_a, by=coordinator_a, reason="  ")

    assert list(refused.value.message_dict) == ["reason"]
    assert state_of(event_a) == before


def test_registration_close_then_reopen(event_a, coordinator_a, researcher):
    services.registration_close(event=event_a, by=coordinator_a)
    with pytest.raises(TransitionError):
        register(event_a, researcher)

    services.registration_reopen(event=event_a, by=coordinator_a)

    assert register(event_a, researcher).status == RegistrationStatus.REGISTERED


def _today_event(pole, **fields):
    now = timezone.now()
    return EventFactory(
        canceropole=pole, starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(hours=2), **fields
    )


def test_attendance_record_marks_present_and_absent(pole_a, coordinator_a):
    event = _today_event(pole_a)
    present, _absent, back = RegistrationFactory.create_batch(3, event=event)
    Registration.objects.filter(pk=back.pk).update(status=RegistrationStatus.ATTENDED)
    waiting = RegistrationFactory(event=event, status=RegistrationStatus.WAITING)

    changed = services.attendance_record(event=event, attended_ids=[present.pk], by=coordinator_a)

    assert changed == 2
    assert statuses(event) == ["attended", "registered", "registered", "waiting"]
    assert Registration.objects.get(pk=waiting.pk).transitions.count() == 0


def test_attendance_record_of_someone_without_a_place_changes_nothing(pole_a, coordinator_a, state_of):
    event = _today_event(pole_a)
    present = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=RegistrationStatus.WAITING)
    before = state_of(event)

    with pytest.raises(TransitionError) as refused:
        services.attendance_record(event=event, attended_ids=[present.pk, waiting.pk], by=coordinator_a)

    assert list(refused.value.message_dict) == ["attended"]
    assert state_of(event) == before


def test_attendance_before_the_event_day_is_refused(event_a, coordinator_a, state_of):
    registration = RegistrationFactory(event=event_a)
    before = state_of(event_a)

    with pytest.raises(TransitionError) as refused:
        services.attendance_set(registration=registration, attended=True, by=coordinator_a)

    assert list(refused.value.message_dict) == ["event"]
    assert state_of(event_a) == before


def test_attendance_set_toggles_and_records_each_change(pole_a, coordinator_a):
    registration = RegistrationFactory(event=_today_event(pole_a))

    services.attendance_set(registration=registration, attended=True, by=coordinator_a)
    services.attendance_set(registration=registration, attended=True, by=coordinator_a)
    services.attendance_set(registration=registration, attended=False, by=coordinator_a)

    assert list(registration.transitions.values_list("from_status", "to_status")) == [
        ("registered", "attended"),
        ("attended", "registered"),
    ]
