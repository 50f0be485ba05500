"""Demo COP 2023-2027 for each pole: objectives, actions, targets, and values for 2023-2025 in every status.

Deterministic (a seeded generator per pole) and idempotent: contracts, objectives, actions and targets
are matched on their keys; values and their approval history are created once per contract, so a
re-run never overwrites what someone entered since.
"""

import random
from datetime import date
from decimal import Decimal

from django.db import transaction

from accounts.models import Membership, User
from canceropoles.models import Canceropole, Lever, Mission
from cop_contracts.models import (
    Action,
    CopContract,
    IndicatorDefinition,
    IndicatorValue,
    Objective,
    Target,
    ValueStatus,
    ValueTransition,
)
from cop_contracts.rollups import rollup_all

OBJECTIVES = {
    1: "Structurer et animer l'écosystème régional de recherche en cancérologie",
    2: "Développer les collaborations interdisciplinaires entre équipes du réseau",
    3: "Soutenir l'émergence de projets et accompagner les jeunes chercheurs",
    4: "Favoriser la valorisation scientifique et économique des résultats",
}

# Typical yearly figure of a pole for each indicator (ratios: numerator and denominator).
BASE = {
    "M1_TEAMS": 220,
    "M1_PARTNERS": 18,
    "M1_REGIONAL_MAPPING": 1,
    "M2_EVENTS": 14,
    "M2_PARTICIPANTS": 900,
    "M2_WORKING_GROUPS": 7,
    "M2_COPUBLICATIONS": 40,
    "M3_EMERGENCE_FUNDED": 8,
    "M3_EMERGENCE_AMOUNT": 200000,
    "M3_APPLICATIONS_SUPPORTED": 12,
    "M3_MOBILITY_GRANTS": 10,
    "M3_YOUNG_RESEARCHERS": 55,
    "M3_TRAININGS": 6,
    "M4_PUBLICATIONS": 120,
    "M4_PATENTS": 5,
    "M4_STARTUPS": 1,
    "M4_INDUSTRY_PARTNERSHIPS": 6,
}
RATIO_BASE = {  # (numerator, denominator)
    "M1_COFUNDING_RATIO": (1_500_000, 800_000),
    "M2_MULTISITE_PROJECTS": (9, 14),
    "M2_MULTIDISCIPLINARY": (4, 14),
    "M3_EMERGENCE_SUCCESS_RATE": (8, 45),
    "M3_LEVERAGE": (600_000, 200_000),
    "M3_FOLLOWON_SUCCESS": (5, 12),
    "M4_TRANSFER_RATE": (3, 10),
}
REPORTED_YEARS = (2023, 2024, 2025)


def _status_for(year: int, rng: random.Random) -> str:
    if year == 2023:
        return ValueStatus.ACCEPTED
    if year == 2024:
        return rng.choice(
            [ValueStatus.ACCEPTED, ValueStatus.ACCEPTED, ValueStatus.APPROVED, ValueStatus.SUBMITTED]
        )
    return rng.choice([ValueStatus.DRAFT, ValueStatus.SUBMITTED, ValueStatus.APPROVED, ValueStatus.SENT_BACK])


PATH = {
    ValueStatus.DRAFT: [ValueStatus.DRAFT],
    ValueStatus.SUBMITTED: [ValueStatus.DRAFT, ValueStatus.SUBMITTED],
    ValueStatus.APPROVED: [ValueStatus.DRAFT, ValueStatus.SUBMITTED, ValueStatus.APPROVED],
    ValueStatus.ACCEPTED: [
        ValueStatus.DRAFT,
        ValueStatus.SUBMITTED,
        ValueStatus.APPROVED,
        ValueStatus.ACCEPTED,
    ],
    ValueStatus.SENT_BACK: [ValueStatus.DRAFT, ValueStatus.SUBMITTED, ValueStatus.SENT_BACK],
}


def _actors(pole: Canceropole, inca: User) -> dict[str, User]:
    staff = {m.role: m.user for m in Membership.objects.filter(canceropole=pole).select_related("user")}
    coordinator = staff.get(Membership.Role.COORDINATOR) or staff.get(Membership.Role.DIRECTOR) or inca
    director = staff.get(Membership.Role.DIRECTOR) or coordinator
    return {
        ValueStatus.DRAFT: coordinator,
        ValueStatus.SUBMITTED: coordinator,
        ValueStatus.APPROVED: director,
        ValueStatus.ACCEPTED: inca,
        ValueStatus.SENT_BACK: director,
    }


def _contract(pole: Canceropole, missions: dict[int, Mission], levers: list[Lever]) -> CopContract:
    contract, _ = CopContract.objects.update_or_create(
        canceropole=pole,
        first_year=2023,
        defaults={"last_year": 2027, "status": CopContract.Status.SIGNED, "signed_on": date(2023, 3, 1)},
    )
    objectives = {}
    for number, title in OBJECTIVES.items():
        objectives[number], _ = Objective.objects.update_or_create(
            contract=contract, number=number, defaults={"mission": missions[number], "title": title}
        )
    for lever in levers:
        mission_number = min(m.number for m in lever.missions.all())
        Action.objects.update_or_create(
            objective=objectives[mission_number], lever=lever, defaults={"title": lever.label_fr}
        )
    return contract


def _figures(indicator: IndicatorDefinition, scale: float, year_factor: float) -> dict:
    if indicator.code in RATIO_BASE:
        numerator, denominator = RATIO_BASE[indicator.code]
        num = Decimal(round(numerator * scale * year_factor))
        den = Decimal(max(1, round(denominator * scale)))
        return {
            "numerator": num,
            "denominator": den,
            "value": (num * indicator.scale / den).quantize(Decimal("0.0001")),
        }
    return {"value": Decimal(round(BASE.get(indicator.code, 10) * scale * year_factor))}


@transaction.atomic
def seed_cop(*, inca: User) -> None:
    missions = {m.number: m for m in Mission.objects.all()}
    levers = list(Lever.objects.prefetch_related("missions"))
    indicators = list(IndicatorDefinition.objects.filter(is_active=True).order_by("code"))
    for index, pole in enumerate(Canceropole.objects.order_by("code")):
        rng = random.Random(f"cop-{pole.code}")
        scale = 0.6 + 0.15 * index
        contract = _contract(pole, missions, levers)
        for indicator in indicators:
            for year in contract.years:
                target = _figures(indicator, scale, 1.0 + 0.08 * (year - 2023))["value"]
                Target.objects.update_or_create(
                    contract=contract,
                    indicator=indicator,
                    year=year,
                    defaults={"value": target, "baseline": _figures(indicator, scale, 0.9)["value"]},
                )
        if contract.values.exists():
            continue
        actors = _actors(pole, inca)
        for indicator in indicators:
            for year in REPORTED_YEARS:
                status = _status_for(year, rng)
                figures = _figures(indicator, scale, rng.uniform(0.85, 1.25) + 0.05 * (year - 2023))
                value = IndicatorValue.objects.create(
                    contract=contract, indicator=indicator, year=year, status=status, **figures
                )
                previous = ""
                for step in PATH[status]:
                    comment = (
                        "Merci de joindre la source du chiffre." if step == ValueStatus.SENT_BACK else ""
                    )
                    ValueTransition.objects.create(
                        value=value, from_status=previous, to_status=step, by=actors[step], comment=comment
                    )
                    previous = step
    rollup_all()
