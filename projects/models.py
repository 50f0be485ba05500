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


# Project follow-up (team, outcomes, report schedule) and mobility grants. The services that write them are
# in projects.followup and projects.mobility; their money is in the funding app.

from decimal import Decimal  # noqa: E402 (kept with the follow-up models they serve)

from django.core.validators import RegexValidator  # noqa: E402

from common.workflow import TransitionRecord  # noqa: E402

DOI_VALIDATOR = RegexValidator(
    r"^10\.[0-9]{4,9}/\S+$", _("Enter a DOI such as 10.1000/xyz123."), "invalid_doi"
)
HAL_VALIDATOR = RegexValidator(
    r"^[a-z]+-[0-9]{8}(v[0-9]+)?$", _("Enter a HAL identifier such as hal-02532847."), "invalid_hal_id"
)
COUNTRY_VALIDATOR = RegexValidator(
    r"^[A-Z]{2}$", _("Enter the two-letter country code (ISO 3166-1), such as FR or DE."), "invalid_country"
)
MONEY = {"max_digits": 12, "decimal_places": 2}


class ProjectMember(models.Model):
    """A member of a project's team (the lead is the project's ``lead``)."""

    class Role(models.TextChoices):
        PARTNER = "partner", _("Partner team leader")
        MEMBER = "member", _("Team member")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="team")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    lab = models.ForeignKey(
        "canceropoles.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lab"),
    )

    class Meta:
        ordering = ["project", "last_name", "id"]
        verbose_name = _("project team member")
        verbose_name_plural = _("project team members")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class OutcomeKind(models.TextChoices):
    PUBLICATION = "publication", _("Publication")
    PATENT = "patent", _("Patent or invention disclosure")
    FOLLOW_ON_FUNDING = "follow_on", _("Follow-on funding")
    STARTUP = "startup", _("Start-up")
    CLINICAL_TRIAL = "clinical_trial", _("Clinical trial")
    COLLABORATION = "collaboration", _("Collaboration")


class Outcome(TimeStampedModel):
    """What a funded project produced: a publication (DOI or HAL id), a patent, follow-on funding (the
    leverage of Émergence: funder, programme, amount), a start-up, a clinical trial, a collaboration."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("kind"), max_length=16, choices=OutcomeKind.choices)
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    occurred_on = models.DateField(_("date"), null=True, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True, validators=[DOI_VALIDATOR])
    hal_id = models.CharField(_("HAL identifier"), max_length=40, blank=True, validators=[HAL_VALIDATOR])
    funder_name = models.CharField(_("funder"), max_length=200, blank=True)
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount (EUR)"), null=True, blank=True, **MONEY)
    reference = models.CharField(
        _("reference"),
        max_length=80,
        blank=True,
        help_text=_("Patent number, trial registry number (NCT…), SIREN of the start-up…"),
    )
    partner = models.CharField(_("partner"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "-year", "kind", "id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="publication") | ~Q(doi="") | ~Q(hal_id=""),
                name="publication_has_a_doi_or_hal_id",
            ),
            models.CheckConstraint(
                condition=~Q(kind="follow_on") | (Q(amount__gt=0) & ~Q(funder_name="")),
                name="follow_on_funding_has_funder_and_amount",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="outcome_amount_not_negative"
            ),
            models.UniqueConstraint(
                fields=["project", "doi"], condition=~Q(doi=""), name="one_outcome_per_project_and_doi"
            ),
            models.UniqueConstraint(
                fields=["project", "hal_id"],
                condition=~Q(hal_id=""),
                name="one_outcome_per_project_and_hal_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def canceropole_id(self) -> int:
        return self.project.canceropole_id


class ReportKind(models.TextChoices):
    PROGRESS = "progress", _("Progress report")
    FINAL = "final", _("Final report")


class ReportStatus(models.TextChoices):
    DUE = "due", _("Due")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")


class ProgressReport(TimeStampedModel):
    """A report a project owes the pole, on a date: progress reports and the final report."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DUE
    )
    summary = models.TextField(_("summary"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The last reminder sent to the lead: a reminder run that sees it today sends nothing again.
    reminded_on = models.DateField(_("last reminder on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "project", "id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind", "due_on"], name="one_report_per_project_kind_and_date"
            ),
            models.CheckConstraint(
                condition=Q(status="due") | Q(submitted_at__isnull=False), name="report_submitted_has_a_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on} ({self.project_id})"

    @property
    def canceropole_id(self) -> int:
        return self.project.canceropole_id


class OverdueDigest(models.Model):
    """One overdue-reports digest per pole and day: a second run on the same day sends nothing again."""

    canceropole = models.ForeignKey("canceropoles.Canceropole", on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField(_("sent on"))
    reports = models.PositiveIntegerField(_("overdue reports"))

    class Meta:
        ordering = ["-sent_on", "canceropole"]
        verbose_name = _("overdue reports digest")
        verbose_name_plural = _("overdue reports digests")
        constraints = [
            models.UniqueConstraint(
                fields=["canceropole", "sent_on"], name="one_overdue_digest_per_pole_and_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.canceropole_id} {self.sent_on}: {self.reports}"


class MobilitySession(TimeStampedModel):
    """A session of a pole's rolling mobility scheme: applications are received while it is open."""

    canceropole = models.ForeignKey(
        "canceropoles.Canceropole", on_delete=models.PROTECT, related_name="mobility_sessions"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("session"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), help_text=_("Last day to apply (Europe/Paris)."))
    ceiling = models.DecimalField(_("ceiling per grant (EUR)"), default=Decimal("2500.00"), **MONEY)

    class Meta:
        ordering = ["canceropole", "-year", "number"]
        verbose_name = _("mobility session")
        verbose_name_plural = _("mobility sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["canceropole", "year", "number"], name="one_mobility_session_number"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="session_closes_after_opening"
            ),
            models.CheckConstraint(condition=Q(ceiling__gt=0), name="session_ceiling_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.canceropole.code} {self.year}-{self.number}"


class MobilityStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    STAY_DONE = "stay_done", _("Stay done")
    REPORT_RECEIVED = "report_received", _("Report received")
    PAID = "paid", _("Paid")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Grants the pole awarded (counted by the COP indicator, published in the grants export).
AWARDED_MOBILITY_STATUSES = (
    MobilityStatus.APPROVED,
    MobilityStatus.STAY_DONE,
    MobilityStatus.REPORT_RECEIVED,
    MobilityStatus.PAID,
)


class MobilityGrant(TimeStampedModel):
    """A researcher's short stay in another lab, funded by the pole: applied (rolling, in a session) →
    approved or refused → stay done → report received → paid."""

    session = models.ForeignKey(MobilitySession, on_delete=models.PROTECT, related_name="grants")
    canceropole = models.ForeignKey(
        "canceropoles.Canceropole", on_delete=models.PROTECT, related_name="mobility_grants"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mobility_grants",
        verbose_name=_("applicant"),
    )
    home_lab = models.ForeignKey(
        "canceropoles.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("home lab"),
    )
    host_institution = models.CharField(_("host lab or institution"), max_length=250)
    host_city = models.CharField(_("host city"), max_length=100, blank=True)
    host_country = models.CharField(_("host country"), max_length=2, validators=[COUNTRY_VALIDATOR])
    purpose = models.TextField(_("purpose of the stay"))
    start_date = models.DateField(_("start of the stay"))
    end_date = models.DateField(_("end of the stay"))
    amount_requested = models.DecimalField(_("amount requested (EUR)"), **MONEY)
    amount_approved = models.DecimalField(_("amount approved (EUR)"), null=True, blank=True, **MONEY)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MobilityStatus.choices,
        default=MobilityStatus.APPLIED,
        db_index=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    report = models.TextField(_("report on return"), blank=True)
    report_received_at = models.DateTimeField(_("report received at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("mobility grant")
        verbose_name_plural = _("mobility grants")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="mobility_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(amount_requested__gt=0), name="mobility_request_positive"),
            models.CheckConstraint(
                condition=Q(amount_approved__isnull=True) | Q(amount_approved__gt=0),
                name="mobility_approved_amount_positive",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "stay_done", "report_received", "paid"])
                | Q(amount_approved__isnull=False),
                name="awarded_mobility_has_an_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.host_institution} ({self.get_status_display()})"

    @property
    def is_awarded(self) -> bool:
        return self.status in AWARDED_MOBILITY_STATUSES

    @property
    def duration_days(self) -> int:
        return (self.end_date - self.start_date).days + 1


class MobilityTransition(TransitionRecord):
    """One step of a mobility grant's workflow: who moved it, when, from which status to which, and why."""

    subject_field = "grant"

    grant = models.ForeignKey(MobilityGrant, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=16, choices=MobilityStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=MobilityStatus.choices)

    class Meta:
        ordering = ["grant", "at", "id"]
        verbose_name = _("mobility grant transition")
        verbose_name_plural = _("mobility grant transitions")
