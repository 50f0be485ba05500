"""Races on PostgreSQL, 20 threads each with its own connection: submissions straddling the deadline,
and funded decisions competing for the envelope."""

import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from calls import services
from calls.models import Application, ApplicationStatus, Call, Decision, Outcome
from common.errors import TransitionError
from projects.models import Project
from tests.calls.factories import ApplicationFactory, CallFactory, complete
from tests.conftest import require

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 20


def run_in_threads(work, count: int) -> list:
    """Run ``work(i)`` in ``count`` threads released together; returns each result or exception."""
    results: list = [None] * count
    barrier = threading.Barrier(count)

    def target(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:  # collected and asserted by the test
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_twenty_submissions_straddling_the_deadline_none_accepted_after_it(pole_a):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    call = CallFactory(canceropole=pole_a)
    applications = [complete(ApplicationFactory(call=call)) for _ in range(THREADS)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        db_now = cursor.fetchone()[0]
    deadline = db_now + timedelta(seconds=2)
    Call.objects.filter(pk=call.pk).update(deadline=deadline)
    started_at: dict[int, object] = {}

    def hold_the_call_across_the_deadline():
        # A slow writer holds the call's row from just before the deadline to just after: submissions
        # queued behind it started in time but reach the lock late, and must be refused.
        time.sleep(1.7)
        with transaction.atomic():
            Call.objects.select_for_update().get(pk=call.pk)
            time.sleep(0.6)
        connections.close_all()

    holder = threading.Thread(target=hold_the_call_across_the_deadline)
    holder.start()

    def submit(i):
        time.sleep(i * 0.15)  # 0 to 2.85 s: about two thirds before the deadline, one third after
        application = applications[i]
        with connection.cursor() as cursor:
            cursor.execute("SELECT clock_timestamp()")
            started_at[application.pk] = cursor.fetchone()[0]
        return services.application_submit(application=application, by=application.applicant)

    results = run_in_threads(submit, THREADS)
    holder.join(30)

    accepted = [r for r in results if isinstance(r, Application)]
    refused = [r for r in results if isinstance(r, TransitionError)]
    assert len(accepted) + len(refused) == THREADS, [
        r for r in results if not isinstance(r, (Application, TransitionError))
    ]
    assert all(a.submitted_at < deadline for a in accepted)
    assert all(list(error.message_dict) == ["call"] for error in refused)
    rows = Application.objects.filter(call=call)
    assert rows.filter(status=ApplicationStatus.SUBMITTED, submitted_at__gte=deadline).count() == 0
    assert rows.filter(status=ApplicationStatus.SUBMITTED).count() == len(accepted)
    assert rows.filter(status=ApplicationStatus.DRAFT).count() == len(refused)
    assert 0 < len(accepted) < THREADS
    # Some requests arrived before the deadline yet waited for the lock past it: refused all the same.
    late_by_lock = [
        pk
        for pk, at in started_at.items()
        if at < deadline and rows.get(pk=pk).status == ApplicationStatus.DRAFT
    ]
    assert late_by_lock


def test_twenty_concurrent_funded_decisions_never_overspend_the_envelope(pole_a, coordinator_a):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    call = CallFactory(canceropole=pole_a, envelope=Decimal("100000"), max_amount=Decimal("25000"))
    applications = []
    for _ in range(THREADS):
        application = complete(ApplicationFactory(call=call))
        services.application_submit(application=application, by=application.applicant)
        applications.append(
            services.application_screen(application=application, by=coordinator_a, eligible=True)
        )

    def decide(i):
        return services.application_decide(
            application=applications[i], by=coordinator_a, outcome=Outcome.FUNDED, amount_awarded="15000"
        )

    results = run_in_threads(decide, THREADS)

    funded = [r for r in results if isinstance(r, Decision)]
    refused = [r for r in results if isinstance(r, TransitionError)]
    assert (len(funded), len(refused)) == (6, 14)  # 6 × 15,000 = 90,000; a 7th would need 105,000
    assert all(list(error.message_dict) == ["amount_awarded"] for error in refused)
    assert Decision.objects.filter(application__call=call, outcome=Outcome.FUNDED).count() == 6
    assert sum(Project.objects.filter(call=call).values_list("amount_awarded", flat=True)) == Decimal("90000")
