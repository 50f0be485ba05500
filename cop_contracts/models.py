"""COP contracts (contrats d'objectifs et de performance) between INCa and each cancéropôle.

A contract has objectives under the four missions and actions under the seven levers. The national
catalogue defines the indicators; each contract sets yearly targets and reports yearly values, which go
through a two-step approval (pole director, then INCa). Rollups aggregate values by pole and nationally.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel, localized
from common.workflow import TransitionRecord

LABELLING_PERIOD = (2023, 2027)
# Every comment on a value or a decision, on pages and in the API.
COMMENT_MAX_LENGTH = 2000


class CopContract(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")
        CLOSED = "closed", _("Closed")

    canceropole = models.ForeignKey(
        "canceropoles.Canceropole", on_delete=models.PROTECT, related_name="cop_contracts"
    )
    first_year = models.PositiveSmallIntegerField(_("first year"), default=LABELLING_PERIOD[0])
    last_year = models.PositiveSmallIntegerField(_("last year"), default=LABELLING_PERIOD[1])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["canceropole__name", "-first_year"]
        verbose_name = _("COP contract")
        verbose_name_plural = _("COP contracts")
        constraints = [
            models.UniqueConstraint(
                fields=["canceropole", "first_year"], name="one_contract_per_pole_and_period"
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")), name="contract_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"COP {self.canceropole.code} {self.first_year}-{self.last_year}"

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


class Objective(TimeStampedModel):
    contract = models.ForeignKey(CopContract, on_delete=models.CASCADE, related_name="objectives")
    mission = models.ForeignKey("canceropoles.Mission", on_delete=models.PROTECT, related_name="objectives")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["contract", "number"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [models.UniqueConstraint(fields=["contract", "number"], name="unique_objective_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Action(TimeStampedModel):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    lever = models.ForeignKey("canceropoles.Lever", on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["objective", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.title


class Unit(models.TextChoices):
    COUNT = "count", _("count")
    EUR = "eur", _("euros")
    RATIO = "ratio", _("ratio")
    PERCENT = "percent", _("percent")


class Direction(models.TextChoices):
    INCREASE = "increase", _("the higher the better")
    DECREASE = "decrease", _("the lower the better")
    MAINTAIN = "maintain", _("keep at target")


class Aggregation(models.TextChoices):
    """How values combine across poles (and into a national figure)."""

    SUM = "sum", _("sum")
    RATIO = "ratio", _("ratio of sums (Σ numerator / Σ denominator)")
    MAX = "max", _("maximum")
    LATEST = "latest", _("latest stock (summed across poles)")


class Source(models.TextChoices):
    MANUAL = "manual", _("entered by the pole")
    COMPUTED = "computed", _("computed from the portal's data")


class IndicatorDefinition(TimeStampedModel):
    """An entry of the national indicator catalogue, shared by every contract."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=250)
    name_en = models.CharField(_("name (English)"), max_length=250)
    description_fr = models.TextField(_("definition (French)"), blank=True)
    description_en = models.TextField(_("definition (English)"), blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    mission = models.ForeignKey("canceropoles.Mission", on_delete=models.PROTECT, related_name="indicators")
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    aggregation = models.CharField(
        _("aggregation"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    computation = models.CharField(
        _("computation"),
        max_length=60,
        blank=True,
        help_text=_("Name of the registered computation, if computed."),
    )
    official = models.BooleanField(_("official COP indicator"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["mission__number", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(source="manual") | ~Q(computation=""),
                name="computed_indicator_names_its_computation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def clean(self) -> None:
        from cop_contracts.registry import registered_names

        if self.source == Source.COMPUTED and self.computation not in registered_names():
            raise ValidationError(
                {
                    "computation": _("No computation of this name is registered: %(names)s.")
                    % {"names": ", ".join(registered_names()) or "–"}
                }
            )

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def definition(self) -> str:
        """How the indicator is counted, in the reader's language (French when no English is given)."""
        return localized(self, "description")

    @property
    def is_ratio(self) -> bool:
        return self.aggregation == Aggregation.RATIO

    @property
    def scale(self) -> Decimal:
        """A ratio indicator in percent stores 100 × numerator / denominator."""
        return Decimal(100) if self.unit == Unit.PERCENT else Decimal(1)


class Target(TimeStampedModel):
    contract = models.ForeignKey(CopContract, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(IndicatorDefinition, on_delete=models.PROTECT, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=20, decimal_places=4)
    baseline = models.DecimalField(_("baseline"), max_digits=20, decimal_places=4, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "indicator", "year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "indicator", "year"], name="one_target_per_indicator_year"
            ),
        ]
        indexes = [models.Index(fields=["updated_at"], name="target_updated_idx")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"


class ValueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the director")
    APPROVED = "approved", _("Approved by the director")
    ACCEPTED = "accepted", _("Accepted by INCa")
    SENT_BACK = "sent_back", _("Sent back for revision")


# Values a pole may still edit; every other status is either in review or locked.
EDITABLE_STATUSES = (ValueStatus.DRAFT, ValueStatus.SENT_BACK)
# Values counted in provisional figures (accepted ones count in both).
PROVISIONAL_STATUSES = (ValueStatus.SUBMITTED, ValueStatus.APPROVED, ValueStatus.ACCEPTED)


class IndicatorValue(TimeStampedModel):
    contract = models.ForeignKey(CopContract, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(IndicatorDefinition, on_delete=models.PROTECT, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(
        _("numerator"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    denominator = models.DecimalField(
        _("denominator"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ValueStatus.choices, default=ValueStatus.DRAFT, db_index=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "indicator", "year"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "indicator", "year"], name="one_value_per_indicator_year"
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "year"], name="value_indicator_year_idx"),
            # ?modified_since= of the API: a partner syncs what changed.
            models.Index(fields=["updated_at"], name="value_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}: {self.value} ({self.status})"

    @property
    def canceropole_id(self) -> int:
        return self.contract.canceropole_id

    @property
    def is_locked(self) -> bool:
        return self.status == ValueStatus.ACCEPTED

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class ValueTransition(TransitionRecord):
    """One step of an indicator value's approval: who moved it, when, from which status to which, and why."""

    subject_field = "value"

    value = models.ForeignKey(IndicatorValue, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=10, choices=ValueStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=ValueStatus.choices)

    class Meta:
        ordering = ["value", "at", "id"]
        verbose_name = _("value transition")
        verbose_name_plural = _("value transitions")


class RollupLevel(models.TextChoices):
    POLE = "pole", _("Pole")
    NATIONAL = "national", _("National")


class RollupBasis(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted (published)")
    PROVISIONAL = "provisional", _("Provisional (submitted, approved or accepted)")


class IndicatorRollup(models.Model):
    """An aggregated figure of (indicator, year), by pole or national, on accepted or provisional values.

    Written only by cop_contracts.rollups (one SQL upsert per level); ``scope`` is the pole's id at pole
    level and ``national`` otherwise, so that the upsert has a non-null conflict key on every database.
    """

    indicator = models.ForeignKey(IndicatorDefinition, on_delete=models.CASCADE, related_name="rollups")
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=10, choices=RollupLevel.choices)
    scope = models.CharField(_("scope"), max_length=20)
    canceropole = models.ForeignKey(
        "canceropoles.Canceropole", on_delete=models.CASCADE, null=True, blank=True, related_name="rollups"
    )
    basis = models.CharField(_("basis"), max_length=12, choices=RollupBasis.choices)
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(_("numerator"), max_digits=24, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(
        _("denominator"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=24, decimal_places=4, null=True, blank=True)
    poles_reporting = models.PositiveIntegerField(_("poles reporting"))
    computed_at = models.DateTimeField(_("computed at"))
    # Changes only when the figure does (a run that recomputes the same figure keeps it), for syncing.
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["indicator", "year", "level", "scope", "basis"]
        verbose_name = _("indicator rollup")
        verbose_name_plural = _("indicator rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "level", "scope", "basis"], name="unique_rollup_key"
            ),
        ]
        indexes = [models.Index(fields=["updated_at"], name="rollup_updated_idx")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year} {self.level}:{self.scope} {self.basis} = {self.value}"

    @property
    def is_provisional(self) -> bool:
        return self.basis == RollupBasis.PROVISIONAL
