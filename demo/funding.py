"""Demo money and follow-up for the 7 poles, 2023-2026: INCa's allocations splitting 5.5 M€ a year across
the poles, regional, métropole and charity co-funding, the envelopes of the poles' Émergence calls with
their awards, projects with outcomes and reports (some overdue), and mobility grants in every state.

Built on the calls' demo data when it is there: every call of a pole gets its envelope from INCa and, for
Émergence calls, from the region, and every funded project of a call draws its award from them. A pole
with no decided Émergence call for 2023, 2024 or 2025 gets one here, with its funded projects (no applications
behind them), so that the budget, the follow-up and the computed indicators have something to show.

Deterministic and idempotent: rows are matched on natural keys (allocations on funder, pole, year and
purpose; envelopes on call and allocation; outcomes on project and DOI; reports on project, kind and
date; grants on session, applicant and host), money goes through the funding services, and workflow
history is written once, when a grant is created.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, User
from canceropoles.models import Canceropole, Organisation, Region
from common.errors import TransitionError
from funding import services as funding_services
from funding.models import Allocation, Commitment, CommitmentKind, Disbursement, Earmark, Funder, FunderKind
from funding.reference import link_computed_indicators
from projects.models import (
    MobilityGrant,
    MobilitySession,
    MobilityStatus,
    MobilityTransition,
    Outcome,
    OutcomeKind,
    ProgressReport,
    Project,
    ReportKind,
    ReportStatus,
)

YEARS = (2023, 2024, 2025, 2026)
# INCa's labelling grant: 5.5 M€ a year for the 7 poles.
INCA_SPLIT = {
    "IDF": 950_000,
    "GSO": 850_000,
    "CLARA": 850_000,
    "CGO": 750_000,
    "EST": 700_000,
    "CNO": 700_000,
    "PACA": 700_000,
}
# Each pole's regional council (name, INSEE region code, yearly amount for Émergence).
REGIONS = {
    "EST": ("Région Grand Est", "44", 250_000),
    "CGO": ("Région Bretagne", "53", 200_000),
    "GSO": ("Région Occitanie", "76", 400_000),
    "IDF": ("Région Île-de-France", "11", 300_000),
    "CLARA": ("Région Auvergne-Rhône-Alpes", "84", 450_000),
    "CNO": ("Région Hauts-de-France", "32", 250_000),
    "PACA": ("Région Provence-Alpes-Côte d'Azur", "93", 250_000),
}
# Charities, métropoles and industry (name, kind, {pole: (yearly amount, earmark, purpose)}).
OTHER_FUNDERS = [
    (
        "Ligue contre le cancer",
        FunderKind.PATIENT_ASSOCIATION,
        {
            "GSO": (40_000, Earmark.MOBILITY, "Bourses de mobilité des jeunes chercheurs"),
            "CLARA": (40_000, Earmark.MOBILITY, "Bourses de mobilité des jeunes chercheurs"),
            "CGO": (30_000, Earmark.MOBILITY, "Bourses de mobilité des jeunes chercheurs"),
        },
    ),
    (
        "Fondation ARC pour la recherche sur le cancer",
        FunderKind.FOUNDATION,
        {
            "IDF": (120_000, Earmark.EVENTS, "Soutien aux séminaires et formations"),
            "PACA": (60_000, Earmark.EVENTS, "Soutien aux séminaires et formations"),
        },
    ),
    (
        "Toulouse Métropole",
        FunderKind.LOCAL_AUTHORITY,
        {"GSO": (50_000, "", "Animation du réseau toulousain")},
    ),
    (
        "Laboratoires Pharma Démo",
        FunderKind.INDUSTRY,
        {"CLARA": (75_000, Earmark.PLATFORMS, "Plateforme de criblage")},
    ),
]
INCA_SHARE_OF_EMERGENCE = Decimal("0.6")
EMERGENCE_KINDS = ("emergence", "emergence_shs", "high_risk", "cross_border")
PROJECT_TITLES = [
    "Signature immunitaire précoce des cancers du pancréas",
    "Biopsie liquide et suivi de la maladie résiduelle",
    "Microenvironnement tumoral et résistance à l'immunothérapie",
    "Épigénétique des gliomes pédiatriques",
]
MOBILITY_HOSTS = [
    ("Deutsches Krebsforschungszentrum", "Heidelberg", "DE"),
    ("Karolinska Institutet", "Stockholm", "SE"),
    ("Institut Curie", "Paris", "FR"),
    ("Memorial Sloan Kettering Cancer Center", "New York", "US"),
    ("Vall d'Hebron Institute of Oncology", "Barcelona", "ES"),
    ("Netherlands Cancer Institute", "Amsterdam", "NL"),
]
DEMO_DOMAIN = "demo.canceropoles.fr"


def _funder(
    name: str, kind: str, *, region_code: str | None = None, organisation_kind: str = "funder"
) -> Funder:
    region = Region.objects.filter(insee_code=region_code).first() if region_code else None
    organisation, _ = Organisation.objects.get_or_create(
        name=name, defaults={"kind": organisation_kind, "region": region}
    )
    funder, _ = Funder.objects.update_or_create(organisation=organisation, defaults={"kind": kind})
    return funder


def _allocation(*, funder, pole, year: int, amount, purpose: str, earmark: str = "", by=None) -> Allocation:
    allocation, created = Allocation.objects.get_or_create(
        funder=funder,
        canceropole=pole,
        year=year,
        purpose=purpose,
        defaults={"amount": Decimal(amount), "earmark": earmark, "created_by": by},
    )
    if not created and (allocation.amount != Decimal(amount) or allocation.earmark != earmark):
        # Brought back to the demo figures (never below what is already committed from it).
        floor = funding_services.committed_on_allocation(allocation.pk)
        allocation.amount, allocation.earmark = max(Decimal(amount), floor), earmark
        allocation.save(update_fields=["amount", "earmark", "updated_at"])
    return allocation


def seed_allocations(poles: dict[str, Canceropole], inca_user) -> None:
    inca = _funder("Institut national du cancer", FunderKind.INCA, region_code="11")
    for year in YEARS:
        for code, amount in INCA_SPLIT.items():
            _allocation(
                funder=inca,
                pole=poles[code],
                year=year,
                amount=amount,
                purpose=f"Dotation de labellisation INCa {year}",
                by=inca_user,
            )
        for code, (name, region_code, amount) in REGIONS.items():
            _allocation(
                funder=_funder(name, FunderKind.REGION, region_code=region_code),
                pole=poles[code],
                year=year,
                amount=amount,
                purpose=f"Soutien régional aux projets Émergence {year}",
                earmark=Earmark.EMERGENCE,
            )
        for name, kind, grants in OTHER_FUNDERS:
            organisation_kind = {
                FunderKind.PATIENT_ASSOCIATION: "association",
                FunderKind.FOUNDATION: "association",
                FunderKind.INDUSTRY: "company",
                FunderKind.LOCAL_AUTHORITY: "public_body",
            }[kind]
            funder = _funder(name, kind, organisation_kind=organisation_kind)
            for code, (amount, earmark, purpose) in grants.items():
                _allocation(
                    funder=funder,
                    pole=poles[code],
                    year=year,
                    amount=amount,
                    purpose=purpose,
                    earmark=earmark,
                )


# Calls, envelopes and awards ------------------------------------------------------------------------------


def _call_model():
    return Commitment._meta.get_field("call").related_model


def _demo_lab(pole: Canceropole, index: int) -> Organisation:
    region = (
        Region.objects.filter(coverages__canceropole=pole, coverages__valid_to__isnull=True)
        .order_by("insee_code")
        .first()
    )
    lab, _ = Organisation.objects.get_or_create(
        name=f"Laboratoire démo {index} – {pole.short_name}",
        defaults={"kind": Organisation.Kind.LAB, "region": region, "city": pole.seat_city},
    )
    return lab


def _fallback_emergence_call(pole: Canceropole, year: int, by):
    """The pole's decided Émergence call of ``year``: the calls' demo one, or one made here with its
    funded projects when there is none."""
    Call = _call_model()
    existing = (
        Call.objects.filter(canceropole=pole, year=year, kind__in=EMERGENCE_KINDS).order_by("id").first()
    )
    if existing is not None:
        return existing
    call = Call.objects.create(
        canceropole=pole,
        kind="emergence",
        reference=f"{pole.code}-EMERGENCE-{year}",
        year=year,
        title_fr=f"Appel à projets Émergence {year}",
        title_en=f"Emergence call {year}",
        text_fr="Soutien à l'émergence de projets de recherche en cancérologie.",
        opens_at=timezone.make_aware(datetime(year - 1, 10, 1, 9, 0)),
        deadline=timezone.make_aware(datetime(year - 1, 12, 1, 12, 0)),
        envelope=Decimal("200000"),
        max_amount=Decimal("25000"),
        max_duration_months=12,
        status="decided",
        published_at=timezone.make_aware(datetime(year - 1, 10, 1, 9, 0)),
        decisions_published_at=timezone.make_aware(datetime(year, 1, 20, 10, 0)),
        created_by=by,
    )
    return call


def _fallback_projects(call, pole: Canceropole, leads: dict[str, User]) -> None:
    """Four funded projects for a call made here (a call of the calls' demo has its own)."""
    if call.reference != f"{pole.code}-EMERGENCE-{call.year}" or Project.objects.filter(call=call).exists():
        return
    published = timezone.make_aware(datetime(call.year, 1, 20, 10, 0))
    for index, title in enumerate(PROJECT_TITLES):
        amount = Decimal(25000 - 2500 * index)
        Project.objects.create(
            canceropole=pole,
            call=call,
            title=f"{title} ({pole.code} {call.year})",
            lead=leads.get(pole.code) if index == 0 else None,
            lab=_demo_lab(pole, index % 2 + 1),
            amount_awarded=amount,
            start_date=date(call.year, 2, 1),
            end_date=date(call.year + 1, 1, 31),
            status=Project.Status.COMPLETED if call.year < 2025 else Project.Status.ONGOING,
            published_at=published,
        )


def _envelopes(call, pole, allocations_by_kind: dict[str, Allocation], by) -> None:
    """The call's envelope: 60 % INCa and 40 % the region for Émergence calls, INCa alone otherwise,
    within what each allocation has left."""
    if Commitment.objects.filter(call=call, kind=CommitmentKind.ENVELOPE).exists():
        return
    is_emergence = call.kind in EMERGENCE_KINDS
    shares = [("inca", call.envelope * INCA_SHARE_OF_EMERGENCE if is_emergence else call.envelope)]
    if is_emergence:
        shares.append(("region", call.envelope - shares[0][1]))
    for key, amount in shares:
        allocation = allocations_by_kind.get(key)
        if allocation is None or amount <= 0:
            continue
        room = allocation.amount - funding_services.committed_on_allocation(allocation.pk)
        amount = min(amount.quantize(Decimal("0.01")), room)
        if amount > 0:
            funding_services.commitment_create(
                allocation=allocation, kind=CommitmentKind.ENVELOPE, call=call, amount=amount, by=by
            )


def seed_calls_money(poles: dict[str, Canceropole], staff: dict[str, User], leads: dict[str, User]) -> None:
    for code, pole in poles.items():
        for year in (2023, 2024, 2025):
            call = _fallback_emergence_call(pole, year, staff.get(code))
            _fallback_projects(call, pole, leads)
        for call in _call_model().objects.filter(canceropole=pole, year__in=YEARS).order_by("year", "id"):
            allocations = {
                "inca": Allocation.objects.filter(
                    canceropole=pole, year=call.year, funder__kind=FunderKind.INCA
                ).first(),
                "region": Allocation.objects.filter(
                    canceropole=pole,
                    year=call.year,
                    funder__kind=FunderKind.REGION,
                    earmark=Earmark.EMERGENCE,
                ).first(),
            }
            _envelopes(call, pole, allocations, staff.get(code))
            for project in (
                Project.objects.filter(call=call).exclude(status=Project.Status.CANCELLED).order_by("id")
            ):
                try:
                    funding_services.award_commitments_set(
                        project=project, call=call, amount=project.amount_awarded, by=staff.get(code)
                    )
                except TransitionError:
                    # The calls' demo awarded beyond what the funders' envelopes hold: left undrawn.
                    continue
                _pay_awards(project, staff.get(code))


def _pay_awards(project: Project, by) -> None:
    """Awards of finished projects are paid in full; ongoing ones get their first instalment (70 %)."""
    for award in Commitment.objects.filter(project=project, kind=CommitmentKind.AWARD):
        if Disbursement.objects.filter(commitment=award).exists():
            continue
        start = project.start_date or date(project.call.year, 2, 1)
        if project.status == Project.Status.COMPLETED:
            funding_services.commitment_pay_balance(
                commitment=award, paid_on=start + timedelta(days=30), by=by
            )
        else:
            first = (award.amount * Decimal("0.7")).quantize(Decimal("0.01"))
            payment = funding_services.disbursement_schedule(
                commitment=award, amount=first, scheduled_on=start + timedelta(days=30), by=by
            )
            funding_services.disbursement_pay(disbursement=payment, paid_on=start + timedelta(days=35), by=by)
            funding_services.disbursement_schedule(
                commitment=award, amount=award.amount - first, scheduled_on=start + timedelta(days=400), by=by
            )


# Follow-up: outcomes and reports --------------------------------------------------------------------------


def seed_followup(poles: dict[str, Canceropole], staff: dict[str, User], leads: dict[str, User]) -> None:
    today = timezone.localdate()
    for shift, (code, pole) in enumerate(poles.items()):
        projects = list(
            Project.objects.filter(
                canceropole=pole, call__year__in=(2023, 2024, 2025), published_at__isnull=False
            )
            .select_related("call")
            .order_by("call__year", "id")
        )
        for index, project in enumerate(projects, start=shift):
            year = project.call.year
            for n in range(1 + index % 3):
                Outcome.objects.get_or_create(
                    project=project,
                    doi=f"10.5555/demo.{code.lower()}.{project.pk}.{n + 1}",
                    defaults={
                        "kind": OutcomeKind.PUBLICATION,
                        "title": f"Article {n + 1} – {project.title}",
                        "year": min(year + 1 + n % 2, today.year),
                    },
                )
            if index % 2 == 0:
                Outcome.objects.get_or_create(
                    project=project,
                    kind=OutcomeKind.FOLLOW_ON_FUNDING,
                    title=f"Financement ANR après Émergence – {project.title}",
                    defaults={
                        "year": min(year + 1, today.year),
                        "funder_name": "Agence nationale de la recherche",
                        "programme": "AAPG – JCJC",
                        "amount": Decimal(150000 + 50000 * (index % 4)),
                    },
                )
            if index % 4 == 1:
                Outcome.objects.get_or_create(
                    project=project,
                    kind=OutcomeKind.PATENT,
                    title=f"Brevet – {project.title}",
                    defaults={
                        "year": min(year + 1, today.year),
                        "reference": f"FR{year + 1}0{project.pk:05d}",
                    },
                )
            if index % 4 == 3:
                Outcome.objects.get_or_create(
                    project=project,
                    kind=OutcomeKind.CLINICAL_TRIAL,
                    title=f"Essai de phase I – {project.title}",
                    defaults={"year": min(year + 2, today.year), "reference": f"NCT0{5000000 + project.pk}"},
                )
            _reports(project, index, staff.get(code), today)
        _direct_project(pole, leads.get(code), staff.get(code), today)


def _reports(project: Project, index: int, accepted_by, today: date) -> None:
    start, end = project.start_date, project.end_date
    schedule = [
        (ReportKind.PROGRESS, start + (end - start) / 2),
        (ReportKind.FINAL, end + timedelta(days=60)),
    ]
    for kind, due_on in schedule:
        report, created = ProgressReport.objects.get_or_create(project=project, kind=kind, due_on=due_on)
        if not created or due_on >= today:
            continue
        # Past reports: most handed in; the final report of every third project is overdue.
        if kind == ReportKind.FINAL and index % 3 == 2:
            continue
        submitted = timezone.make_aware(datetime.combine(due_on - timedelta(days=3), time.min))
        report.status = ReportStatus.ACCEPTED if kind == ReportKind.PROGRESS else ReportStatus.SUBMITTED
        report.summary = "Le projet avance selon le calendrier prévu ; premiers résultats encourageants."
        report.submitted_at, report.submitted_by = submitted, project.lead
        if report.status == ReportStatus.ACCEPTED:
            report.accepted_at, report.accepted_by = submitted + timedelta(days=10), accepted_by
        report.save()


def _direct_project(pole: Canceropole, lead, by, today: date) -> None:
    """A national grant the pole follows (entered directly, funded outside the pole)."""
    project, created = Project.objects.get_or_create(
        canceropole=pole,
        call=None,
        title=f"Projet PLBIO issu d'un Émergence ({pole.code})",
        defaults={
            "lead": lead,
            "lab": _demo_lab(pole, 1),
            "amount_awarded": Decimal("450000"),
            "start_date": date(2026, 1, 1),
            "end_date": date(2029, 12, 31),
            "status": Project.Status.ONGOING,
            "published_at": timezone.make_aware(datetime(2025, 12, 15, 10, 0)),
        },
    )
    # A progress report due within two weeks of today (so the reminders have something to say).
    if created:
        ProgressReport.objects.create(
            project=project, kind=ReportKind.PROGRESS, due_on=today + timedelta(days=10)
        )


# Mobility grants ------------------------------------------------------------------------------------------

SESSIONS = [(1, (1, 1), (4, 30)), (2, (5, 1), (8, 31)), (3, (9, 1), (12, 31))]
# (year, session, status, host index, amount, stay start (month, day), days)
GRANT_PLAN = {
    "full": [
        (2025, 1, MobilityStatus.PAID, 0, 2500, (3, 2), 30),
        (2025, 2, MobilityStatus.PAID, 1, 1800, (6, 9), 21),
        (2026, 1, MobilityStatus.PAID, 2, 1200, (3, 9), 14),
        (2026, 2, MobilityStatus.REPORT_RECEIVED, 3, 2500, (7, 6), 28),
        (2026, 2, MobilityStatus.STAY_DONE, 4, 2000, (9, 14), 21),
        (2026, 3, MobilityStatus.APPROVED, 5, 2200, (1, 11), 30),
        (2026, 3, MobilityStatus.APPLIED, 0, 2500, (2, 8), 30),
        (2026, 3, MobilityStatus.REFUSED, 1, 2500, (1, 18), 60),
        (2026, 3, MobilityStatus.WITHDRAWN, 2, 900, (12, 14), 5),
    ],
    "light": [
        (2025, 2, MobilityStatus.PAID, 1, 2000, (6, 2), 20),
        (2026, 1, MobilityStatus.PAID, 3, 2500, (4, 6), 30),
        (2026, 3, MobilityStatus.APPROVED, 4, 1500, (1, 25), 14),
        (2026, 3, MobilityStatus.APPLIED, 5, 2400, (2, 1), 21),
    ],
}
PATHS = {
    MobilityStatus.APPLIED: [MobilityStatus.APPLIED],
    MobilityStatus.APPROVED: [MobilityStatus.APPLIED, MobilityStatus.APPROVED],
    MobilityStatus.REFUSED: [MobilityStatus.APPLIED, MobilityStatus.REFUSED],
    MobilityStatus.WITHDRAWN: [MobilityStatus.APPLIED, MobilityStatus.WITHDRAWN],
    MobilityStatus.STAY_DONE: [MobilityStatus.APPLIED, MobilityStatus.APPROVED, MobilityStatus.STAY_DONE],
    MobilityStatus.REPORT_RECEIVED: [
        MobilityStatus.APPLIED,
        MobilityStatus.APPROVED,
        MobilityStatus.STAY_DONE,
        MobilityStatus.REPORT_RECEIVED,
    ],
    MobilityStatus.PAID: [
        MobilityStatus.APPLIED,
        MobilityStatus.APPROVED,
        MobilityStatus.STAY_DONE,
        MobilityStatus.REPORT_RECEIVED,
        MobilityStatus.PAID,
    ],
}


def _sessions(pole: Canceropole) -> dict[tuple[int, int], MobilitySession]:
    sessions = {}
    for year in (2025, 2026):
        for number, (open_month, open_day), (close_month, close_day) in SESSIONS:
            sessions[(year, number)], _ = MobilitySession.objects.get_or_create(
                canceropole=pole,
                year=year,
                number=number,
                defaults={
                    "opens_on": date(year, open_month, open_day),
                    "closes_on": date(year, close_month, close_day),
                    "ceiling": Decimal("2500"),
                },
            )
    return sessions


def _mobility_allocation(pole, year: int) -> Allocation | None:
    for earmark in (Earmark.MOBILITY, ""):
        for allocation in Allocation.objects.filter(canceropole=pole, year=year, earmark=earmark).order_by(
            "id"
        ):
            return allocation
    return None


def seed_mobility(poles: dict[str, Canceropole], staff: dict[str, User], applicants: dict[str, User]) -> None:
    for code, pole in poles.items():
        applicant = applicants.get(code) or applicants["default"]
        home_lab = (
            applicant.person.lab if applicant.person_id and applicant.person.lab_id else None
        ) or _demo_lab(pole, 1)
        sessions = _sessions(pole)
        plan = GRANT_PLAN["full" if code in ("GSO", "CLARA") else "light"]
        for year, number, status, host_index, amount, (month, day), days in plan:
            session = sessions[(year, number)]
            start_year = year + 1 if number == 3 and month < 9 else year
            start = date(start_year, month, day)
            host, city, country = MOBILITY_HOSTS[host_index]
            grant, created = MobilityGrant.objects.get_or_create(
                session=session,
                applicant=applicant,
                host_institution=host,
                defaults={
                    "canceropole": pole,
                    "home_lab": home_lab,
                    "host_city": city,
                    "host_country": country,
                    "purpose": f"Séjour de recherche à {host} : apprendre une technique, préparer un projet.",
                    "start_date": start,
                    "end_date": start + timedelta(days=days - 1),
                    "amount_requested": Decimal(amount),
                },
            )
            if created:
                _walk(grant, status, staff.get(code), applicant)


def _walk(grant: MobilityGrant, status: str, staff_user, applicant) -> None:
    """Write the grant's state, its history, and the money of an awarded grant."""
    path = PATHS[status]
    decided = timezone.make_aware(datetime.combine(grant.session.opens_on + timedelta(days=20), time.min))
    previous = ""
    for step in path:
        by = (
            applicant
            if step
            in (
                MobilityStatus.APPLIED,
                MobilityStatus.WITHDRAWN,
                MobilityStatus.STAY_DONE,
                MobilityStatus.REPORT_RECEIVED,
            )
            else staff_user
        )
        MobilityTransition.objects.create(grant=grant, from_status=previous, to_status=step, by=by)
        previous = step
    grant.status = status
    fields = ["status", "updated_at"]
    if MobilityStatus.APPROVED in path or status == MobilityStatus.REFUSED:
        grant.decided_at = decided
        fields.append("decided_at")
    if MobilityStatus.APPROVED in path:
        grant.amount_approved = grant.amount_requested
        fields.append("amount_approved")
    if MobilityStatus.REPORT_RECEIVED in path:
        grant.report = (
            "Séjour très utile : technique maîtrisée, collaboration engagée, un article en préparation."
        )
        grant.report_received_at = timezone.make_aware(
            datetime.combine(grant.end_date + timedelta(days=10), time.min)
        )
        fields += ["report", "report_received_at"]
    if status == MobilityStatus.PAID:
        grant.paid_on = grant.end_date + timedelta(days=30)
        fields.append("paid_on")
    grant.save(update_fields=fields)
    if grant.amount_approved:
        allocation = _mobility_allocation(grant.canceropole, grant.session.year)
        if allocation is None:
            return
        commitment = funding_services.commitment_create(
            allocation=allocation,
            kind=CommitmentKind.MOBILITY,
            mobility_grant=grant,
            amount=grant.amount_approved,
            committed_on=decided.date(),
            by=staff_user,
        )
        if status == MobilityStatus.PAID:
            funding_services.commitment_pay_balance(
                commitment=commitment, paid_on=grant.paid_on, by=staff_user
            )


# Everything -----------------------------------------------------------------------------------------------


@transaction.atomic
def seed_funding() -> None:
    """The demo's money, follow-up and mobility grants (after the network, the COP and the calls)."""
    link_computed_indicators()
    poles = {pole.code: pole for pole in Canceropole.objects.order_by("code")}
    inca_user = User.objects.filter(is_inca_staff=True, email__endswith=DEMO_DOMAIN).order_by("email").first()
    staff = {
        m.canceropole.code: m.user
        for m in Membership.objects.filter(
            role=Membership.Role.COORDINATOR, user__email__endswith=DEMO_DOMAIN
        )
        .select_related("canceropole", "user")
        .order_by("canceropole__code", "user__email")
    }
    researchers = {
        u.email.split("@")[0]: u
        for u in User.objects.filter(email__endswith=DEMO_DOMAIN).select_related("person")
    }
    applicants = {
        "GSO": researchers.get("chercheuse"),
        "CLARA": researchers.get("chercheur"),
        "default": researchers.get("expert") or researchers.get("chercheur"),
    }
    leads = {"GSO": researchers.get("chercheuse"), "CLARA": researchers.get("chercheur")}
    seed_allocations(poles, inca_user)
    seed_calls_money(poles, staff, leads)
    seed_followup(poles, staff, leads)
    seed_mobility(poles, staff, {k: v for k, v in applicants.items() if v is not None})
