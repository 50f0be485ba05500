"""The small shared kernel: a base model, the bilingual label helper, and the outbox of background tasks."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Every table of the portal records when a row was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True


def localized(obj, field: str) -> str:
    """``obj.<field>_en`` when English is active and filled in, else ``obj.<field>_fr``."""
    if translation.get_language() == "en":
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, f"{field}_fr")


class OutboxMessage(models.Model):
    """A background task to dispatch once the transaction that asked for it has committed.

    Written in the same transaction as the change that calls for the task (a rollup, an e-mail), so the
    task is never lost: if the broker is unreachable when the transaction commits, the message stays
    pending and ``common.outbox_dispatch_pending`` (every minute, see CELERY_BEAT_SCHEDULE) dispatches
    it once the broker is back. Written and read by common.outbox only.
    """

    task_name = models.CharField(_("task"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(dispatched_at__isnull=True), name="outbox_pending_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_name} {self.kwargs}"
