"""Every write on mobility grants, a rolling scheme (DESIGN §4)::

    applied ─approve→ approved ─stay done→ stay_done ─report→ report_received ─pay→ paid
       │ └─refuse→ refused
       └──────┴─withdraw→ withdrawn

A researcher applies in one of the year's sessions of a pole, while it is open, for a stay that is not
over, under the session's ceiling. Approval commits the amount on one of the pole's allocations of the
session's year (funding, under the allocation's row lock); payment pays the balance of that commitment.
Each step goes through the shared workflow helper (common.workflow.transition): the grant's row locked,
the status it starts from checked (TransitionError naming the field), the step recorded (who, when, from,
to, comment); then the step's own fields and money, and an e-mail to whoever acts next after commit.
Who may call which step is decided by projects.mobility.rules, before the call.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Membership
from common.errors import TransitionError
from common.notifications import email_after_commit
from common.workflow import record_creation, refusal, transition
from funding import services as funding_services
from funding.models import Allocation, Commitment, CommitmentKind, Earmark
from funding.money import euros, parse_amount
from projects.models import (
    COUNTRY_VALIDATOR,
    MobilityGrant,
    MobilitySession,
    MobilityStatus,
    MobilityTransition,
)


def _today() -> date:
    return timezone.localdate()


def _date(field: str, raw) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except (TypeError, ValueError):
        raise ValidationError({field: [_("Enter a date as YYYY-MM-DD.")]}) from None


def _grant_url(grant_id: int) -> str:
    return getattr(settings, "PORTAL_BASE_URL", "").rstrip("/") + reverse("mobility:grant", args=[grant_id])


def _pole_staff(canceropole_id: int) -> list[str]:
    return sorted(
        set(
            Membership.objects.filter(canceropole_id=canceropole_id, user__is_active=True).values_list(
                "user__email", flat=True
            )
        )
    )


REFUSAL = gettext_lazy("This grant is “%(status)s”: it cannot become “%(to)s”.")


def _step(grant: MobilityGrant, *, to: str, allowed_from, by, comment: str = "") -> MobilityGrant:
    """The shared workflow step: the grant's row locked, its status checked, the step recorded."""
    locked = transition(
        obj=grant,
        to=to,
        allowed_from=allowed_from,
        by=by,
        record_model=MobilityTransition,
        comment=comment,
        message=REFUSAL,
    )
    return MobilityGrant.objects.select_related("session", "applicant").get(pk=locked.pk)


# Sessions -----------------------------------------------------------------------------------------------


@transaction.atomic
def mobility_session_create(
    *, canceropole, year, number, opens_on, closes_on, by, ceiling="2500"
) -> MobilitySession:
    """Open a session of the pole's scheme. Raises ValidationError naming the field."""
    opens, closes = _date("opens_on", opens_on), _date("closes_on", closes_on)
    if closes < opens:
        raise ValidationError({"closes_on": [_("The session cannot close before it opens.")]})
    try:
        year, number = int(year), int(number)
    except (TypeError, ValueError):
        raise ValidationError({"number": [_("Enter the year and the session's number.")]}) from None
    if MobilitySession.objects.filter(canceropole=canceropole, year=year, number=number).exists():
        raise ValidationError({"number": [_("This session already exists for that year.")]})
    return MobilitySession.objects.create(
        canceropole=canceropole,
        year=year,
        number=number,
        opens_on=opens,
        closes_on=closes,
        ceiling=parse_amount("ceiling", ceiling),
    )


# Applying -----------------------------------------------------------------------------------------------


@transaction.atomic
def mobility_apply(
    *,
    session: MobilitySession,
    applicant,
    home_lab,
    host_institution: str,
    host_country: str,
    purpose: str,
    start_date,
    end_date,
    amount_requested,
    host_city: str = "",
) -> MobilityGrant:
    """A researcher applies for a stay, in an open session, under its ceiling.

    The session's row is locked, so that the "one open application per session" check holds under
    concurrent submissions. Raises ValidationError naming every bad field, TransitionError when the
    session is closed. Side effects: the grant, its first transition, an e-mail to the pole's staff.
    """
    locked_session = MobilitySession.objects.select_for_update().get(pk=session.pk)
    today = _today()
    if not locked_session.opens_on <= today <= locked_session.closes_on:
        raise TransitionError(
            {
                "session": [
                    _("This session takes applications from %(opens)s to %(closes)s.")
                    % {
                        "opens": locked_session.opens_on.isoformat(),
                        "closes": locked_session.closes_on.isoformat(),
                    }
                ]
            }
        )
    errors: dict[str, list[str]] = {}
    host_institution = (host_institution or "").strip()
    if not host_institution:
        errors["host_institution"] = [_("Name the lab or institution you will visit.")]
    host_country = (host_country or "").strip().upper()
    try:
        COUNTRY_VALIDATOR(host_country)
    except ValidationError as error:
        errors["host_country"] = error.messages
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = [_("Say what the stay is for.")]
    if home_lab is None:
        errors["home_lab"] = [_("Choose your lab.")]
    start = end = amount = None
    try:
        start = _date("start_date", start_date)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        end = _date("end_date", end_date)
    except ValidationError as error:
        errors.update(error.message_dict)
    if start and end:
        if end < start:
            errors["end_date"] = [_("The stay cannot end before it starts.")]
        elif end < today:
            errors["end_date"] = [_("This stay is over: apply before it ends.")]
    try:
        amount = parse_amount("amount_requested", amount_requested)
    except ValidationError as error:
        errors.update(error.message_dict)
    if amount is not None and amount > locked_session.ceiling:
        errors["amount_requested"] = [
            _("The ceiling of this scheme is %(ceiling)s.") % {"ceiling": euros(locked_session.ceiling)}
        ]
    if (
        applicant is not None
        and MobilityGrant.objects.filter(
            session=locked_session,
            applicant=applicant,
            status__in=[MobilityStatus.APPLIED, MobilityStatus.APPROVED],
        ).exists()
    ):
        errors["session"] = [_("You already have an application in this session.")]
    if errors:
        raise ValidationError(errors)
    grant = MobilityGrant.objects.create(
        session=locked_session,
        canceropole_id=locked_session.canceropole_id,
        applicant=applicant,
        home_lab=home_lab,
        host_institution=host_institution[:250],
        host_city=(host_city or "").strip()[:100],
        host_country=host_country,
        purpose=purpose,
        start_date=start,
        end_date=end,
        amount_requested=amount,
    )
    record_creation(obj=grant, to=MobilityStatus.APPLIED, by=applicant, record_model=MobilityTransition)
    recipients = _pole_staff(grant.canceropole_id)
    if recipients:
        email_after_commit(
            subject=_("New mobility grant application"),
            body=_("%(who)s applies for a stay at %(host)s (%(amount)s). %(url)s")
            % {
                "who": applicant,
                "host": grant.host_institution,
                "amount": euros(amount),
                "url": _grant_url(grant.pk),
            },
            recipients=recipients,
        )
    return grant


@transaction.atomic
def mobility_withdraw(*, grant: MobilityGrant, by, comment: str = "") -> MobilityGrant:
    """The applicant withdraws before the stay; an approved grant's commitment is released."""
    locked = _step(
        grant,
        to=MobilityStatus.WITHDRAWN,
        allowed_from=(MobilityStatus.APPLIED, MobilityStatus.APPROVED),
        by=by,
        comment=comment,
    )
    for commitment in Commitment.objects.filter(mobility_grant=locked):
        funding_services.commitment_cancel(commitment=commitment, by=by)
    return locked


# Deciding -----------------------------------------------------------------------------------------------


def _allocation_for(grant: MobilityGrant, amount) -> Allocation:
    """The pole's allocation of the session's year to draw on: earmarked for mobility first, then
    unearmarked ones, the oldest first, the first with room (read again under its lock by funding)."""
    candidates = (
        Allocation.objects.filter(canceropole_id=grant.canceropole_id, year=grant.session.year)
        .filter(earmark__in=[Earmark.MOBILITY, ""])
        .annotate(
            order=Case(
                When(earmark=Earmark.MOBILITY, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("order", "id")
    )
    for allocation in candidates:
        available = allocation.amount - funding_services.committed_on_allocation(allocation.pk)
        if available >= amount:
            return allocation
    raise TransitionError(
        {
            "allocation": [
                _("No allocation of %(year)s has %(amount)s left for mobility grants.")
                % {"year": grant.session.year, "amount": euros(amount)}
            ]
        }
    )


@transaction.atomic
def mobility_approve(
    *, grant: MobilityGrant, by, amount=None, allocation: Allocation | None = None, comment: str = ""
) -> MobilityGrant:
    """The pole approves an application, for the amount requested or less, and commits it on an
    allocation of the session's year (the one given, or the first with room). Raises TransitionError
    (wrong status, no room) or ValidationError (amount) naming the field. E-mails the applicant."""
    # An approved grant has its amount (a database constraint): set it on the locked row, then the step.
    locked = MobilityGrant.objects.select_for_update(of=("self",)).select_related("session").get(pk=grant.pk)
    if locked.status != MobilityStatus.APPLIED:
        raise refusal(locked, to=MobilityStatus.APPROVED, message=REFUSAL)
    amount = locked.amount_requested if amount in (None, "") else parse_amount("amount", amount)
    if amount > locked.session.ceiling:
        raise ValidationError(
            {
                "amount": [
                    _("The ceiling of this scheme is %(ceiling)s.")
                    % {"ceiling": euros(locked.session.ceiling)}
                ]
            }
        )
    if allocation is not None and (
        allocation.canceropole_id != locked.canceropole_id or allocation.year != locked.session.year
    ):
        raise ValidationError({"allocation": [_("Choose an allocation of the pole for the session's year.")]})
    target = allocation or _allocation_for(locked, amount)
    locked.amount_approved, locked.decided_at = amount, timezone.now()
    locked.save(update_fields=["amount_approved", "decided_at", "updated_at"])
    locked = _step(
        locked, to=MobilityStatus.APPROVED, allowed_from=(MobilityStatus.APPLIED,), by=by, comment=comment
    )
    funding_services.commitment_create(
        allocation=target, kind=CommitmentKind.MOBILITY, mobility_grant=locked, amount=amount, by=by
    )
    email_after_commit(
        subject=_("Your mobility grant is approved"),
        body=_(
            "Your stay at %(host)s is funded for %(amount)s. After your stay, tell us it is done and hand in "
            "your report: %(url)s"
        )
        % {"host": locked.host_institution, "amount": euros(amount), "url": _grant_url(locked.pk)},
        recipients=[locked.applicant.email],
    )
    return locked


@transaction.atomic
def mobility_refuse(*, grant: MobilityGrant, by, comment: str = "") -> MobilityGrant:
    """The pole refuses an application. E-mails the applicant, with the comment if any."""
    comment = (comment or "").strip()
    locked = _step(
        grant, to=MobilityStatus.REFUSED, allowed_from=(MobilityStatus.APPLIED,), by=by, comment=comment
    )
    locked.decided_at = timezone.now()
    locked.save(update_fields=["decided_at", "updated_at"])
    body = _("Your application for a stay at %(host)s is not funded.") % {"host": locked.host_institution}
    if comment:
        body += "\n\n" + comment
    email_after_commit(
        subject=_("Your mobility grant application"), body=body, recipients=[locked.applicant.email]
    )
    return locked


# After the stay -----------------------------------------------------------------------------------------


@transaction.atomic
def mobility_stay_done(*, grant: MobilityGrant, by, start_date=None, end_date=None) -> MobilityGrant:
    """The stay took place (on the dates given, if they changed): both dates are today or before."""
    locked = _step(grant, to=MobilityStatus.STAY_DONE, allowed_from=(MobilityStatus.APPROVED,), by=by)
    start = _date("start_date", start_date) if start_date else locked.start_date
    end = _date("end_date", end_date) if end_date else locked.end_date
    if end < start:
        raise ValidationError({"end_date": [_("The stay cannot end before it starts.")]})
    if end > _today():
        raise ValidationError({"end_date": [_("The stay is not over yet: come back after it ends.")]})
    locked.start_date, locked.end_date = start, end
    locked.save(update_fields=["start_date", "end_date", "updated_at"])
    return locked


@transaction.atomic
def mobility_report_submit(*, grant: MobilityGrant, report: str, by) -> MobilityGrant:
    """The report on return is handed in. E-mails the pole's staff, who pay next."""
    report = (report or "").strip()
    if not report:
        raise ValidationError({"report": [_("Write your report on the stay.")]})
    locked = _step(grant, to=MobilityStatus.REPORT_RECEIVED, allowed_from=(MobilityStatus.STAY_DONE,), by=by)
    locked.report, locked.report_received_at = report, timezone.now()
    locked.save(update_fields=["report", "report_received_at", "updated_at"])
    recipients = [
        email for email in _pole_staff(locked.canceropole_id) if email != getattr(by, "email", None)
    ]
    if recipients:
        email_after_commit(
            subject=_("Mobility report received"),
            body=_("%(who)s handed in the report on the stay at %(host)s: the grant can be paid. %(url)s")
            % {"who": locked.applicant, "host": locked.host_institution, "url": _grant_url(locked.pk)},
            recipients=recipients,
        )
    return locked


@transaction.atomic
def mobility_pay(*, grant: MobilityGrant, by, paid_on=None) -> MobilityGrant:
    """The pole pays the grant: the balance of its commitment is paid (funding), the grant is paid."""
    paid_on = _date("paid_on", paid_on) if paid_on else _today()
    locked = _step(grant, to=MobilityStatus.PAID, allowed_from=(MobilityStatus.REPORT_RECEIVED,), by=by)
    commitments = list(Commitment.objects.filter(mobility_grant=locked, kind=CommitmentKind.MOBILITY))
    if not commitments:
        raise TransitionError({"status": [_("This grant has no commitment to pay from.")]})
    for commitment in commitments:
        funding_services.commitment_pay_balance(commitment=commitment, paid_on=paid_on, by=by)
    locked.paid_on = paid_on
    locked.save(update_fields=["paid_on", "updated_at"])
    email_after_commit(
        subject=_("Your mobility grant is paid"),
        body=_("%(amount)s were paid for your stay at %(host)s.")
        % {"amount": euros(locked.amount_approved), "host": locked.host_institution},
        recipients=[locked.applicant.email],
    )
    return locked
