"""Demo calls for proposals: an Émergence 2026 call per pole and the past Émergence calls 2023-2025.

- 2026, with each pole's published ceiling where the reference data has one (CNO 20 k€ and a 200 k€
  envelope, GSO 25 k€ over 12 months with its budget caps, CLARA's OncoStarter about 40 k€; the other
  poles 30 k€, a demo value): Grand Sud-Ouest's call is closed and in review (reviews submitted, one
  reviewer declared a conflict and was replaced, decisions recorded but not published: the coordinator
  can rank, publish and send the e-mails); Nord-Ouest's is decided and published; CLARA's is open with
  applications in every state before review (draft, submitted, eligible, ineligible, under review with an
  assignment waiting for the expert's conflict declaration, withdrawn); the other poles' are open.
- 2023-2025: one decided call per pole and year whose funded projects and amounts are the pole's COP demo
  figures for M3_EMERGENCE_FUNDED and M3_EMERGENCE_AMOUNT, and whose eligible applications are the
  denominator of M3_EMERGENCE_SUCCESS_RATE.

Rows are written directly, as the transitions the services would record, without sending e-mails.
Deterministic (a seeded generator per call) and idempotent: calls are matched on their reference and
brought back to these dates and rules; a call's applications are created once.
"""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, User
from calls.models import (
    Application,
    ApplicationStatus,
    ApplicationTransition,
    AssignmentStatus,
    BudgetLine,
    Call,
    CallKind,
    CallStatus,
    Criterion,
    Decision,
    OutboxMessage,
    Outcome,
    Recommendation,
    Review,
    ReviewAssignment,
    Reviewer,
    Score,
    TeamMember,
)
from canceropoles.models import Canceropole, Organisation, Person, Region
from cop_contracts.models import IndicatorValue
from projects.models import Project

DEMO_DOMAIN = "demo.canceropoles.fr"
# Pole → (ceiling per application, envelope, budget caps). CNO, GSO, CLARA from their published calls.
RULES = {
    "CNO": (Decimal(20000), Decimal(200000), {}),
    "GSO": (Decimal(25000), Decimal(250000), {"equipment": "0.2", "services": "0.5", "meetings": "0.1"}),
    "CLARA": (Decimal(40000), Decimal(280000), {"equipment": "0.3"}),
}
DEFAULT_RULES = (Decimal(30000), Decimal(180000), {"equipment": "0.3"})
CRITERIA = [
    ("Qualité scientifique et originalité", "Scientific quality and originality", Decimal(2)),
    ("Faisabilité en 12 mois", "Feasibility within 12 months", Decimal(1)),
    ("Caractère émergent et effet levier attendu", "Emergence and expected leverage", Decimal(1)),
]
TOPICS = [
    "Signatures épigénétiques précoces du cancer du pancréas",
    "Immunothérapie adoptive ciblant les gliomes pédiatriques",
    "Exposome professionnel et cancers de la vessie",
    "Biopsie liquide pour le suivi des lymphomes",
    "Radiothérapie vectorisée des tumeurs neuroendocrines",
    "Microbiote intestinal et réponse aux inhibiteurs de checkpoint",
    "Organoïdes de cancer colorectal pour la médecine de précision",
    "Inégalités sociales d'accès au dépistage du cancer du sein",
    "Imagerie moléculaire de l'hypoxie tumorale",
    "Métabolisme lipidique des cellules souches leucémiques",
    "Intelligence artificielle pour l'histopathologie du mélanome",
    "Activité physique adaptée pendant la chimiothérapie",
    "Résistance aux inhibiteurs de PARP dans le cancer de l'ovaire",
    "Nanoparticules pour la thérapie photodynamique",
    "Parcours de soins des adolescents et jeunes adultes",
    "Molécules marines contre le cancer du poumon",
    "Plasticité des fibroblastes associés au cancer",
    "Vaccination thérapeutique dans les cancers ORL HPV+",
]
APPLICANTS = 20  # demo researchers who apply (no login: their accounts have no usable password)
EXTERNAL_EXPERTS = 2  # reviewers from other poles, without login either
ACCOUNTS_WITHOUT_LOGIN = APPLICANTS + EXTERNAL_EXPERTS


def _dt(days: int, hour: int = 12):
    now = timezone.localtime()
    return (now + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def _labs() -> dict[str, Organisation]:
    """A demo lab per pole, in the first region it covers (seed_network's own lab there, if any)."""
    labs = {}
    for pole in Canceropole.objects.order_by("code"):
        region = (
            Region.objects.filter(coverages__canceropole=pole, coverages__valid_to__isnull=True)
            .order_by("insee_code")
            .first()
        )
        existing = (
            Organisation.objects.filter(kind=Organisation.Kind.LAB, region=region).order_by("name").first()
        )
        if existing is None:
            existing, _ = Organisation.objects.update_or_create(
                name=f"Laboratoire démo d'oncologie – {pole.seat_city}",
                defaults={"kind": Organisation.Kind.LAB, "region": region, "city": pole.seat_city},
            )
        labs[pole.code] = existing
    return labs


def _applicants(labs: dict[str, Organisation]) -> list[User]:
    users = []
    poles = sorted(labs)
    for n in range(1, APPLICANTS + 1):
        email = f"chercheur.{n:02d}@{DEMO_DOMAIN}"
        lab = labs[poles[n % len(poles)]]
        person, _ = Person.objects.update_or_create(
            email=email, defaults={"first_name": f"Chercheur {n:02d}", "last_name": "Démo", "lab": lab}
        )
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, first_name=f"Chercheur {n:02d}")
        if user.last_name != "Démo" or user.person_id != person.pk:
            user.last_name, user.person = "Démo", person
            user.save(update_fields=["last_name", "person"])
        users.append(user)
    return users


def _reviewers(labs) -> list[User]:
    """The demo expert and researcher of Lyon and Grenoble, and two external experts without login."""
    experts = list(User.objects.filter(email__in=[f"expert@{DEMO_DOMAIN}", f"chercheur@{DEMO_DOMAIN}"]))
    experts.sort(key=lambda u: u.email, reverse=True)  # expert@ first
    for n, pole in ((1, "EST"), (2, "PACA")):  # EXTERNAL_EXPERTS of them
        email = f"expert.{n}@{DEMO_DOMAIN}"
        person, _ = Person.objects.update_or_create(
            email=email, defaults={"first_name": f"Experte {n}", "last_name": "Externe", "lab": labs[pole]}
        )
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=None, first_name=f"Experte {n}", last_name="Externe", person=person
        )
        experts.append(user)
    return experts


def _call(pole, *, year: int, opens, deadline, status, decided=None) -> Call:
    ceiling, envelope, caps = RULES.get(pole.code, DEFAULT_RULES)
    call, created = Call.objects.update_or_create(
        reference=f"{pole.code}-EMERGENCE-{year}",
        defaults={
            "canceropole": pole,
            "kind": CallKind.EMERGENCE,
            "year": year,
            "title_fr": f"AAP Émergence {year} – {pole.short_name}",
            "title_en": f"Emergence call {year} – {pole.short_name}",
            "text_fr": (
                "Soutien à des projets émergents de 12 mois : prise de risque, preuve de concept, "
                "consolidation de résultats préliminaires avant un appel national."
            ),
            "text_en": (
                "Support for 12-month emerging projects: risk taking, proof of concept, consolidating "
                "preliminary results before a national call."
            ),
            "opens_at": opens,
            "deadline": deadline,
            "envelope": envelope,
            "max_amount": ceiling,
            "max_duration_months": 12,
            "budget_caps": caps,
            "status": status,
            "published_at": opens - timedelta(days=14),
            "decisions_published_at": decided,
        },
    )
    if created or not call.criteria.exists():
        for position, (name_fr, name_en, weight) in enumerate(CRITERIA, start=1):
            Criterion.objects.create(
                call=call, position=position, name_fr=name_fr, name_en=name_en, weight=weight
            )
    return call


def _application(call, applicant, lab, rng, *, status, amount=None, index=0) -> Application:
    amount = amount or Decimal(rng.randrange(int(call.max_amount) // 2, int(call.max_amount) + 1, 500))
    submitted = status != ApplicationStatus.DRAFT
    application = Application.objects.create(
        call=call,
        applicant=applicant,
        title=TOPICS[(index + rng.randrange(len(TOPICS))) % len(TOPICS)],
        lab=lab,
        requested_amount=amount,
        duration_months=12,
        abstract=(
            "Projet émergent de démonstration : hypothèse nouvelle pour l'équipe, étude préliminaire "
            "faisable en un an, effet levier attendu vers un appel national."
        ),
        keywords=rng.choice(["immunologie, lymphomes", "génomique, épigénétique", "imagerie, radiothérapie"]),
        status=status,
        submitted_at=call.deadline - timedelta(days=rng.randrange(1, 20)) if submitted else None,
    )
    BudgetLine.objects.create(application=application, category="consumables", amount=amount * Decimal("0.8"))
    BudgetLine.objects.create(application=application, category="equipment", amount=amount * Decimal("0.2"))
    TeamMember.objects.create(
        application=application,
        first_name=applicant.first_name,
        last_name=applicant.last_name,
        email=applicant.email,
        role=TeamMember.Role.COORDINATOR,
        lab=lab,
    )
    path = {
        ApplicationStatus.DRAFT: [],
        ApplicationStatus.SUBMITTED: ["submitted"],
        ApplicationStatus.ELIGIBLE: ["submitted", "eligible"],
        ApplicationStatus.INELIGIBLE: ["submitted", "ineligible"],
        ApplicationStatus.UNDER_REVIEW: ["submitted", "eligible", "under_review"],
        ApplicationStatus.WITHDRAWN: ["submitted", "withdrawn"],
    }.get(status, ["submitted", "eligible", "under_review", status])
    previous = "draft"
    ApplicationTransition.objects.create(
        application=application, from_status="", to_status="draft", by=applicant
    )
    for step in path:
        comment = "Laboratoire hors du périmètre du cancéropôle." if step == "ineligible" else ""
        ApplicationTransition.objects.create(
            application=application, from_status=previous, to_status=step, by=applicant, comment=comment
        )
        previous = step
    return application


def _decide(application, *, outcome, amount, staff, published_at, rationale="") -> None:
    decision = Decision.objects.create(
        application=application,
        outcome=outcome,
        amount_awarded=amount if outcome == Outcome.FUNDED else Decimal(0),
        rationale=rationale,
        decided_by=staff,
        decided_at=(published_at or timezone.now()) - timedelta(days=7),
        published_at=published_at,
    )
    if outcome == Outcome.FUNDED:
        start = (published_at or application.call.deadline).date() + timedelta(days=60)
        Project.objects.create(
            canceropole=application.call.canceropole,
            call=application.call,
            application=application,
            title=application.title,
            lead=application.applicant,
            lab=application.lab,
            amount_awarded=decision.amount_awarded,
            start_date=start,
            end_date=start + timedelta(days=365),
            status=Project.Status.COMPLETED
            if published_at and published_at.year < 2025
            else Project.Status.ONGOING,
            published_at=published_at,
        )


def _review(assignment, rng, *, level: float, criteria) -> None:
    review = Review.objects.create(
        assignment=assignment,
        comment="Projet original, méthodologie solide ; calendrier ambitieux.",
        recommendation=Recommendation.FUND if level >= 3.5 else Recommendation.DO_NOT_FUND,
        submitted_at=assignment.application.call.deadline + timedelta(days=20),
    )
    total = Decimal(0)
    weights = Decimal(0)
    for criterion in criteria:
        value = Decimal(str(max(0, min(5, round(level + rng.uniform(-0.5, 0.5), 1)))))
        Score.objects.create(review=review, criterion=criterion, value=value)
        total += criterion.weight * value
        weights += criterion.weight
    review.weighted_score = (total / weights).quantize(Decimal("0.001"))
    review.save(update_fields=["weighted_score"])


def _staff(pole, inca) -> User:
    membership = Membership.objects.filter(canceropole=pole).select_related("user").order_by("role").first()
    return membership.user if membership else inca


def _gso_in_review(call, applicants, lab, reviewers, staff, rng) -> None:
    """Closed, six applications reviewed, one conflict declared and reassigned, decisions pending."""
    criteria = list(call.criteria.all())
    for reviewer in reviewers:
        Reviewer.objects.update_or_create(
            canceropole=call.canceropole,
            user=reviewer,
            defaults={"expertise": "immunologie, génomique, imagerie"},
        )
    _application(call, applicants[0], lab, rng, status=ApplicationStatus.DRAFT, index=0)
    _application(call, applicants[1], lab, rng, status=ApplicationStatus.WITHDRAWN, index=1)
    _application(call, applicants[2], lab, rng, status=ApplicationStatus.INELIGIBLE, index=2)
    levels = [4.6, 4.2, 3.9, 3.4, 2.8, 2.2]
    pending = [Outcome.FUNDED, Outcome.FUNDED, Outcome.FUNDED, Outcome.WAITING_LIST, Outcome.REJECTED, None]
    expert, colleague, external_1, external_2 = reviewers
    # The demo researcher of Toulouse leads the first application under review.
    camille = User.objects.filter(email=f"chercheuse@{DEMO_DOMAIN}").first()
    for n, level in enumerate(levels):
        applicant = camille if n == 0 and camille is not None else applicants[3 + n]
        application = _application(
            call,
            applicant,
            lab,
            rng,
            status=ApplicationStatus.UNDER_REVIEW,
            amount=Decimal(20000 + 1000 * n),
            index=3 + n,
        )
        first = expert if n % 2 == 0 else external_1
        second = colleague if n == 0 else external_2
        for reviewer in (first, second):
            assignment = ReviewAssignment.objects.create(
                application=application,
                reviewer=reviewer,
                assigned_by=staff,
                due_date=(call.deadline + timedelta(days=30)).date(),
                status=AssignmentStatus.SUBMITTED,
                coi_declared_at=call.deadline + timedelta(days=2),
            )
            if n == 0 and reviewer == colleague:
                # The declared conflict: a co-author of the applicant; the coordinator reassigned it.
                TeamMember.objects.create(
                    application=application,
                    first_name=colleague.first_name,
                    last_name=colleague.last_name,
                    email="",
                    role=TeamMember.Role.PARTNER,
                    lab=colleague.person.lab if colleague.person else None,
                )
                assignment.status = AssignmentStatus.CONFLICT
                assignment.coi_comment = "Co-auteur d'une publication récente avec le porteur."
                assignment.save(update_fields=["status", "coi_comment"])
                replacement = ReviewAssignment.objects.create(
                    application=application,
                    reviewer=external_2,
                    assigned_by=staff,
                    due_date=(call.deadline + timedelta(days=35)).date(),
                    status=AssignmentStatus.SUBMITTED,
                    coi_declared_at=call.deadline + timedelta(days=5),
                )
                _review(replacement, rng, level=level, criteria=criteria)
                continue
            # One pair of reviews diverges, for the ranking board's flag.
            _review(
                assignment,
                rng,
                level=level if not (n == 3 and reviewer == second) else 1.6,
                criteria=criteria,
            )
        if pending[n] is not None:
            _decide(
                application,
                outcome=pending[n],
                amount=application.requested_amount,
                staff=staff,
                published_at=None,
                rationale="Classement du comité scientifique.",
            )


def _decided(
    call, applicants, lab, staff, rng, *, funded: int, amount: Decimal, eligible: int, published_at
) -> None:
    """A decided and published call: ``funded`` projects sharing ``amount``, a waiting list of one, the
    other eligible applications rejected, and two ineligible ones."""
    per_project = (amount / max(funded, 1)).quantize(Decimal("1"))
    waiting = 1 if eligible > funded else 0
    for n in range(max(eligible, funded)):
        if n < funded:
            outcome = Outcome.FUNDED
            award = per_project if n < funded - 1 else amount - per_project * (funded - 1)
            status = ApplicationStatus.SELECTED
        elif n < funded + waiting:
            outcome, award, status = Outcome.WAITING_LIST, Decimal(0), ApplicationStatus.WAITING_LIST
        else:
            outcome, award, status = Outcome.REJECTED, Decimal(0), ApplicationStatus.REJECTED
        applicant = (
            applicants[n % len(applicants)]
            if n < funded + waiting
            else applicants[rng.randrange(len(applicants))]
        )
        application = _application(
            call, applicant, lab, rng, status=status, amount=max(award, Decimal(15000)), index=n
        )
        if outcome == Outcome.FUNDED:
            application.requested_amount = award
            application.save(update_fields=["requested_amount"])
        _decide(application, outcome=outcome, amount=award, staff=staff, published_at=published_at)
        if outcome != Outcome.REJECTED or n % 5 == 0:
            OutboxMessage.objects.create(
                call=call,
                application=application,
                recipient=application.applicant.email,
                subject=f"{call.reference} : décision sur votre candidature",
                body="Décision du comité scientifique (envoyée).",
                status=OutboxMessage.Status.SENT,
                sent_at=published_at,
                sent_by=staff,
            )
    for n in range(2):
        _application(
            call,
            applicants[(n + 7) % len(applicants)],
            lab,
            rng,
            status=ApplicationStatus.INELIGIBLE,
            index=n,
        )


def _cop_figures(pole, year) -> tuple[int, Decimal, int]:
    """The pole's COP demo figures of a year: Émergence projects funded, amount, eligible applications."""
    values = {
        v.indicator.code: v
        for v in IndicatorValue.objects.filter(
            contract__canceropole=pole,
            year=year,
            indicator__code__in=["M3_EMERGENCE_FUNDED", "M3_EMERGENCE_AMOUNT", "M3_EMERGENCE_SUCCESS_RATE"],
        ).select_related("indicator")
    }
    funded = int(values["M3_EMERGENCE_FUNDED"].value) if "M3_EMERGENCE_FUNDED" in values else 6
    amount = values["M3_EMERGENCE_AMOUNT"].value if "M3_EMERGENCE_AMOUNT" in values else Decimal(150000)
    rate = values.get("M3_EMERGENCE_SUCCESS_RATE")
    eligible = int(rate.denominator) if rate is not None and rate.denominator else funded * 4
    funded = max(1, min(funded, APPLICANTS - 1))
    return funded, Decimal(amount), max(eligible, funded + 1)


@transaction.atomic
def seed_calls(*, inca: User) -> None:
    labs = _labs()
    applicants = _applicants(labs)
    reviewers = _reviewers(labs)
    for pole in Canceropole.objects.order_by("code"):
        staff = _staff(pole, inca)
        lab = labs[pole.code]
        for year in (2023, 2024, 2025):
            opened = timezone.make_aware(datetime(year, 1, 15, 9, 0))
            deadline = timezone.make_aware(datetime(year, 3, 31, 12, 0))
            published = timezone.make_aware(datetime(year, 6, 30, 10, 0))
            call = _call(
                pole, year=year, opens=opened, deadline=deadline, status=CallStatus.DECIDED, decided=published
            )
            funded, amount, eligible = _cop_figures(pole, year)
            if amount > call.envelope or amount / funded > call.max_amount:
                call.envelope = max(call.envelope, amount)
                call.max_amount = max(call.max_amount, (amount / funded).quantize(Decimal("1")) + 1)
                call.save(update_fields=["envelope", "max_amount"])
            if not call.applications.exists():
                rng = random.Random(f"calls-{pole.code}-{year}")
                _decided(
                    call,
                    applicants,
                    lab,
                    staff,
                    rng,
                    funded=funded,
                    amount=amount,
                    eligible=eligible,
                    published_at=published,
                )
        _seed_2026(pole, staff, lab, applicants, reviewers)


def _seed_2026(pole, staff, lab, applicants, reviewers) -> None:
    rng = random.Random(f"calls-{pole.code}-2026")
    if pole.code == "GSO":
        call = _call(pole, year=2026, opens=_dt(-120, 9), deadline=_dt(-60), status=CallStatus.IN_REVIEW)
        if not call.applications.exists():
            _gso_in_review(call, applicants, lab, reviewers, staff, rng)
        return
    if pole.code == "CNO":
        decided = _dt(-30, 10)
        call = _call(
            pole,
            year=2026,
            opens=_dt(-200, 9),
            deadline=_dt(-150),
            status=CallStatus.DECIDED,
            decided=decided,
        )
        if not call.applications.exists():
            _decided(
                call,
                applicants,
                lab,
                staff,
                rng,
                funded=8,
                amount=Decimal(160000),
                eligible=14,
                published_at=decided,
            )
        return
    call = _call(pole, year=2026, opens=_dt(-20, 9), deadline=_dt(40), status=CallStatus.OPEN)
    if call.applications.exists():
        return
    states = [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE]
    # CLARA's call shows every state before the committee; Est's sends one to the demo expert (of Lyon,
    # outside Est), whose first step is the conflict-of-interest declaration.
    reviewer = {"CLARA": reviewers[2], "EST": reviewers[0]}.get(pole.code)
    if pole.code == "CLARA":
        states += [ApplicationStatus.INELIGIBLE, ApplicationStatus.UNDER_REVIEW, ApplicationStatus.WITHDRAWN]
    elif pole.code == "EST":
        states.append(ApplicationStatus.UNDER_REVIEW)
    for n, status in enumerate(states):
        applicant = applicants[10 + n]
        if pole.code == "CLARA" and status == ApplicationStatus.DRAFT:
            applicant = User.objects.filter(email=f"chercheur@{DEMO_DOMAIN}").first() or applicant
        application = _application(call, applicant, lab, rng, status=status, index=n)
        if status == ApplicationStatus.UNDER_REVIEW:
            Reviewer.objects.update_or_create(
                canceropole=pole, user=reviewer, defaults={"expertise": "immunologie"}
            )
            ReviewAssignment.objects.create(
                application=application, reviewer=reviewer, assigned_by=staff, due_date=_dt(70).date()
            )
