"""Scientific life of the poles: seminars, working groups, trainings, workshops and annual meetings.

An event belongs to a lead cancéropôle, optionally co-organised with others; it has a capacity and a
registration window. People register (a signed-in user in one step, or an organiser on their behalf);
beyond the capacity they join a waiting list in arrival order, and a cancellation promotes the first
person waiting. On the day, the organisers record who attended: attendance feeds the COP indicators
(events held, participants, share of young researchers, share from outside the pole's regions).

Registration statuses (each change is a RegistrationTransition)::

    waiting ─promote→ registered ─attend→ attended
       │                 │   ↑──unmark──┘
       └─cancel→ cancelled ←─cancel─┘
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel, localized
from common.workflow import TransitionRecord


class EventKind(models.TextChoices):
    SEMINAR = "seminar", _("Seminar")
    WORKING_GROUP = "working_group", _("Working group meeting")
    TRAINING = "training", _("Training")
    WORKSHOP = "workshop", _("Workshop")
    ANNUAL_MEETING = "annual_meeting", _("Annual meeting")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Open to all")
    YOUNG_RESEARCHERS = "young_researchers", _("Young researchers")
    WORKING_GROUP = "working_group", _("Members of a working group or axis")
    CLINICIANS = "clinicians", _("Clinicians and health professionals")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class Event(TimeStampedModel):
    """A scientific event run by a lead pole, possibly with co-organising poles."""

    uid = models.UUIDField(_("calendar identifier"), default=uuid.uuid4, unique=True, editable=False)
    canceropole = models.ForeignKey(
        "canceropoles.Canceropole",
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("organising cancéropôle"),
    )
    co_organisers = models.ManyToManyField(
        "canceropoles.Canceropole",
        blank=True,
        related_name="co_organised_events",
        verbose_name=_("co-organising cancéropôles"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    working_group = models.CharField(
        _("working group or axis"),
        max_length=150,
        blank=True,
        help_text=_("The working group, network or scientific axis the event belongs to, if any."),
    )
    title_fr = models.CharField(_("title (French)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=250, blank=True, help_text=_("Room, building, address."))
    city = models.CharField(_("city"), max_length=80, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Places available; leave empty for no limit.")
    )
    registration_opens_at = models.DateTimeField(_("registration opens at"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes at"),
        null=True,
        blank=True,
        help_text=_("Leave empty to accept registrations until the event starts."),
    )
    registration_closed_at = models.DateTimeField(
        _("registration closed by the organisers at"), null=True, blank=True, editable=False
    )
    fee = models.DecimalField(
        _("fee (EUR)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty if the event is free."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT, db_index=True
    )
    # RFC 5545 SEQUENCE: calendar clients replace their copy when it grows.
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    history = HistoricalRecords(excluded_fields=["sequence"])

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="event_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="event_registration_window_order",
            ),
            models.CheckConstraint(
                condition=Q(fee__isnull=True) | Q(fee__gte=0), name="event_fee_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["canceropole", "starts_at"], name="event_pole_start_idx"),
            # The API's agenda is paged by a cursor on the start.
            models.Index(fields=["starts_at", "id"], name="event_start_idx"),
        ]

    def __str__(self) -> str:
        return self.title_fr

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    @property
    def places_left(self) -> int | None:
        """Free places (None without a capacity); reads the ``places_taken`` annotation of the selectors."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.places_taken, 0)

    @property
    def is_free(self) -> bool:
        return not self.fee

    @property
    def organiser_pole_ids(self) -> set[int]:
        """The lead pole and the co-organisers (read from the prefetched ``co_organisers``)."""
        return {self.canceropole_id, *(pole.pk for pole in self.co_organisers.all())}

    def registration_is_open(self, *, at=None) -> bool:
        """Published, not closed by the organisers, inside the window, and not started yet."""
        now = at or timezone.now()
        return (
            self.status == EventStatus.PUBLISHED
            and self.registration_closed_at is None
            and (self.registration_opens_at is None or self.registration_opens_at <= now)
            and now < (self.registration_closes_at or self.starts_at)
            and now < self.starts_at
        )

    def has_started(self, *, at=None) -> bool:
        return self.starts_at <= (at or timezone.now())


class Session(models.Model):
    """A slot of a (multi-day) event: a talk session, a workshop, a round table."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title_fr = models.CharField(_("title (French)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=120, blank=True)

    class Meta:
        ordering = ["event", "starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title_fr

    @property
    def title(self) -> str:
        return localized(self, "title")


class Speaker(models.Model):
    """Someone who speaks at an event, in one of its sessions or at the event as a whole."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="speakers"
    )
    name = models.CharField(_("name"), max_length=150)
    affiliation = models.CharField(_("affiliation"), max_length=250, blank=True)
    talk_title = models.CharField(_("talk title"), max_length=250, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["event", "order", "id"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name


class CareerStage(models.TextChoices):
    PHD = "phd", _("PhD student")
    POSTDOC = "postdoc", _("Post-doctoral researcher")
    EARLY_CAREER = "early_career", _("Early-career researcher or clinician (non-tenured)")
    RESEARCHER = "researcher", _("Researcher, lecturer or clinician")
    ENGINEER = "engineer", _("Engineer or technician")
    OTHER = "other", _("Other")


# The stages the COP counts as young researchers (PhD, post-doc, non-tenured).
YOUNG_RESEARCHER_STAGES = (CareerStage.PHD, CareerStage.POSTDOC, CareerStage.EARLY_CAREER)


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    ATTENDED = "attended", _("Attended")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses that hold one of the event's places.
HOLDS_A_PLACE = (RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED)
# Statuses of a live registration (a place or a waiting-list place).
ACTIVE_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING, RegistrationStatus.ATTENDED)


class Registration(TimeStampedModel):
    """One person's registration for an event: a place, a waiting-list place, or a cancelled one.

    The name and e-mail are kept on the registration (badges, lists, e-mails), also for people the
    organisers register without an account. ``region`` is the region of the person's lab, empty when it
    is outside France; with ``career_stage`` it feeds the COP shares.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    organisation = models.CharField(_("lab or institution"), max_length=250, blank=True)
    region = models.ForeignKey(
        "canceropoles.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region of the lab"),
        help_text=_("Empty when the lab is outside France."),
    )
    career_stage = models.CharField(_("career stage"), max_length=20, choices=CareerStage.choices)
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices, db_index=True)
    # Arrival order on the waiting list: set, under the event's lock, when the person (re)joins it.
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        ordering = ["event", "requested_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="one_registration_per_person_and_event"),
        ]
        indexes = [models.Index(fields=["event", "status", "requested_at"], name="registration_queue_idx")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} – {self.event_id} ({self.status})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_young_researcher(self) -> bool:
        return self.career_stage in YOUNG_RESEARCHER_STAGES

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class RegistrationTransition(TransitionRecord):
    """One step of a registration: who moved it (None: the portal itself), when, from which status to
    which, and why."""

    subject_field = "registration"

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="transitions")

    class Meta:
        ordering = ["registration", "at", "id"]
        verbose_name = _("registration transition")
        verbose_name_plural = _("registration transitions")
