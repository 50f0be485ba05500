"""Fixtures of the events tests: an event of pole A, and a snapshot of an event's registrations to check
that a refused write changed nothing. (The catalogue entries events computes come back after a flush with
the national catalogue: tests/conftest.py.)"""

from dataclasses import dataclass

import pytest
from django.utils import translation

from events.models import Event, Registration, RegistrationTransition
from tests.events.factories import EventFactory


@pytest.fixture
def event_a(pole_a):
    return EventFactory(canceropole=pole_a)


@dataclass(frozen=True)
class EventState:
    """Everything a refused write must leave as it was."""

    event: dict
    registrations: list[tuple]
    transitions: int
    history: int
    events_in_db: int


def event_state(event: Event) -> EventState:
    fresh = Event.objects.get(pk=event.pk)
    fields = {f.attname: getattr(fresh, f.attname) for f in Event._meta.concrete_fields}
    return EventState(
        event=fields,
        registrations=list(
            Registration.objects.filter(event=event)
            .order_by("id")
            .values_list("id", "status", "email", "requested_at", "updated_at")
        ),
        transitions=RegistrationTransition.objects.filter(registration__event=event).count(),
        history=fresh.history.count(),
        events_in_db=Event.objects.count(),
    )


@pytest.fixture
def state_of():
    """``state_of(event)``: the event and its registrations as stored, before and after a refused write."""
    return event_state


@pytest.fixture
def english(api_client, settings):
    """Messages in English in the test's code and in the API's answers (the language is a cookie)."""
    api_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
