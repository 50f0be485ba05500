"""Celery adapters of the follow-up: the beat schedule's reminders and overdue digest (portal/settings.py).

Both are idempotent: a reminder is sent once a week at most per report, a pole's digest once a day.
"""

from celery import shared_task


@shared_task(name="projects.reports_remind", acks_late=True, reject_on_worker_lost=True)
def reports_remind_task() -> int:
    from projects.followup.services import reports_remind

    return reports_remind()


@shared_task(name="projects.overdue_digest", acks_late=True, reject_on_worker_lost=True)
def overdue_digest_task() -> int:
    from projects.followup.services import overdue_digest_send

    return overdue_digest_send()
