"""Calls for proposals (appels à projets) of the poles, the applications they receive, their expert review
and the committee's decisions.

Lifecycles (DESIGN §4), each step a service in calls.services recorded as a transition:

- Call: draft → published → open (at ``opens_at``) → closed (at the deadline) → in review → decided →
  archived. Whether a submission is on time is decided by the database clock under a row lock on the
  call, whatever the stored status says (the status follows the clock through the periodic job).
- Application: draft → submitted → eligible / ineligible → under review → selected / waiting list /
  rejected, or withdrawn. With a letter-of-intent stage, a selected letter is invited to the full stage
  (back to draft, stage ``full``).
- Review assignment: assigned → no conflict declared (access granted) or conflict declared (no access,
  the coordinator reassigns) → review submitted.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel, localized
from common.workflow import TransitionRecord

MONEY = {"max_digits": 12, "decimal_places": 2}


class CallKind(models.TextChoices):
    EMERGENCE = "emergence", _("Émergence")
    EMERGENCE_SHS = "emergence_shs", _("Émergence – humanities, social sciences, public health")
    HIGH_RISK = "high_risk", _("Émergence – high risk, high potential")
    STRUCTURING = "structuring", _("Structuring projects")
    CROSS_BORDER = "cross_border", _("Cross-border projects")
    TRAINING_EVENT = "training_event", _("Training and event support")
    PLATFORM = "platform", _("Platform support")
    OTHER = "other", _("Other")


# Kinds counted as Émergence by the COP indicators (M3_EMERGENCE_*).
EMERGENCE_KINDS = (CallKind.EMERGENCE, CallKind.EMERGENCE_SHS, CallKind.HIGH_RISK, CallKind.CROSS_BORDER)


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    IN_REVIEW = "in_review", _("In review")
    DECIDED = "decided", _("Decided")
    ARCHIVED = "archived", _("Archived")


class BudgetCategory(models.TextChoices):
    CONSUMABLES = "consumables", _("Consumables")
    SERVICES = "services", _("Services from platforms or public bodies")
    EQUIPMENT = "equipment", _("Equipment")
    STAFF = "staff", _("Staff (interns, support staff time)")
    MEETINGS = "meetings", _("Meetings between partners")
    TRAVEL = "travel", _("Travel")
    OTHER = "other", _("Other")


class Call(TimeStampedModel):
    """A call for proposals of one pole."""

    canceropole = models.ForeignKey(
        "canceropoles.Canceropole", on_delete=models.PROTECT, related_name="calls"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CallKind.choices)
    reference = models.CharField(
        _("reference"), max_length=60, unique=True, help_text=_("For example GSO-EMERGENCE-2026.")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title_fr = models.CharField(_("title (French)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    text_fr = models.TextField(_("text (French)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    deadline = models.DateTimeField(_("deadline"), help_text=_("Europe/Paris time."))
    has_letter_of_intent = models.BooleanField(_("letter-of-intent stage"), default=False)
    full_deadline = models.DateTimeField(
        _("full application deadline"),
        null=True,
        blank=True,
        help_text=_("With a letter-of-intent stage: deadline of the full applications."),
    )
    envelope = models.DecimalField(_("envelope (EUR)"), validators=[MinValueValidator(0)], **MONEY)
    max_amount = models.DecimalField(
        _("ceiling per application (EUR)"), validators=[MinValueValidator(0)], **MONEY
    )
    max_duration_months = models.PositiveSmallIntegerField(_("maximum duration (months)"))
    budget_caps = models.JSONField(
        _("budget caps"),
        default=dict,
        blank=True,
        help_text=_('Maximum share of the request per budget category, e.g. {"equipment": 0.2}.'),
    )
    ineligible_categories = models.JSONField(_("ineligible budget categories"), default=list, blank=True)
    scale_max = models.PositiveSmallIntegerField(
        _("top of the scoring scale"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    outside_experts_required = models.BooleanField(
        _("outside experts required"),
        default=False,
        help_text=_("Reviewers must not belong to the applicant's pole."),
    )
    reviewers_per_application = models.PositiveSmallIntegerField(_("reviewers per application"), default=2)
    reviewer_load_cap = models.PositiveSmallIntegerField(_("maximum applications per reviewer"), default=6)
    status = models.CharField(
        _("status"), max_length=12, choices=CallStatus.choices, default=CallStatus.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    decisions_published_at = models.DateTimeField(_("decisions published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-deadline", "reference"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("opens_at")), name="call_deadline_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(full_deadline__isnull=True) | Q(full_deadline__gt=models.F("deadline")),
                name="call_full_deadline_after_letters",
            ),
            models.CheckConstraint(condition=Q(envelope__gte=0), name="call_envelope_not_negative"),
            models.CheckConstraint(condition=Q(max_amount__gte=0), name="call_ceiling_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.title}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def text(self) -> str:
        return localized(self, "text")

    @property
    def is_public(self) -> bool:
        return self.status != CallStatus.DRAFT

    def cap_for(self, category: str) -> Decimal | None:
        share = (self.budget_caps or {}).get(category)
        return None if share in (None, "") else Decimal(str(share))

    def deadline_for(self, stage: str):
        """The deadline of a stage: with letters of intent, full applications are due at ``full_deadline``."""
        return self.full_deadline if stage == Stage.FULL and self.has_letter_of_intent else self.deadline


class CallTransition(TransitionRecord):
    """One step of a call's lifecycle (common.workflow)."""

    subject_field = "call"
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="transitions")

    class Meta:
        ordering = ["call", "at", "id"]
        verbose_name = _("call transition")
        verbose_name_plural = _("call transitions")


class Criterion(models.Model):
    """An evaluation criterion of a call, with its weight in the weighted mean."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=Decimal(1), validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["call", "position", "id"]
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    UNDER_REVIEW = "under_review", _("Under review")
    SELECTED = "selected", _("Selected")
    WAITING_LIST = "waiting_list", _("Waiting list")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# An applicant holds at most one of these per call (the database refuses a second one).
OPEN_APPLICATION_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.SELECTED,
    ApplicationStatus.WAITING_LIST,
)


class Stage(models.TextChoices):
    LETTER = "letter", _("Letter of intent")
    FULL = "full", _("Full application")


class Application(TimeStampedModel):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices, default=Stage.FULL)
    title = models.CharField(_("project title"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    lab = models.ForeignKey(
        "canceropoles.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("lab"),
    )
    requested_amount = models.DecimalField(
        _("requested amount (EUR)"), null=True, blank=True, validators=[MinValueValidator(0)], **MONEY
    )
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"), null=True, blank=True)
    abstract = models.TextField(_("abstract"), blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=300, blank=True, help_text=_("Separated by commas.")
    )
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    eligibility_report = models.JSONField(_("eligibility checks at submission"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "-submitted_at", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "applicant"],
                condition=Q(status__in=[s.value for s in OPEN_APPLICATION_STATUSES]),
                name="one_open_application_per_applicant_and_call",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call.reference} #{self.pk} {self.title}"

    @property
    def canceropole_id(self) -> int:
        return self.call.canceropole_id

    @property
    def submission_deadline(self):
        return self.call.deadline_for(self.stage)

    @property
    def code(self) -> str:
        """The anonymous code used in committee packs: reference and number."""
        return f"{self.call.reference}-{self.pk:04d}"

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


class ApplicationTransition(TransitionRecord):
    """One step of an application's lifecycle (common.workflow)."""

    subject_field = "application"
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transitions")

    class Meta:
        ordering = ["application", "at", "id"]
        verbose_name = _("application transition")
        verbose_name_plural = _("application transitions")


class TeamMember(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        PARTNER = "partner", _("Partner team leader")
        MEMBER = "member", _("Team member")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="team")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    lab = models.ForeignKey(
        "canceropoles.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lab"),
    )

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class BudgetLine(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("category"), max_length=12, choices=BudgetCategory.choices)
    description = models.CharField(_("description"), max_length=250, blank=True)
    amount = models.DecimalField(_("amount (EUR)"), validators=[MinValueValidator(0)], **MONEY)

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_not_negative")]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.amount}"


class Attachment(models.Model):
    """A PDF of an application, stored outside the public media under the private storage."""

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Scientific proposal")
        CV = "cv", _("Curriculum vitae")
        BUDGET = "budget", _("Detailed budget")
        LETTER = "letter", _("Letter of support")
        OTHER = "other", _("Other")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PROPOSAL)
    original_name = models.CharField(_("file name"), max_length=200)
    path = models.CharField(_("stored at"), max_length=300, unique=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Reviewer(TimeStampedModel):
    """A member of a pole's reviewer pool, with expertise keywords."""

    canceropole = models.ForeignKey(
        "canceropoles.Canceropole", on_delete=models.CASCADE, related_name="reviewers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_pools"
    )
    expertise = models.CharField(_("expertise keywords"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["canceropole", "user__last_name", "id"]
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        constraints = [
            models.UniqueConstraint(fields=["canceropole", "user"], name="one_pool_entry_per_user")
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.expertise.split(",") if word.strip()]


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned: conflict declaration pending")
    ACCEPTED = "accepted", _("No conflict declared")
    CONFLICT = "conflict", _("Conflict declared")
    SUBMITTED = "submitted", _("Review submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Assignments that count towards a reviewer's load and an application's number of reviewers.
ACTIVE_ASSIGNMENT_STATUSES = (
    AssignmentStatus.ASSIGNED,
    AssignmentStatus.ACCEPTED,
    AssignmentStatus.SUBMITTED,
)


class ReviewAssignment(TimeStampedModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("reviewer"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    coi_declared_at = models.DateTimeField(_("conflict declaration at"), null=True, blank=True)
    coi_comment = models.TextField(_("conflict of interest"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_assignment_per_reviewer"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.reviewer_id} ({self.status})"

    @property
    def canceropole_id(self) -> int:
        return self.application.call.canceropole_id

    @property
    def grants_access(self) -> bool:
        return self.status in (AssignmentStatus.ACCEPTED, AssignmentStatus.SUBMITTED)


class Recommendation(models.TextChoices):
    FUND = "fund", _("Fund")
    FUND_IF_POSSIBLE = "fund_if_possible", _("Fund if the envelope allows")
    DO_NOT_FUND = "do_not_fund", _("Do not fund")


class Review(TimeStampedModel):
    assignment = models.OneToOneField(ReviewAssignment, on_delete=models.CASCADE, related_name="review")
    comment = models.TextField(_("comment"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=16, choices=Recommendation.choices, blank=True
    )
    weighted_score = models.DecimalField(
        _("weighted score"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assignment", "id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["review", "criterion__position"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(condition=Q(value__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class Outcome(models.TextChoices):
    FUNDED = "funded", _("Funded")
    WAITING_LIST = "waiting_list", _("Waiting list")
    REJECTED = "rejected", _("Rejected")


OUTCOME_TO_STATUS = {
    Outcome.FUNDED: ApplicationStatus.SELECTED,
    Outcome.WAITING_LIST: ApplicationStatus.WAITING_LIST,
    Outcome.REJECTED: ApplicationStatus.REJECTED,
}


class Decision(TimeStampedModel):
    """The committee's decision on an application; held pending until the coordinator publishes it."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices)
    amount_awarded = models.DecimalField(
        _("amount awarded (EUR)"), default=Decimal(0), validators=[MinValueValidator(0)], **MONEY
    )
    rationale = models.TextField(_("rationale"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="funded", amount_awarded__gt=0)
                | (~Q(outcome="funded") & Q(amount_awarded=0)),
                name="decision_amount_matches_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.outcome}"

    @property
    def canceropole_id(self) -> int:
        return self.application.call.canceropole_id


class OutboxMessage(TimeStampedModel):
    """A decision e-mail waiting for the coordinator to review it before it is sent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To review")
        SENT = "sent", _("Sent")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="outbox")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="outbox")
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["call", "id"]
        verbose_name = _("decision e-mail")
        verbose_name_plural = _("decision e-mails")
        constraints = [
            models.UniqueConstraint(fields=["application"], name="one_decision_email_per_application"),
        ]

    @property
    def canceropole_id(self) -> int:
        return self.call.canceropole_id
