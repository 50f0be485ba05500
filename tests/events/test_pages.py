"""Event pages: the agenda and its filters, an event's page and registration, one's registrations, the
organisers' pages (create, edit, publish, close, cancel, registrations, exports, badges, attendance)."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cop_contracts.models import CopContract, IndicatorDefinition, IndicatorValue
from events.models import (
    CareerStage,
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
    Session,
    Speaker,
)
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _today(pole, **fields):
    now = timezone.now()
    return EventFactory(
        canceropole=pole, starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=3), **fields
    )


# ------------------------------------------------------------------------------------------- agenda


def test_agenda_lists_upcoming_public_events_only(client, pole_a, pole_b):
    upcoming = EventFactory(canceropole=pole_a, title_en="Upcoming seminar")
    EventFactory(canceropole=pole_a, status=EventStatus.DRAFT, title_en="Draft seminar")
    EventFactory(
        canceropole=pole_b,
        title_en="Past seminar",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=2),
    )

    response = client.get(reverse("events:agenda"))

    assert response.status_code == 200
    assert [e.pk for e in response.context["events"]] == [upcoming.pk]
    assert b"Draft seminar" not in response.content


def test_agenda_filters_by_pole_including_co_organised_events(client, pole_a, pole_b):
    lead_b = EventFactory(canceropole=pole_b)
    co_b = EventFactory(canceropole=pole_a, co_organisers=[pole_b])
    EventFactory(canceropole=pole_a)

    response = client.get(reverse("events:agenda"), {"pole": "CLARA"})

    assert sorted(e.pk for e in response.context["events"]) == sorted([lead_b.pk, co_b.pk])


def test_agenda_filters_by_kind_and_audience(client, pole_a):
    training = EventFactory(canceropole=pole_a, kind=EventKind.TRAINING, audience="young_researchers")
    EventFactory(canceropole=pole_a, kind=EventKind.TRAINING)
    EventFactory(canceropole=pole_a, kind=EventKind.SEMINAR, audience="young_researchers")

    response = client.get(reverse("events:agenda"), {"kind": "training", "audience": "young_researchers"})

    assert [e.pk for e in response.context["events"]] == [training.pk]


def test_agenda_with_an_unknown_filter_value_answers_400_naming_the_field(client):
    response = client.get(reverse("events:agenda"), {"kind": "party"})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["kind"]


def test_agenda_past_lists_finished_events_newest_first(client, pole_a):
    now = timezone.now()
    older = EventFactory(
        canceropole=pole_a, starts_at=now - timedelta(days=30), ends_at=now - timedelta(days=29)
    )
    newer = EventFactory(
        canceropole=pole_a, starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=2)
    )
    EventFactory(canceropole=pole_a)

    response = client.get(reverse("events:agenda"), {"when": "past"})

    assert [e.pk for e in response.context["events"]] == [newer.pk, older.pk]


@pytest.mark.parametrize("rows", [1, 6])
def test_agenda_query_count_is_constant(client, pole_a, pole_b, rows, django_assert_num_queries):
    for _ in range(rows):
        event = EventFactory(canceropole=pole_a, co_organisers=[pole_b])
        RegistrationFactory.create_batch(2, event=event)

    # poles of the filter form; count for pagination; the page of events with their figures and lead
    # pole; their co-organisers
    with django_assert_num_queries(4):
        response = client.get(reverse("events:agenda"))

    assert len(response.context["events"]) == rows


# ------------------------------------------------------------------------------------- event page


def test_event_page_shows_fr_and_en_fields_by_language(client, pole_a, settings):
    event = EventFactory(canceropole=pole_a, title_fr="Journées annuelles", title_en="Annual meeting")

    english = client.get(event.get_absolute_url())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = client.get(event.get_absolute_url())

    assert "<h1>Annual meeting</h1>" in english.content.decode()
    assert "<h1>Journées annuelles</h1>" in french.content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "researcher", "coordinator_b", "director_b"])
def test_draft_event_page_is_not_found_outside_its_organisers(client, pole_a, persona, request):
    event = EventFactory(canceropole=pole_a, status=EventStatus.DRAFT)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.get(event.get_absolute_url())

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["coordinator_a", "director_a", "inca_staff"])
def test_draft_event_page_is_visible_to_its_organisers_and_inca(client, pole_a, persona, request):
    event = EventFactory(canceropole=pole_a, status=EventStatus.DRAFT)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(event.get_absolute_url())

    assert response.status_code == 200


def test_draft_of_a_co_organised_event_is_visible_to_the_co_organiser(client, pole_a, pole_b, coordinator_b):
    event = EventFactory(canceropole=pole_a, co_organisers=[pole_b], status=EventStatus.DRAFT)
    client.force_login(coordinator_b)

    assert client.get(event.get_absolute_url()).status_code == 200


def test_register_from_the_event_page_in_one_step(client, event_a, researcher):
    client.force_login(researcher)

    response = client.post(
        reverse("events:register", args=[event_a.pk]),
        {"career_stage": CareerStage.POSTDOC, "region": "76", "organisation": "LDOM-T"},
    )

    assert response.status_code == 302
    registration = Registration.objects.get(event=event_a)
    assert (registration.user, registration.status, registration.region.insee_code) == (
        researcher,
        RegistrationStatus.REGISTERED,
        "76",
    )
    page = client.get(event_a.get_absolute_url()).content.decode()
    assert "You have a place at this event." in page


def test_register_abroad_stores_no_region(client, event_a, researcher):
    client.force_login(researcher)

    client.post(reverse("events:register", args=[event_a.pk]), {"career_stage": "phd", "region": "abroad"})

    assert Registration.objects.get(event=event_a).region is None


def test_register_with_missing_fields_answers_400_naming_them_and_writes_nothing(client, event_a, researcher):
    client.force_login(researcher)

    response = client.post(reverse("events:register", args=[event_a.pk]), {"region": "99"})

    assert response.status_code == 400
    assert sorted(response.context["form"].errors) == ["career_stage", "region"]
    assert Registration.objects.count() == 0


def test_register_for_a_full_event_shows_the_waiting_position(client, pole_a, researcher):
    event = EventFactory(canceropole=pole_a, capacity=1)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=RegistrationStatus.WAITING)
    client.force_login(researcher)

    client.post(reverse("events:register", args=[event.pk]), {"career_stage": "phd", "region": "76"})

    page = client.get(event.get_absolute_url()).content.decode()
    assert "You are on the waiting list, in position 2." in page


def test_register_anonymous_is_sent_to_login_and_writes_nothing(client, event_a):
    response = client.post(
        reverse("events:register", args=[event_a.pk]), {"career_stage": "phd", "region": "76"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert Registration.objects.count() == 0


def test_register_for_a_draft_is_not_found(client, pole_a, researcher):
    event = EventFactory(canceropole=pole_a, status=EventStatus.DRAFT)
    client.force_login(researcher)

    response = client.post(
        reverse("events:register", args=[event.pk]), {"career_stage": "phd", "region": "76"}
    )

    assert response.status_code == 404
    assert Registration.objects.count() == 0


def test_cancel_own_registration_from_the_event_page(client, event_a, researcher):
    registration = RegistrationFactory(event=event_a, user=researcher, email=researcher.email)
    client.force_login(researcher)

    response = client.post(reverse("events:registration_cancel", args=[registration.pk]))

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


@pytest.mark.parametrize("persona", ["researcher", "coordinator_b", "inca_staff"])
def test_cancel_someone_elses_registration_is_not_found_and_changes_nothing(
    client, event_a, persona, request, state_of
):
    registration = RegistrationFactory(event=event_a, user=UserFactory())
    client.force_login(request.getfixturevalue(persona))
    before = state_of(event_a)

    response = client.post(reverse("events:registration_cancel", args=[registration.pk]))

    assert response.status_code == 404
    assert state_of(event_a) == before


@pytest.mark.parametrize("rows", [1, 5])
def test_event_page_query_count_is_constant(
    client, pole_a, pole_b, researcher, rows, django_assert_num_queries
):
    event = EventFactory(canceropole=pole_a, co_organisers=[pole_b])
    RegistrationFactory.create_batch(rows, event=event)
    for number in range(rows):
        session = Session.objects.create(
            event=event, title_fr=f"Session {number}", starts_at=event.starts_at, ends_at=event.ends_at
        )
        Speaker.objects.create(event=event, session=session, name=f"Orateur {number}")
        Speaker.objects.create(event=event, name=f"Invité {number}")
    client.force_login(researcher)

    # session, user, the event with its figures and lead pole, co-organisers, sessions, speakers of the
    # sessions, speakers, the user's registration, the user's last registration for the form's initial
    # values, the regions of the form, the user's pole roles (rules)
    with django_assert_num_queries(11):
        response = client.get(event.get_absolute_url())

    assert response.status_code == 200


# --------------------------------------------------------------------------------- my registrations


def test_my_registrations_lists_places_and_waiting_places(client, pole_a, researcher):
    place = RegistrationFactory(event=EventFactory(canceropole=pole_a), user=researcher)
    waiting = RegistrationFactory(
        event=EventFactory(canceropole=pole_a), user=researcher, status=RegistrationStatus.WAITING
    )
    RegistrationFactory(
        event=EventFactory(canceropole=pole_a), user=researcher, status=RegistrationStatus.CANCELLED
    )
    RegistrationFactory(event=place.event)
    client.force_login(researcher)

    response = client.get(reverse("events:mine"))

    assert [r.pk for r in response.context["registrations"]] == [place.pk, waiting.pk]
    assert "Waiting list: position 1" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 5])
def test_my_registrations_query_count_is_constant(
    client, pole_a, researcher, rows, django_assert_num_queries
):
    for _ in range(rows):
        RegistrationFactory(event=EventFactory(canceropole=pole_a), user=researcher, status="waiting")
    client.force_login(researcher)

    # session, user, the registrations with their events, lead poles and waiting positions, pole roles
    with django_assert_num_queries(4):
        response = client.get(reverse("events:mine"))

    assert len(response.context["registrations"]) == rows


def test_my_space_shows_the_registrations_card(client, event_a, researcher):
    RegistrationFactory(event=event_a, user=researcher)
    client.force_login(researcher)

    page = client.get(reverse("accounts:my_space")).content.decode()

    assert "My registrations" in page
    assert event_a.title_en in page


# ------------------------------------------------------------------------------------ organisers


def _event_form(**overrides):
    starts = timezone.localtime(timezone.now() + timedelta(days=20)).replace(second=0, microsecond=0)
    data = {
        "kind": "seminar",
        "audience": "everyone",
        "title_fr": "Séminaire immunothérapies",
        "title_en": "Immunotherapy seminar",
        "description_fr": "Programme",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
        "venue": "Oncopole",
        "city": "Toulouse",
        "capacity": "30",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_a_draft_event_of_their_pole(client, coordinator_a, pole_b):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("events:create", args=["GSO"]), {**_event_form(), "co_organisers": [pole_b.pk]}
    )

    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.canceropole.code, event.status, event.capacity) == ("GSO", EventStatus.DRAFT, 30)
    assert list(event.co_organisers.values_list("code", flat=True)) == ["CLARA"]
    assert timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M") == _event_form()["starts_at"]


def test_create_event_with_bad_input_answers_400_naming_the_fields(client, coordinator_a):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("events:create", args=["GSO"]),
        _event_form(venue="", city="", ends_at=_event_form()["starts_at"], capacity="-2"),
    )

    assert response.status_code == 400
    assert sorted(response.context["form"].errors) == ["capacity"]
    assert Event.objects.count() == 0
    response = client.post(
        reverse("events:create", args=["GSO"]),
        _event_form(venue="", city="", ends_at=_event_form()["starts_at"]),
    )
    assert response.status_code == 400
    assert sorted(response.context["form"].errors) == ["ends_at", "venue"]
    assert Event.objects.count() == 0


@pytest.mark.parametrize("persona", ["coordinator_b", "director_b", "researcher", "inca_staff"])
def test_create_event_for_another_pole_is_forbidden_and_writes_nothing(client, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("events:create", args=["GSO"]), _event_form())

    assert response.status_code == 403
    assert Event.objects.count() == 0


def test_edit_event_by_an_organiser_saves_and_bumps_the_revision(client, event_a, director_a):
    client.force_login(director_a)

    response = client.post(reverse("events:edit", args=[event_a.pk]), _event_form(title_fr="Nouveau titre"))

    assert response.status_code == 302
    event_a.refresh_from_db()
    assert (event_a.title_fr, event_a.sequence) == ("Nouveau titre", 1)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator_b", 403), ("researcher", 403), ("inca_staff", 403)],
)
def test_edit_event_outside_its_organisers_is_forbidden_and_changes_nothing(
    client, event_a, persona, status, request, state_of
):
    client.force_login(request.getfixturevalue(persona))
    before = state_of(event_a)

    response = client.post(reverse("events:edit", args=[event_a.pk]), _event_form(title_fr="Piraté"))

    assert response.status_code == status
    assert state_of(event_a) == before


@pytest.mark.parametrize("action", ["publish", "close", "reopen", "cancel"])
@pytest.mark.parametrize("persona", ["coordinator_b", "researcher", "inca_staff"])
def test_event_actions_outside_its_organisers_are_forbidden_and_change_nothing(
    client, pole_a, action, persona, request, state_of
):
    event = EventFactory(
        canceropole=pole_a, status=EventStatus.PUBLISHED, registration_closed_at=timezone.now()
    )
    client.force_login(request.getfixturevalue(persona))
    before = state_of(event)

    response = client.post(reverse(f"events:{action}", args=[event.pk]), {"reason": "x"})

    assert response.status_code == 403
    assert state_of(event) == before


def test_publish_then_close_registration_by_the_organiser(client, pole_a, coordinator_a):
    event = EventFactory(canceropole=pole_a, status=EventStatus.DRAFT)
    client.force_login(coordinator_a)

    client.post(reverse("events:publish", args=[event.pk]))
    client.post(reverse("events:close", args=[event.pk]))

    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert event.registration_closed_at is not None


def test_cancel_event_without_a_reason_answers_400_and_changes_nothing(
    client, event_a, coordinator_a, state_of
):
    client.force_login(coordinator_a)
    before = state_of(event_a)

    response = client.post(reverse("events:cancel", args=[event_a.pk]), {"reason": ""})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["reason"]
    assert state_of(event_a) == before


@pytest.mark.parametrize("page", ["registrations", "badges", "attendance"])
@pytest.mark.parametrize("persona", ["coordinator_b", "researcher", "inca_staff"])
def test_registration_lists_are_for_the_organisers_only(client, event_a, page, persona, request):
    RegistrationFactory(event=event_a, last_name="Confidentiel")
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse(f"events:{page}", args=[event_a.pk]))

    assert response.status_code == 403
    assert b"Confidentiel" not in response.content


def test_registrations_list_puts_places_then_the_waiting_list_in_arrival_order(client, pole_a, coordinator_a):
    event = EventFactory(canceropole=pole_a, capacity=2)
    now = timezone.now()
    places = [
        RegistrationFactory(event=event, last_name="Zola", requested_at=now),
        RegistrationFactory(event=event, last_name="Abel", requested_at=now),
    ]
    late = RegistrationFactory(
        event=event, status="waiting", last_name="Aaron", requested_at=now + timedelta(minutes=2)
    )
    early = RegistrationFactory(
        event=event, status="waiting", last_name="Zed", requested_at=now + timedelta(minutes=1)
    )
    gone = RegistrationFactory(event=event, status="cancelled", last_name="Adam")
    client.force_login(coordinator_a)

    response = client.get(reverse("events:registrations", args=[event.pk]))

    assert [r.pk for r in response.context["registrations"]] == [
        places[1].pk,
        places[0].pk,
        early.pk,
        late.pk,
        gone.pk,
    ]


@pytest.mark.parametrize("rows", [1, 6])
def test_registrations_list_query_count_is_constant(
    client, event_a, coordinator_a, rows, django_assert_num_queries
):
    RegistrationFactory.create_batch(rows, event=event_a, region_id=None)
    client.force_login(coordinator_a)

    # session, user, the event with its figures, its co-organisers, the user's pole roles, the
    # registrations with their regions and waiting positions, the regions of the add form
    with django_assert_num_queries(7):
        response = client.get(reverse("events:registrations", args=[event_a.pk]))

    assert len(response.context["registrations"]) == rows


def test_registrations_export_csv_is_french_excel_and_neutralises_formulas(client, event_a, coordinator_a):
    RegistrationFactory(
        event=event_a, last_name="=HYPERLINK(1)", first_name="Eve", organisation="Labo; Paris"
    )
    client.force_login(coordinator_a)

    response = client.get(reverse("events:registrations", args=[event_a.pk]), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Last name", "First name", "E-mail address"]
    assert rows[1][:2] == ["'=HYPERLINK(1)", "Eve"]
    assert rows[1][3] == "Labo; Paris"


def test_registrations_export_xlsx(client, event_a, coordinator_a):
    RegistrationFactory(event=event_a, last_name="Curie", first_name="Marie")
    client.force_login(coordinator_a)

    response = client.get(reverse("events:registrations", args=[event_a.pk]), {"format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:2] == ["Curie", "Marie"]


def test_registrations_export_in_an_unknown_format_answers_400(client, event_a, coordinator_a):
    client.force_login(coordinator_a)

    response = client.get(reverse("events:registrations", args=[event_a.pk]), {"format": "pdf"})

    assert response.status_code == 400


def test_organiser_registers_someone_without_an_account(client, event_a, coordinator_a):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("events:registrations", args=[event_a.pk]),
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.org",
            "organisation": "Lab",
            "region": "84",
            "career_stage": "postdoc",
        },
    )

    assert response.status_code == 302
    assert Registration.objects.get(event=event_a).email == "ada@example.org"


def test_badges_list_the_people_with_a_place_in_name_order(client, event_a, coordinator_a):
    RegistrationFactory(event=event_a, last_name="Pasteur", first_name="Louis")
    RegistrationFactory(event=event_a, last_name="Curie", first_name="Marie", status="attended")
    RegistrationFactory(event=event_a, last_name="Waiting", status="waiting")
    client.force_login(coordinator_a)

    response = client.get(reverse("events:badges", args=[event_a.pk]))

    assert [b.last_name for b in response.context["badges"]] == ["Curie", "Pasteur"]


def test_attendance_list_saves_the_ticks(client, pole_a, coordinator_a):
    event = _today(pole_a)
    present, absent = RegistrationFactory.create_batch(2, event=event)
    client.force_login(coordinator_a)

    response = client.post(reverse("events:attendance", args=[event.pk]), {"attended": [present.pk]})

    assert response.status_code == 302
    assert Registration.objects.get(pk=present.pk).status == RegistrationStatus.ATTENDED
    assert Registration.objects.get(pk=absent.pk).status == RegistrationStatus.REGISTERED


def test_attendance_toggle_with_htmx_answers_the_status(client, pole_a, coordinator_a):
    event = _today(pole_a)
    registration = RegistrationFactory(event=event)
    other = RegistrationFactory(event=event)
    client.force_login(coordinator_a)

    response = client.post(
        reverse("events:attendance_toggle", args=[event.pk, registration.pk]),
        {"attended": [str(other.pk), str(registration.pk)]},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "Present" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.ATTENDED
    assert Registration.objects.get(pk=other.pk).status == RegistrationStatus.REGISTERED


def test_attendance_before_the_day_answers_400_and_changes_nothing(client, event_a, coordinator_a, state_of):
    registration = RegistrationFactory(event=event_a)
    client.force_login(coordinator_a)
    before = state_of(event_a)

    response = client.post(reverse("events:attendance", args=[event_a.pk]), {"attended": [registration.pk]})

    assert response.status_code == 400
    assert state_of(event_a) == before


def test_attendance_toggle_by_a_non_organiser_is_forbidden_and_changes_nothing(
    client, pole_a, coordinator_b, state_of
):
    event = _today(pole_a)
    registration = RegistrationFactory(event=event)
    client.force_login(coordinator_b)
    before = state_of(event)

    response = client.post(
        reverse("events:attendance_toggle", args=[event.pk, registration.pk]), {"attended": [registration.pk]}
    )

    assert response.status_code == 403
    assert state_of(event) == before


@pytest.mark.parametrize("rows", [1, 6])
def test_attendance_page_query_count_is_constant(
    client, pole_a, coordinator_a, rows, django_assert_num_queries
):
    event = _today(pole_a)
    RegistrationFactory.create_batch(rows, event=event)
    client.force_login(coordinator_a)

    # session, user, the event with its figures, its co-organisers, the user's pole roles, the people
    # with a place
    with django_assert_num_queries(6):
        response = client.get(reverse("events:attendance", args=[event.pk]))

    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("persona", ["coordinator_a", "inca_staff"])
@pytest.mark.parametrize("rows", [1, 5])
def test_manage_list_query_count_is_constant(
    client, pole_a, pole_b, persona, rows, request, django_assert_num_queries
):
    for _ in range(rows):
        RegistrationFactory(event=EventFactory(canceropole=pole_a, co_organisers=[pole_b]))
    client.force_login(request.getfixturevalue(persona))

    # session, user, pole roles, count for pagination, the page of events with their figures, their
    # co-organisers, the poles (for the "new event" buttons)
    with django_assert_num_queries(7):
        response = client.get(reverse("events:manage"))

    assert len(response.context["events"]) == rows


def test_manage_list_shows_own_and_co_organised_events_only(client, pole_a, pole_b, coordinator_b):
    own = EventFactory(canceropole=pole_b)
    co = EventFactory(canceropole=pole_a, co_organisers=[pole_b])
    EventFactory(canceropole=pole_a)
    client.force_login(coordinator_b)

    response = client.get(reverse("events:manage"))

    assert sorted(e.pk for e in response.context["events"]) == sorted([own.pk, co.pk])


def test_manage_list_is_forbidden_to_a_researcher(client, researcher):
    client.force_login(researcher)

    assert client.get(reverse("events:manage")).status_code == 403


def test_pole_events_page_of_another_pole_is_not_found(client, coordinator_b):
    client.force_login(coordinator_b)

    assert client.get(reverse("events:pole", args=["GSO"])).status_code == 404


# ---------------------------------------------------------------------------------- COP indicators


def test_pole_staff_fill_the_cop_values_from_the_events(client, pole_a, coordinator_a):
    contract = CopContract.objects.create(canceropole=pole_a, first_year=2023, last_year=2027)
    now = timezone.now()
    held = EventFactory(
        canceropole=pole_a, starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1)
    )
    RegistrationFactory.create_batch(3, event=held, status=RegistrationStatus.ATTENDED, career_stage="phd")
    client.force_login(coordinator_a)
    year = timezone.localdate(held.starts_at).year

    response = client.post(reverse("events:cop_fill", args=["GSO"]), {"year": str(year)})

    assert response.status_code == 302
    values = {
        v.indicator.code: v
        for v in IndicatorValue.objects.filter(contract=contract, year=year).select_related("indicator")
    }
    assert sorted(values) == [
        "M2_EVENTS",
        "M2_EVENT_OUTSIDE_SHARE",
        "M2_PARTICIPANTS",
        "M2_WORKING_GROUPS",
        "M3_EVENT_YOUNG_SHARE",
        "M3_TRAININGS",
    ]
    assert values["M2_EVENTS"].value == 1
    assert values["M2_PARTICIPANTS"].value == 3
    assert values["M3_EVENT_YOUNG_SHARE"].value == 100
    assert {v.status for v in values.values()} == {"draft"}
    assert {v.source for v in values.values()} == {"computed"}


@pytest.mark.parametrize("persona", ["coordinator_b", "researcher", "inca_staff"])
def test_filling_another_poles_cop_values_is_forbidden_and_writes_nothing(client, pole_a, persona, request):
    CopContract.objects.create(canceropole=pole_a, first_year=2023, last_year=2027)
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("events:cop_fill", args=["GSO"]), {"year": "2025"})

    assert response.status_code == 403
    assert IndicatorValue.objects.count() == 0


def test_filling_cop_values_leaves_values_under_review_as_they_are(client, pole_a, coordinator_a):
    contract = CopContract.objects.create(canceropole=pole_a, first_year=2023, last_year=2027)
    submitted = IndicatorValue.objects.create(
        contract=contract,
        indicator=IndicatorDefinition.objects.get(code="M2_EVENTS"),
        year=2025,
        value=14,
        status="submitted",
    )
    client.force_login(coordinator_a)

    client.post(reverse("events:cop_fill", args=["GSO"]), {"year": "2025"})

    submitted.refresh_from_db()
    assert (submitted.value, submitted.status) == (14, "submitted")
    assert IndicatorValue.objects.filter(contract=contract, year=2025).count() == 6


def test_filling_cop_values_for_a_year_to_come_is_refused(client, pole_a, coordinator_a):
    CopContract.objects.create(canceropole=pole_a, first_year=2023, last_year=2027)
    client.force_login(coordinator_a)

    client.post(reverse("events:cop_fill", args=["GSO"]), {"year": str(timezone.localdate().year + 1)})

    assert IndicatorValue.objects.count() == 0


# --------------------------------------------------------------------------------------- programme


def _slot(event, start_hours, length_hours=1):
    start = timezone.localtime(event.starts_at) + timedelta(hours=start_hours)
    return {
        "session-title_fr": "Session plénière",
        "session-title_en": "Plenary session",
        "session-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "session-ends_at": (start + timedelta(hours=length_hours)).strftime("%Y-%m-%dT%H:%M"),
        "session-room": "Salle 1",
    }


def test_organiser_adds_a_session_and_a_speaker_shown_on_the_event_page(client, event_a, coordinator_a):
    client.force_login(coordinator_a)

    client.post(reverse("events:programme", args=[event_a.pk]), _slot(event_a, 1))
    session = Session.objects.get(event=event_a)
    client.post(
        reverse("events:programme", args=[event_a.pk]),
        {
            "speaker-name": "Marie Curie",
            "speaker-affiliation": "Institut Curie",
            "speaker-session": session.pk,
        },
    )

    page = client.get(event_a.get_absolute_url()).content.decode()
    assert "Plenary session" in page
    assert "Marie Curie (Institut Curie)" in page
    assert Event.objects.get(pk=event_a.pk).sequence == 2


def test_session_outside_the_event_answers_400_naming_the_field(client, event_a, coordinator_a):
    client.force_login(coordinator_a)

    response = client.post(reverse("events:programme", args=[event_a.pk]), _slot(event_a, 6, 3))

    assert response.status_code == 400
    assert list(response.context["session_form"].errors) == ["starts_at"]
    assert Session.objects.count() == 0


@pytest.mark.parametrize("persona", ["coordinator_b", "researcher", "inca_staff"])
def test_programme_changes_outside_the_organisers_are_forbidden_and_change_nothing(
    client, event_a, persona, request, state_of
):
    session = Session.objects.create(
        event=event_a, title_fr="S", starts_at=event_a.starts_at, ends_at=event_a.ends_at
    )
    client.force_login(request.getfixturevalue(persona))
    before = state_of(event_a)

    added = client.post(reverse("events:programme", args=[event_a.pk]), _slot(event_a, 1))
    removed = client.post(reverse("events:session_delete", args=[event_a.pk, session.pk]))

    assert (added.status_code, removed.status_code) == (403, 403)
    assert state_of(event_a) == before
    assert Session.objects.filter(event=event_a).count() == 1


def test_organiser_removes_a_speaker(client, event_a, coordinator_a):
    speaker = Speaker.objects.create(event=event_a, name="Invité")
    client.force_login(coordinator_a)

    client.post(reverse("events:speaker_delete", args=[event_a.pk, speaker.pk]))

    assert Speaker.objects.filter(event=event_a).count() == 0
