"""The network: the 7 cancéropôles, the regions they cover, organisations, people, missions and levers."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel, localized
from common.validators import validate_orcid, validate_rnsr, validate_ror, validate_siret


class Region(models.Model):
    """A French region, keyed by its INSEE code (``11`` Île-de-France…)."""

    class Kind(models.TextChoices):
        METROPOLITAN = "metropolitan", _("Metropolitan")
        OVERSEAS = "overseas", _("Overseas")
        FORMER = "former", _("Former region (before 2016)")

    insee_code = models.CharField(_("INSEE code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=6, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        ordering = ["insee_code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Canceropole(TimeStampedModel):
    """One of the 7 cancéropôles labelled by INCa."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("official name"), max_length=150, unique=True)
    short_name = models.CharField(_("short name"), max_length=60)
    seat_city = models.CharField(_("seat city"), max_length=80)
    website = models.URLField(_("website"))
    legal_form = models.CharField(_("legal form"), max_length=250, blank=True)
    regions = models.ManyToManyField(Region, through="RegionCoverage", related_name="canceropoles")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("cancéropôle")
        verbose_name_plural = _("cancéropôles")

    def __str__(self) -> str:
        return self.name


class RegionCoverage(models.Model):
    """Which cancéropôle covers a region, and since when (Poitou-Charentes moved from CGO to GSO in 2017).

    A region has at most one coverage open at any date; ``valid_to`` is exclusive and empty while current.
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="coverages")
    canceropole = models.ForeignKey(Canceropole, on_delete=models.CASCADE, related_name="coverages")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until (exclusive)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        ordering = ["region__insee_code", "valid_from"]
        verbose_name = _("region coverage")
        verbose_name_plural = _("region coverages")
        constraints = [
            models.UniqueConstraint(
                fields=["region"], condition=Q(valid_to__isnull=True), name="one_current_coverage_per_region"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="coverage_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} → {self.canceropole.code} ({self.valid_from}–{self.valid_to or '…'})"


class Organisation(TimeStampedModel):
    """A lab, institution, company or funder, with the identifiers other systems know it by."""

    class Kind(models.TextChoices):
        LAB = "lab", _("Research lab or team")
        UNIVERSITY = "university", _("University")
        HOSPITAL = "hospital", _("Hospital")
        CANCER_CENTRE = "cancer_centre", _("Cancer centre")
        RESEARCH_BODY = "research_body", _("Research body")
        COMPANY = "company", _("Company")
        FUNDER = "funder", _("Funder")
        ASSOCIATION = "association", _("Association or foundation")
        PUBLIC_BODY = "public_body", _("Public body")

    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    rnsr = models.CharField(_("RNSR"), max_length=10, blank=True, validators=[validate_rnsr])
    ror = models.CharField(_("ROR"), max_length=9, blank=True, validators=[validate_ror])
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    city = models.CharField(_("city"), max_length=80, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    website = models.URLField(_("website"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["rnsr"], condition=~Q(rnsr=""), name="unique_organisation_rnsr"),
            models.UniqueConstraint(fields=["ror"], condition=~Q(ror=""), name="unique_organisation_ror"),
            models.UniqueConstraint(
                fields=["siret"], condition=~Q(siret=""), name="unique_organisation_siret"
            ),
        ]
        # The API pages organisations by name (a cursor on this index), and syncs them by updated_at.
        indexes = [
            models.Index(fields=["name", "id"], name="organisation_name_idx"),
            models.Index(fields=["updated_at"], name="organisation_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Person(TimeStampedModel):
    """A researcher, clinician or staff member of the network; may exist without a portal account."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    orcid = models.CharField(_("ORCID iD"), max_length=19, blank=True, validators=[validate_orcid])
    lab = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("lab"),
    )
    canceropoles = models.ManyToManyField(
        Canceropole, blank=True, related_name="people", verbose_name=_("cancéropôles")
    )
    history = HistoricalRecords(m2m_fields=[canceropoles])

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(fields=["orcid"], condition=~Q(orcid=""), name="unique_person_orcid"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Mission(models.Model):
    """One of the four missions every COP is organised under."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    code = models.CharField(_("code"), max_length=30, unique=True)
    short_fr = models.CharField(_("short label (French)"), max_length=80)
    short_en = models.CharField(_("short label (English)"), max_length=80)
    label_fr = models.CharField(_("label (French)"), max_length=250)
    label_en = models.CharField(_("label (English)"), max_length=250)

    class Meta:
        ordering = ["number"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")

    def __str__(self) -> str:
        return f"{self.number}. {self.short}"

    @property
    def short(self) -> str:
        return localized(self, "short")

    @property
    def label(self) -> str:
        return localized(self, "label")


class Lever(models.Model):
    """One of the seven levers of action (seminars, structuring actions, Émergence calls…)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    label_fr = models.CharField(_("label (French)"), max_length=250)
    label_en = models.CharField(_("label (English)"), max_length=250)
    missions = models.ManyToManyField(Mission, related_name="levers")

    class Meta:
        ordering = ["code"]
        verbose_name = _("lever")
        verbose_name_plural = _("levers")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self, "label")
