"""Calls: creation and editing by the pole's staff, publication, and the clock-driven steps."""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import BudgetCategory, Call, CallKind, CallStatus, CallTransition, Criterion
from calls.services._shared import database_now, lock_call, record_call
from common.errors import TransitionError
from common.workflow import transition

EDITABLE_FIELDS = (
    "kind",
    "reference",
    "year",
    "title_fr",
    "title_en",
    "text_fr",
    "text_en",
    "opens_at",
    "deadline",
    "has_letter_of_intent",
    "full_deadline",
    "envelope",
    "max_amount",
    "max_duration_months",
    "budget_caps",
    "ineligible_categories",
    "scale_max",
    "outside_experts_required",
    "reviewers_per_application",
    "reviewer_load_cap",
)

DEFAULT_CRITERIA = [
    ("Qualité scientifique et originalité", "Scientific quality and originality", Decimal(2)),
    ("Faisabilité en 12 mois", "Feasibility within the duration", Decimal(1)),
    ("Caractère émergent et effet levier attendu", "Emergence and expected leverage", Decimal(1)),
]


def _validate(fields: dict) -> None:
    errors: dict[str, list[str]] = {}
    if fields.get("kind") not in CallKind.values:
        errors["kind"] = [_("Choose a kind of call.")]
    if not (fields.get("reference") or "").strip():
        errors["reference"] = [_("Enter a reference, for example GSO-EMERGENCE-2026.")]
    if not (fields.get("title_fr") or "").strip():
        errors["title_fr"] = [_("Enter the French title.")]
    opens_at, deadline = fields.get("opens_at"), fields.get("deadline")
    if opens_at is None:
        errors["opens_at"] = [_("Enter the opening date and time.")]
    if deadline is None:
        errors["deadline"] = [_("Enter the deadline.")]
    if opens_at and deadline and deadline <= opens_at:
        errors["deadline"] = [_("The deadline must be after the opening.")]
    full = fields.get("full_deadline")
    if fields.get("has_letter_of_intent") and not full:
        errors["full_deadline"] = [_("A call with letters of intent needs a deadline for full applications.")]
    if full and deadline and full <= deadline:
        errors["full_deadline"] = [_("Full applications are due after the letters of intent.")]
    for name in ("envelope", "max_amount"):
        try:
            amount = Decimal(str(fields.get(name)))
        except (InvalidOperation, TypeError):
            errors[name] = [_("Enter an amount in euros.")]
            continue
        if not amount.is_finite() or amount < 0:
            errors[name] = [_("Enter an amount greater than or equal to 0.")]
        else:
            fields[name] = amount
    if "envelope" not in errors and "max_amount" not in errors and fields["max_amount"] > fields["envelope"]:
        errors["max_amount"] = [_("The ceiling per application cannot exceed the envelope.")]
    if not fields.get("max_duration_months"):
        errors["max_duration_months"] = [_("Enter the maximum duration in months.")]
    caps = fields.get("budget_caps") or {}
    if not isinstance(caps, dict):
        errors["budget_caps"] = [_("Give the caps as a share per budget category.")]
    else:
        for category, share in caps.items():
            try:
                ok = category in BudgetCategory.values and 0 <= Decimal(str(share)) <= 1
            except InvalidOperation:
                ok = False
            if not ok:
                errors["budget_caps"] = [_("Each cap is a budget category and a share between 0 and 1.")]
    if errors:
        raise TransitionError(errors)


@transaction.atomic
def call_create(*, canceropole, by, criteria: list[tuple[str, str, Decimal]] | None = None, **fields) -> Call:
    """A pole's staff creates a call, as a draft, with its evaluation criteria (three default ones if none).

    Raises TransitionError naming the field for bad dates, amounts or caps, or a reference in use.
    """
    fields = {name: fields.get(name) for name in EDITABLE_FIELDS if name in fields}
    fields.setdefault("budget_caps", {})
    fields.setdefault("ineligible_categories", [])
    _validate(fields)
    try:
        with transaction.atomic():
            call = Call.objects.create(canceropole=canceropole, created_by=by, **fields)
    except IntegrityError:
        raise TransitionError({"reference": [_("This reference is already used by another call.")]}) from None
    for position, (name_fr, name_en, weight) in enumerate(criteria or DEFAULT_CRITERIA, start=1):
        Criterion.objects.create(
            call=call, position=position, name_fr=name_fr, name_en=name_en, weight=weight
        )
    record_call(call, from_status="", by=by)
    return call


@transaction.atomic
def call_update(*, call: Call, by, **fields) -> Call:
    """Change a call while it is a draft (published calls keep the rules applicants read)."""
    locked = lock_call(call)
    if locked.status != CallStatus.DRAFT:
        raise TransitionError({"status": [_("Only a draft call can be changed.")]})
    merged = {name: fields.get(name, getattr(locked, name)) for name in EDITABLE_FIELDS}
    _validate(merged)
    for name in EDITABLE_FIELDS:
        setattr(locked, name, merged[name])
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        raise TransitionError({"reference": [_("This reference is already used by another call.")]}) from None
    return locked


@transaction.atomic
def call_publish(*, call: Call, by) -> Call:
    """Publish a draft call: public at once, open from ``opens_at`` (or now if that is past)."""
    locked = lock_call(call)
    if locked.status != CallStatus.DRAFT:
        raise TransitionError({"status": [_("This call is already published.")]})
    if not locked.criteria.exists():
        raise TransitionError({"criteria": [_("Add at least one evaluation criterion before publishing.")]})
    now = database_now()
    if locked.deadline <= now:
        raise TransitionError({"deadline": [_("The deadline is past: set a later one before publishing.")]})
    locked.status = CallStatus.OPEN if locked.opens_at <= now else CallStatus.PUBLISHED
    locked.published_at = now
    locked.save(update_fields=["status", "published_at", "updated_at"])
    record_call(locked, from_status=CallStatus.DRAFT, by=by)
    return locked


@transaction.atomic
def calls_follow_clock() -> int:
    """Periodic: open the published calls whose opening passed, close the open ones whose deadline passed.

    Idempotent. Submissions do not depend on it (they read the clock under a lock themselves); it keeps the
    status that pages and the API show in step. Returns the number of calls moved.
    """
    now = timezone.now()
    moved = 0
    for call in Call.objects.select_for_update(skip_locked=True).filter(
        status__in=[CallStatus.PUBLISHED, CallStatus.OPEN]
    ):
        last_deadline = call.full_deadline or call.deadline
        target = call.status
        if last_deadline <= now:
            target = CallStatus.CLOSED
        elif call.opens_at <= now:
            target = CallStatus.OPEN
        if target != call.status:
            from_status, call.status = call.status, target
            call.save(update_fields=["status", "updated_at"])
            record_call(call, from_status=from_status, by=None, comment="clock")
            moved += 1
    return moved


@transaction.atomic
def call_archive(*, call: Call, by) -> Call:
    """Archive a decided call."""
    return transition(
        obj=call,
        to=CallStatus.ARCHIVED,
        allowed_from=(CallStatus.DECIDED,),
        by=by,
        record_model=CallTransition,
        message=_("Only a decided call can be archived."),
    )
