"""Capacity under concurrency, on PostgreSQL: registrations racing for the last places, each in its own
thread, connection and transaction, as concurrent requests are.

Arrival order is the order in which the requests got the event's lock; the service stamps it on the
row (its id and ``requested_at``) while it holds the lock, so the test reads it from there.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection, connections

from events import selectors, services
from events.models import CareerStage, Registration, RegistrationStatus
from tests.conftest import require
from tests.events.factories import EventFactory
from tests.factories import UserFactory

PEOPLE, PLACES = 50, 20


def _on_postgresql() -> None:
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


def _in_thread(func, barrier: threading.Barrier):
    def run(*args):
        try:
            barrier.wait()
            return func(*args)
        finally:
            # Each thread opened its own connection; close it, or the test database cannot be dropped.
            connections.close_all()

    return run


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_registrations_for_twenty_places_give_twenty_places_and_thirty_waiting(pole_a):
    _on_postgresql()
    event = EventFactory(canceropole=pole_a, capacity=PLACES)
    users = UserFactory.create_batch(PEOPLE)
    barrier = threading.Barrier(PEOPLE)

    def register(user):
        return services.registration_create(
            event=event, user=user, career_stage=CareerStage.PHD, region=None
        ).pk

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        ids = list(pool.map(_in_thread(register, barrier), users))

    assert len(set(ids)) == PEOPLE
    rows = list(Registration.objects.filter(event=event).order_by("requested_at", "id"))
    assert [r.status for r in rows] == [RegistrationStatus.REGISTERED] * PLACES + [
        RegistrationStatus.WAITING
    ] * (PEOPLE - PLACES)
    # Arrival order: ids and request times were both taken under the lock, so they agree.
    assert [r.pk for r in rows] == sorted(r.pk for r in rows)
    waiting = list(selectors.waiting_list(event=event))
    assert [r.pk for r in waiting] == [r.pk for r in rows[PLACES:]]
    positions = dict(
        selectors.with_waiting_position(Registration.objects.filter(event=event)).values_list(
            "pk", "waiting_position"
        )
    )
    assert [positions[r.pk] for r in waiting] == list(range(1, PEOPLE - PLACES + 1))


@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_promote_the_first_people_waiting_in_order(pole_a):
    _on_postgresql()
    event = EventFactory(canceropole=pole_a, capacity=5)
    users = UserFactory.create_batch(12)
    registrations = [
        services.registration_create(event=event, user=u, career_stage=CareerStage.PHD, region=None)
        for u in users
    ]
    holders, waiting = registrations[:5], registrations[5:]
    mail.outbox.clear()
    barrier = threading.Barrier(3)

    def cancel(registration):
        services.registration_cancel(registration=registration, by=registration.user)

    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(_in_thread(cancel, barrier), holders[:3]))

    by_pk = {r.pk: r.status for r in Registration.objects.filter(event=event)}
    assert [by_pk[r.pk] for r in holders] == ["cancelled"] * 3 + ["registered"] * 2
    assert [by_pk[r.pk] for r in waiting] == ["registered"] * 3 + ["waiting"] * 4
    # Each promoted person was told once, after their promotion committed.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in waiting[:3])


@pytest.mark.django_db(transaction=True)
def test_a_registration_racing_a_cancellation_never_overfills_the_event(pole_a):
    _on_postgresql()
    event = EventFactory(canceropole=pole_a, capacity=3)
    first = [
        services.registration_create(event=event, user=u, career_stage=CareerStage.PHD, region=None)
        for u in UserFactory.create_batch(4)
    ]
    newcomers = UserFactory.create_batch(6)
    barrier = threading.Barrier(7)

    def act(item):
        if isinstance(item, Registration):
            services.registration_cancel(registration=item, by=item.user)
        else:
            services.registration_create(event=event, user=item, career_stage=CareerStage.PHD, region=None)

    with ThreadPoolExecutor(max_workers=7) as pool:
        list(pool.map(_in_thread(act, barrier), [first[0], *newcomers]))

    taken = Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count()
    assert taken == 3
    # The person who was waiting before the race got the freed place, ahead of every newcomer.
    assert Registration.objects.get(pk=first[3].pk).status == RegistrationStatus.REGISTERED
    assert Registration.objects.filter(event=event, status=RegistrationStatus.WAITING).count() == 6
