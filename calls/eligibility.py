"""Machine eligibility checks of an application, explained field by field.

The same checks run on the application page (so the applicant sees what to fix before submitting)
and in ``application_submit`` (which refuses a submission that fails one). Each check names the form
field it is about, says whether it passes and, when it fails, why and what the rule is.
"""

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from calls.models import OPEN_APPLICATION_STATUSES, Application, Attachment, BudgetCategory, Stage


@dataclass(frozen=True)
class Check:
    field: str
    label: str
    ok: bool
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


def _euros(amount: Decimal) -> str:
    return formats.number_format(amount, decimal_pos=0, use_l10n=True, force_grouping=True) + " €"


def _lab_covered(application: Application, day: date) -> bool:
    from canceropoles.models import RegionCoverage

    lab = application.lab
    if lab is None or lab.region_id is None:
        return False
    return RegionCoverage.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day),
        canceropole_id=application.call.canceropole_id,
        region_id=lab.region_id,
        valid_from__lte=day,
    ).exists()


def eligibility_checks(application: Application, *, on: date | None = None) -> list[Check]:
    """Every check, passing or not, in the order of the form."""
    call = application.call
    day = on or timezone.localdate()
    checks: list[Check] = []

    checks.append(
        Check(
            "title",
            _("Title"),
            bool(application.title.strip()),
            "" if application.title.strip() else _("Give the project a title."),
        )
    )
    abstract_ok = len(application.abstract.strip()) >= 50
    checks.append(
        Check(
            "abstract",
            _("Abstract"),
            abstract_ok,
            "" if abstract_ok else _("Write an abstract of at least 50 characters."),
        )
    )

    # Lab in the pole's regions on the day of the check (coverage changes over time).
    if application.lab_id is None:
        checks.append(Check("lab", _("Lab"), False, _("Choose the lab that will carry the project.")))
    else:
        covered = _lab_covered(application, day)
        checks.append(
            Check(
                "lab",
                _("Lab"),
                covered,
                ""
                if covered
                else _(
                    "%(lab)s is not in a region covered by %(pole)s on %(day)s: "
                    "the call is open to labs of the pole's regions only."
                )
                % {
                    "lab": application.lab,
                    "pole": call.canceropole.short_name,
                    "day": formats.date_format(day),
                },
            )
        )

    amount = application.requested_amount
    if amount is None or amount <= 0:
        checks.append(
            Check("requested_amount", _("Requested amount"), False, _("Enter the amount you request."))
        )
    elif amount > call.max_amount:
        checks.append(
            Check(
                "requested_amount",
                _("Requested amount"),
                False,
                _("%(amount)s is above the call's ceiling of %(ceiling)s per application.")
                % {"amount": _euros(amount), "ceiling": _euros(call.max_amount)},
            )
        )
    else:
        checks.append(Check("requested_amount", _("Requested amount"), True, ""))

    duration = application.duration_months
    if not duration:
        checks.append(Check("duration_months", _("Duration"), False, _("Enter the duration in months.")))
    elif duration > call.max_duration_months:
        checks.append(
            Check(
                "duration_months",
                _("Duration"),
                False,
                _("%(months)s months is longer than the call's maximum of %(max)s months.")
                % {"months": duration, "max": call.max_duration_months},
            )
        )
    else:
        checks.append(Check("duration_months", _("Duration"), True, ""))

    checks.extend(_budget_checks(application))

    if application.stage == Stage.FULL:
        has_proposal = any(a.kind == Attachment.Kind.PROPOSAL for a in application.attachments.all())
        checks.append(
            Check(
                "attachments",
                _("Attachments"),
                has_proposal,
                "" if has_proposal else _("Attach the scientific proposal as a PDF."),
            )
        )

    other = (
        Application.objects.filter(
            call=call, applicant_id=application.applicant_id, status__in=OPEN_APPLICATION_STATUSES
        )
        .exclude(pk=application.pk)
        .first()
    )
    checks.append(
        Check(
            "applicant",
            _("One application per applicant"),
            other is None,
            ""
            if other is None
            else _(
                "You already have an application in progress for this call (“%(title)s”): withdraw it first."
            )
            % {"title": other.title},
        )
    )
    return checks


def _budget_checks(application: Application) -> list[Check]:
    call = application.call
    lines = list(application.budget_lines.all())
    label = _("Budget")
    if not lines:
        return [Check("budget", label, False, _("Add at least one budget line."))]
    total = sum((line.amount for line in lines), Decimal(0))
    problems: list[str] = []
    if application.requested_amount is not None and total != application.requested_amount:
        problems.append(
            _("The budget lines add up to %(total)s, not the %(amount)s requested.")
            % {"total": _euros(total), "amount": _euros(application.requested_amount)}
        )
    by_category: dict[str, Decimal] = {}
    for line in lines:
        by_category[line.category] = by_category.get(line.category, Decimal(0)) + line.amount
    for category, spent in sorted(by_category.items()):
        name = BudgetCategory(category).label if category in BudgetCategory.values else category
        if category in (call.ineligible_categories or []) and spent > 0:
            problems.append(_("%(category)s is not eligible in this call.") % {"category": name})
            continue
        cap = call.cap_for(category)
        if cap is not None and total > 0 and spent > cap * total:
            problems.append(
                _("%(category)s is %(share)s %% of the budget; the call allows at most %(cap)s %%.")
                % {
                    "category": name,
                    "share": formats.number_format(spent * 100 / total, decimal_pos=0),
                    "cap": formats.number_format(cap * 100, decimal_pos=0),
                }
            )
    return [Check("budget", label, not problems, " ".join(problems))]


def failing(checks: list[Check]) -> dict[str, list[str]]:
    """The failing checks as form errors, {field: [message]}."""
    errors: dict[str, list[str]] = {}
    for check in checks:
        if not check.ok:
            errors.setdefault(check.field, []).append(check.message)
    return errors
