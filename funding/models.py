"""The money of the poles: funders, what each funder allocates to a pole for a year, what the pole commits
from it, and what it pays out.

- **Funder**: an organisation acting as funder, with its kind (INCa, regional council, charity…).
- **Allocation**: funder → pole, for a year, an amount, a purpose and an optional earmark.
- **Commitment**: against an allocation. A call's envelope is a commitment (``envelope``); each award of
  that call draws from the envelope (``award``, whose ``parent`` is the envelope) and does not count again
  against the allocation. Projects entered directly, mobility grants, events (an event of the pole, or a
  label) and other expenses are commitments of their own.
- **Disbursement**: a payment of a commitment, scheduled then paid (or cancelled).

Invariants, held by the services under row locks (the allocation's row for its commitments, the
envelope's for its awards, the commitment's for its disbursements):

- Σ top-level commitments of an allocation ≤ its amount;
- Σ awards of an envelope ≤ the envelope;
- Σ scheduled and paid disbursements of a commitment ≤ the commitment.

The database holds what a row alone can say: positive amounts, the fields each kind needs, one envelope
per call and allocation, one award per envelope and project. Money is ``Decimal`` in euros.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")


class FunderKind(models.TextChoices):
    """The kinds of funding source of the poles (reference data: funding_source_kinds)."""

    INCA = "inca", _("INCa (labelling grant)")
    REGION = "region", _("Regional council")
    LOCAL_AUTHORITY = "local_authority", _("Métropole or other local authority")
    ARS = "ars", _("Regional health agency (ARS)")
    EU = "eu", _("EU funds (ERDF, Interreg)")
    PATIENT_ASSOCIATION = "patient_association", _("Patient association, Ligue contre le cancer")
    FOUNDATION = "foundation", _("Foundation or charity")
    INDUSTRY = "industry", _("Industrial partner")
    MEMBERS = "members", _("Member institutions' contributions")
    SPONSORSHIP = "sponsorship", _("Corporate sponsorship")
    MINISTRY = "ministry", _("Ministry (DGOS or other)")
    OTHER = "other", _("Other")


class Funder(TimeStampedModel):
    """An organisation that funds the poles. National: every pole may record allocations from it."""

    organisation = models.OneToOneField(
        "canceropoles.Organisation",
        on_delete=models.PROTECT,
        related_name="funder",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FunderKind.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("funder")
        verbose_name_plural = _("funders")

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def is_inca(self) -> bool:
        return self.kind == FunderKind.INCA


class Earmark(models.TextChoices):
    """What an allocation is reserved for; blank: anything the pole decides."""

    EMERGENCE = "emergence", _("Émergence calls")
    STRUCTURING = "structuring", _("Structuring projects")
    MOBILITY = "mobility", _("Mobility grants")
    EVENTS = "events", _("Events and trainings")
    PLATFORMS = "platforms", _("Platforms")
    OPERATIONS = "operations", _("Running the pole")


class Allocation(TimeStampedModel):
    """What a funder gives a pole for a year."""

    funder = models.ForeignKey(
        Funder, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("funder")
    )
    canceropole = models.ForeignKey(
        "canceropoles.Canceropole",
        on_delete=models.PROTECT,
        related_name="allocations",
        verbose_name=_("cancéropôle"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (EUR)"), **MONEY)
    purpose = models.CharField(_("purpose"), max_length=250)
    earmark = models.CharField(_("earmark"), max_length=12, choices=Earmark.choices, blank=True)
    reference = models.CharField(
        _("agreement reference"), max_length=80, blank=True, help_text=_("Number of the funding agreement.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["canceropole__code", "-year", "funder__organisation__name", "id"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="allocation_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder} → {self.canceropole.code} {self.year}: {self.amount} €"


class CommitmentKind(models.TextChoices):
    ENVELOPE = "envelope", _("Call envelope")
    AWARD = "award", _("Award on a call")
    PROJECT = "project", _("Project entered directly")
    MOBILITY = "mobility", _("Mobility grant")
    EVENT = "event", _("Event or training")
    OTHER = "other", _("Other expense")


class Commitment(TimeStampedModel):
    """Money of an allocation promised to a purpose."""

    allocation = models.ForeignKey(
        Allocation, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("allocation")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CommitmentKind.choices)
    # An award draws from its call's envelope: it counts against the envelope, not the allocation again.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("envelope"),
    )
    # Upward references by name: calls and projects use funding's services, funding imports neither.
    call = models.ForeignKey(
        "calls.Call",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_commitments",
        verbose_name=_("call"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("project"),
    )
    mobility_grant = models.ForeignKey(
        "projects.MobilityGrant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("mobility grant"),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_commitments",
        verbose_name=_("event"),
    )
    label = models.CharField(_("label"), max_length=250, blank=True)
    amount = models.DecimalField(_("amount (EUR)"), **MONEY)
    committed_on = models.DateField(_("committed on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["allocation", "committed_on", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="commitment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(kind="envelope")
                | Q(
                    call__isnull=False, parent__isnull=True, project__isnull=True, mobility_grant__isnull=True
                ),
                name="envelope_names_its_call_only",
            ),
            models.CheckConstraint(
                condition=~Q(kind="award") | Q(parent__isnull=False, project__isnull=False),
                name="award_names_its_envelope_and_project",
            ),
            models.CheckConstraint(
                condition=Q(kind="award") | Q(parent__isnull=True), name="only_awards_draw_on_an_envelope"
            ),
            models.CheckConstraint(
                condition=~Q(kind="project") | Q(project__isnull=False),
                name="project_commitment_names_its_project",
            ),
            models.CheckConstraint(
                condition=~Q(kind="mobility") | Q(mobility_grant__isnull=False),
                name="mobility_commitment_names_its_grant",
            ),
            models.CheckConstraint(
                condition=~Q(kind="other") | ~Q(label=""), name="other_commitment_has_a_label"
            ),
            models.CheckConstraint(
                condition=~Q(kind="event") | Q(event__isnull=False) | ~Q(label=""),
                name="event_commitment_names_its_event_or_a_label",
            ),
            models.CheckConstraint(
                condition=Q(kind="event") | Q(event__isnull=True), name="only_event_commitments_name_an_event"
            ),
            models.UniqueConstraint(
                fields=["call", "allocation"],
                condition=Q(kind="envelope"),
                name="one_envelope_per_call_and_allocation",
            ),
            models.UniqueConstraint(
                fields=["parent", "project"],
                condition=Q(kind="award"),
                name="one_award_per_envelope_and_project",
            ),
            models.UniqueConstraint(
                fields=["mobility_grant"],
                condition=Q(kind="mobility"),
                name="one_commitment_per_mobility_grant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} € ({self.allocation_id})"

    @property
    def canceropole_id(self) -> int:
        return self.allocation.canceropole_id

    @property
    def is_envelope(self) -> bool:
        return self.kind == CommitmentKind.ENVELOPE


class DisbursementStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


# Disbursements that count against their commitment.
LIVE_DISBURSEMENT_STATUSES = (DisbursementStatus.SCHEDULED, DisbursementStatus.PAID)


class Disbursement(TimeStampedModel):
    """A payment of a commitment: scheduled, then paid (or cancelled before it is)."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="disbursements", verbose_name=_("commitment")
    )
    amount = models.DecimalField(_("amount (EUR)"), **MONEY)
    scheduled_on = models.DateField(_("scheduled on"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DisbursementStatus.choices, default=DisbursementStatus.SCHEDULED
    )
    reference = models.CharField(_("payment reference"), max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["commitment", "scheduled_on", "id"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            models.CheckConstraint(
                condition=Q(status="paid", paid_on__isnull=False)
                | (~Q(status="paid") & Q(paid_on__isnull=True)),
                name="disbursement_paid_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} € {self.get_status_display()} ({self.commitment_id})"

    @property
    def canceropole_id(self) -> int:
        return self.commitment.allocation.canceropole_id
