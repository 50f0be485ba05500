"""Funded projects: created from a funded application (calls) or entered directly.

Follow-up (outcomes, progress reports, disbursements) comes with the funding app; a Project here holds
what a funding decision fixes: the pole, the call, the application, the lead and lab, the amount
awarded, the dates and the status. It is public once its decision is published.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel


class Project(TimeStampedModel):
    class Status(models.TextChoices):
        AWARDED = "awarded", _("Awarded")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    canceropole = models.ForeignKey(
        "canceropoles.Canceropole", on_delete=models.PROTECT, related_name="projects"
    )
    # Upward references by name: calls creates projects, projects never imports calls.
    call = models.ForeignKey(
        "calls.Call", on_delete=models.PROTECT, null=True, blank=True, related_name="projects"
    )
    application = models.OneToOneField(
        "calls.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="project"
    )
    title = models.CharField(_("title"), max_length=300)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
        verbose_name=_("lead"),
    )
    lab = models.ForeignKey(
        "canceropoles.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("lab"),
    )
    amount_awarded = models.DecimalField(_("amount awarded (EUR)"), max_digits=12, decimal_places=2)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.AWARDED)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(condition=Q(amount_awarded__gte=0), name="project_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
