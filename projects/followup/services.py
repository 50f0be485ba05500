"""Every write of the follow-up of funded projects: projects entered directly, their team and status,
outcomes, the report schedule, report submission and acceptance, the reminders and the overdue digest.

Each function is keyword-only and atomic, validates its input (ValidationError naming the field) and the
state it starts from (TransitionError naming the field), and sends its e-mails after commit, one per
recipient per act. Who may call which service is decided by projects.followup.rules, before the call.
"""

import re
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from common.errors import TransitionError
from common.notifications import email_after_commit
from funding.money import parse_amount
from projects.models import (
    DOI_VALIDATOR,
    HAL_VALIDATOR,
    Outcome,
    OutcomeKind,
    OverdueDigest,
    ProgressReport,
    Project,
    ProjectMember,
    ReportKind,
    ReportStatus,
)

# A lead is reminded of a report from this many days before it is due, then once a week until it is in.
REMINDER_LEAD_DAYS = 14
REMINDER_INTERVAL_DAYS = 7
# The final report is due this long after the project ends.
FINAL_REPORT_DELAY_DAYS = 60

PROJECT_STATUS_FLOW = {
    Project.Status.AWARDED: {Project.Status.ONGOING, Project.Status.CANCELLED},
    Project.Status.ONGOING: {Project.Status.COMPLETED, Project.Status.CANCELLED},
    Project.Status.COMPLETED: set(),
    Project.Status.CANCELLED: set(),
}


def _text(field: str, raw, *, required: bool = True, max_length: int = 300) -> str:
    value = (raw or "").strip()
    if required and not value:
        raise ValidationError({field: [_("This field is required.")]})
    if len(value) > max_length:
        raise ValidationError({field: [_("Keep it under %(n)s characters.") % {"n": max_length}]})
    return value


def _date(field: str, raw, *, required: bool = False) -> date | None:
    if raw in (None, ""):
        if required:
            raise ValidationError({field: [_("Enter a date as YYYY-MM-DD.")]})
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise ValidationError({field: [_("Enter a date as YYYY-MM-DD.")]}) from None


def _year(field: str, raw) -> int:
    try:
        year = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({field: [_("Enter a year such as 2026.")]}) from None
    if not 2000 <= year <= 2100:
        raise ValidationError({field: [_("Enter a year between 2000 and 2100.")]})
    return year


# Projects entered directly, status, team ----------------------------------------------------------------


@transaction.atomic
def project_create_direct(
    *,
    canceropole,
    title: str,
    amount,
    by,
    lead=None,
    lab=None,
    start_date=None,
    end_date=None,
    publish: bool = True,
) -> Project:
    """Enter a project the pole follows without a call of its own (a national grant won later…).

    Public at once unless ``publish`` is false. Raises ValidationError naming the field. Side effects:
    the project and its history; its money, if the pole commits any, is a commitment in funding.
    """
    title = _text("title", title)
    amount = parse_amount("amount_awarded", amount, allow_zero=True)
    start, end = _date("start_date", start_date), _date("end_date", end_date)
    if start and end and end < start:
        raise ValidationError({"end_date": [_("The project cannot end before it starts.")]})
    return Project.objects.create(
        canceropole=canceropole,
        title=title,
        lead=lead,
        lab=lab,
        amount_awarded=amount,
        start_date=start,
        end_date=end,
        published_at=timezone.now() if publish else None,
    )


@transaction.atomic
def project_set_status(*, project: Project, status: str, by) -> Project:
    """Move a project along awarded → ongoing → completed (or cancelled before completion)."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if status not in Project.Status.values:
        raise ValidationError({"status": [_("Choose a status from the list.")]})
    if status not in PROJECT_STATUS_FLOW[locked.status]:
        raise TransitionError(
            {
                "status": [
                    _("A project %(from)s cannot become %(to)s.")
                    % {
                        "from": locked.get_status_display().lower(),
                        "to": Project.Status(status).label.lower(),
                    }
                ]
            }
        )
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def project_dates_set(*, project: Project, start_date, end_date, by) -> Project:
    start, end = _date("start_date", start_date, required=True), _date("end_date", end_date, required=True)
    if end < start:
        raise ValidationError({"end_date": [_("The project cannot end before it starts.")]})
    locked = Project.objects.select_for_update().get(pk=project.pk)
    locked.start_date, locked.end_date = start, end
    locked.save(update_fields=["start_date", "end_date", "updated_at"])
    return locked


@transaction.atomic
def team_member_add(
    *,
    project: Project,
    first_name: str,
    last_name: str,
    by,
    email: str = "",
    role=ProjectMember.Role.MEMBER,
    lab=None,
) -> ProjectMember:
    member = ProjectMember(
        project=project,
        first_name=_text("first_name", first_name, max_length=100),
        last_name=_text("last_name", last_name, max_length=100),
        email=(email or "").strip().lower(),
        role=role,
        lab=lab,
    )
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def team_member_remove(*, member: ProjectMember, by) -> None:
    member.delete()


# Outcomes -----------------------------------------------------------------------------------------------

DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def normalise_doi(raw: str) -> str:
    """A DOI as stored: without its resolver prefix, lower-case (DOIs are case-insensitive)."""
    return DOI_PREFIX.sub("", (raw or "").strip()).lower()


def _outcome_fields(*, kind: str, data: dict) -> dict:
    """The outcome's fields, checked for its kind; raises ValidationError naming every bad field."""
    if kind not in OutcomeKind.values:
        raise ValidationError({"kind": [_("Choose the kind of outcome.")]})
    errors: dict[str, list[str]] = {}
    fields: dict = {}
    for name, max_length in (("title", 300), ("funder_name", 200), ("programme", 200), ("reference", 80)):
        fields[name] = (data.get(name) or "").strip()[:max_length]
    fields["partner"] = (data.get("partner") or "").strip()[:200]
    if not fields["title"]:
        errors["title"] = [_("This field is required.")]
    try:
        fields["year"] = _year("year", data.get("year"))
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        fields["occurred_on"] = _date("occurred_on", data.get("occurred_on"))
    except ValidationError as error:
        errors.update(error.message_dict)
    fields["doi"] = normalise_doi(data.get("doi") or "")
    fields["hal_id"] = (data.get("hal_id") or "").strip().lower()
    for name, validator in (("doi", DOI_VALIDATOR), ("hal_id", HAL_VALIDATOR)):
        if fields[name]:
            try:
                validator(fields[name])
            except ValidationError as error:
                errors[name] = error.messages
    raw_amount = data.get("amount")
    fields["amount"] = None
    if raw_amount not in (None, ""):
        try:
            fields["amount"] = parse_amount("amount", raw_amount)
        except ValidationError as error:
            errors.update(error.message_dict)
    if kind == OutcomeKind.PUBLICATION and not (fields["doi"] or fields["hal_id"]) and "doi" not in errors:
        errors["doi"] = [_("Enter the publication's DOI or its HAL identifier.")]
    if kind == OutcomeKind.FOLLOW_ON_FUNDING:
        if not fields["funder_name"]:
            errors["funder_name"] = [_("Name the funder of the follow-on grant.")]
        if fields["amount"] is None and "amount" not in errors:
            errors["amount"] = [_("Enter the amount of the follow-on grant.")]
    if errors:
        raise ValidationError(errors)
    return fields


def _save_outcome(outcome: Outcome) -> Outcome:
    try:
        with transaction.atomic():
            outcome.save()
    except IntegrityError:
        field = "doi" if outcome.doi else "hal_id"
        raise ValidationError({field: [_("This publication is already recorded for the project.")]}) from None
    return outcome


@transaction.atomic
def outcome_add(*, project: Project, kind: str, by, **data) -> Outcome:
    """Record what a project produced. ``data``: title, year, occurred_on, doi, hal_id, funder_name,
    programme, amount, reference, partner (as the kind needs). Side effects: the row and its history."""
    fields = _outcome_fields(kind=kind, data=data)
    return _save_outcome(Outcome(project=project, kind=kind, reported_by=by, **fields))


@transaction.atomic
def outcome_update(*, outcome: Outcome, by, **data) -> Outcome:
    locked = Outcome.objects.select_for_update().get(pk=outcome.pk)
    fields = _outcome_fields(kind=data.pop("kind", locked.kind), data=data)
    for name, value in fields.items():
        setattr(locked, name, value)
    return _save_outcome(locked)


@transaction.atomic
def outcome_remove(*, outcome: Outcome, by) -> None:
    Outcome.objects.filter(pk=outcome.pk).delete()


# Reports ------------------------------------------------------------------------------------------------


@transaction.atomic
def report_add(*, project: Project, kind: str, due_on, by) -> ProgressReport:
    """Add a report to the project's schedule. Raises ValidationError naming the field."""
    if kind not in ReportKind.values:
        raise ValidationError({"kind": [_("Choose the kind of report.")]})
    due = _date("due_on", due_on, required=True)
    report, created = ProgressReport.objects.get_or_create(project=project, kind=kind, due_on=due)
    if not created:
        raise ValidationError({"due_on": [_("This report is already scheduled on that date.")]})
    return report


@transaction.atomic
def report_schedule_default(*, project: Project, by) -> list[ProgressReport]:
    """The usual schedule: a progress report halfway through the project and the final report two months
    after it ends. Needs the project's dates; adds only the reports not yet scheduled. Returns the reports
    it added."""
    if project.start_date is None or project.end_date is None:
        raise ValidationError({"start_date": [_("Set the project's start and end dates first.")]})
    midpoint = project.start_date + (project.end_date - project.start_date) / 2
    wanted = [
        (ReportKind.PROGRESS, midpoint),
        (ReportKind.FINAL, project.end_date + timedelta(days=FINAL_REPORT_DELAY_DAYS)),
    ]
    added = []
    for kind, due_on in wanted:
        if not ProgressReport.objects.filter(project=project, kind=kind).exists():
            added.append(ProgressReport.objects.create(project=project, kind=kind, due_on=due_on))
    return added


def _pole_recipients(canceropole_id: int) -> list[str]:
    """The pole's coordinators (its director when it has none)."""
    rows = list(
        Membership.objects.filter(canceropole_id=canceropole_id, user__is_active=True).values_list(
            "role", "user__email"
        )
    )
    coordinators = sorted({email for role, email in rows if role == Membership.Role.COORDINATOR})
    return coordinators or sorted({email for role, email in rows if role == Membership.Role.DIRECTOR})


def _project_url(project_id: int) -> str:
    return getattr(settings, "PORTAL_BASE_URL", "").rstrip("/") + reverse(
        "followup:project", args=[project_id]
    )


@transaction.atomic
def report_submit(*, report: ProgressReport, summary: str, by) -> ProgressReport:
    """The lead hands in a due report. E-mails the pole's coordinators after commit."""
    summary = _text("summary", summary, max_length=20000)
    locked = ProgressReport.objects.select_for_update().select_related("project").get(pk=report.pk)
    if locked.status != ReportStatus.DUE:
        raise TransitionError({"status": [_("This report was already submitted.")]})
    locked.status, locked.summary = ReportStatus.SUBMITTED, summary
    locked.submitted_at, locked.submitted_by = timezone.now(), by
    locked.save(update_fields=["status", "summary", "submitted_at", "submitted_by", "updated_at"])
    recipients = _pole_recipients(locked.project.canceropole_id)
    if recipients:
        email_after_commit(
            subject=_("Report received: %(title)s") % {"title": locked.project.title},
            body=_("The %(kind)s of “%(title)s” was submitted. Read it: %(url)s")
            % {
                "kind": locked.get_kind_display().lower(),
                "title": locked.project.title,
                "url": _project_url(locked.project_id),
            },
            recipients=recipients,
        )
    return locked


@transaction.atomic
def report_accept(*, report: ProgressReport, by) -> ProgressReport:
    """The pole accepts a submitted report."""
    locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if locked.status != ReportStatus.SUBMITTED:
        raise TransitionError({"status": [_("Only a submitted report can be accepted.")]})
    locked.status, locked.accepted_at, locked.accepted_by = ReportStatus.ACCEPTED, timezone.now(), by
    locked.save(update_fields=["status", "accepted_at", "accepted_by", "updated_at"])
    return locked


# Reminders and digests (run by the Celery beat schedule) ------------------------------------------------


def _report_line(report: ProgressReport, today: date) -> str:
    if report.due_on < today:
        when = _("overdue since %(date)s") % {"date": report.due_on.isoformat()}
    else:
        when = _("due on %(date)s") % {"date": report.due_on.isoformat()}
    kind = report.get_kind_display().lower()
    return f"- {report.project.title}: {kind}, {when} ({_project_url(report.project_id)})"


@transaction.atomic
def reports_remind(*, today: date | None = None) -> int:
    """Remind each lead of their reports due within two weeks or overdue: one e-mail per lead listing all
    of them, at most once a week per report. Idempotent within a day (``reminded_on``). Returns the
    number of e-mails sent."""
    today = today or timezone.localdate()
    due = list(
        ProgressReport.objects.select_for_update(of=("self",))
        .filter(
            status=ReportStatus.DUE,
            due_on__lte=today + timedelta(days=REMINDER_LEAD_DAYS),
            project__lead__isnull=False,
            project__lead__is_active=True,
            project__published_at__isnull=False,
        )
        .exclude(project__status=Project.Status.CANCELLED)
        .exclude(reminded_on__gt=today - timedelta(days=REMINDER_INTERVAL_DAYS))
        .select_related("project__lead")
        .order_by("due_on", "id")
    )
    by_lead: dict[str, list[ProgressReport]] = defaultdict(list)
    for report in due:
        by_lead[report.project.lead.email].append(report)
    for email, reports in sorted(by_lead.items()):
        email_after_commit(
            subject=_("Reports to hand in to your cancéropôle"),
            body=_("The following reports of your funded projects are expected:")
            + "\n\n"
            + "\n".join(_report_line(r, today) for r in reports),
            recipients=[email],
        )
    ProgressReport.objects.filter(pk__in=[r.pk for r in due]).update(reminded_on=today)
    return len(by_lead)


@transaction.atomic
def overdue_digest_send(*, today: date | None = None) -> int:
    """Tell each pole's coordinators which reports are overdue: one e-mail per recipient, listing the
    overdue reports of every pole they coordinate. A pole gets one digest a day at most
    (``OverdueDigest``), so a second run the same day sends nothing. Returns the number of e-mails."""
    today = today or timezone.localdate()
    overdue = list(
        ProgressReport.objects.filter(status=ReportStatus.DUE, due_on__lt=today)
        .exclude(project__status=Project.Status.CANCELLED)
        .select_related("project__canceropole")
        .order_by("project__canceropole__code", "due_on", "id")
    )
    by_pole: dict[int, list[ProgressReport]] = defaultdict(list)
    for report in overdue:
        by_pole[report.project.canceropole_id].append(report)
    by_recipient: dict[str, list[ProgressReport]] = defaultdict(list)
    for pole_id, reports in by_pole.items():
        _digest, created = OverdueDigest.objects.get_or_create(
            canceropole_id=pole_id, sent_on=today, defaults={"reports": len(reports)}
        )
        if not created:
            continue
        for email in _pole_recipients(pole_id):
            by_recipient[email].extend(reports)
    for email, reports in sorted(by_recipient.items()):
        lines = [f"[{report.project.canceropole.code}] {_report_line(report, today)}" for report in reports]
        email_after_commit(
            subject=_("Overdue project reports: %(count)s") % {"count": len(reports)},
            body=_("These reports of funded projects are overdue:") + "\n\n" + "\n".join(lines),
            recipients=[email],
        )
    return len(by_recipient)
