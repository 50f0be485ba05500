"""seed_demo's events, and the COP indicators computed from them: for the 7 poles, the registered
computations equal counts made by hand from the seeded rows, and they feed the COP rollups."""

from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from canceropoles.models import Canceropole
from cop_contracts import rollups
from cop_contracts import services as cop_services
from cop_contracts.models import CopContract, IndicatorDefinition, IndicatorRollup, RollupBasis, RollupLevel
from cop_contracts.registry import declared_indicators, get_computation
from events.models import Event, EventKind, EventStatus, Registration, RegistrationStatus
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
YEARS = (2025, 2026)
YOUNG = {"phd", "postdoc", "early_career"}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo data, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield timezone.now()
        transaction.set_rollback(True)


def hand_counts(pole: Canceropole, year: int, now) -> dict:
    """The figures of one pole and year, counted in Python from every seeded row (no ORM filtering)."""
    home = {c.region_id for c in pole.coverages.all() if c.valid_to is None}
    held = [
        e
        for e in Event.objects.prefetch_related("co_organisers", "registrations")
        if e.status == EventStatus.PUBLISHED
        and (e.canceropole_id == pole.pk or pole.pk in {p.pk for p in e.co_organisers.all()})
        and timezone.localtime(e.starts_at).year == year
        and e.ends_at <= now
    ]
    attended = [r for e in held for r in e.registrations.all() if r.status == RegistrationStatus.ATTENDED]
    return {
        "events": len(held),
        "trainings": sum(1 for e in held if e.kind == EventKind.TRAINING),
        "groups": len(
            {e.working_group.lower() for e in held if e.kind == EventKind.WORKING_GROUP and e.working_group}
        ),
        "participants": len(attended),
        "young": sum(1 for r in attended if r.career_stage in YOUNG),
        "outside": sum(1 for r in attended if r.region_id not in home),
    }


def test_seed_gives_each_pole_its_events_with_a_waiting_list_and_attendance(seeded):
    by_pole = Counter(Event.objects.values_list("canceropole__code", flat=True))
    kinds = set(Event.objects.values_list("kind", flat=True))
    full = Event.objects.get(canceropole__code="GSO", title_fr="Formation : rédiger un projet ERC")

    assert by_pole == {"CGO": 6, "CLARA": 6, "CNO": 6, "EST": 6, "GSO": 7, "IDF": 6, "PACA": 6}
    assert {EventKind.SEMINAR, EventKind.TRAINING, EventKind.ANNUAL_MEETING, EventKind.WORKING_GROUP} <= kinds
    assert Event.objects.filter(co_organisers__isnull=False).count() == 7
    assert full.registrations.filter(status=RegistrationStatus.REGISTERED).count() == full.capacity == 12
    assert full.registrations.filter(status=RegistrationStatus.WAITING).count() == 4
    assert (
        Registration.objects.filter(status=RegistrationStatus.ATTENDED, event__ends_at__gt=seeded).count()
        == 0
    )
    assert Registration.objects.filter(status=RegistrationStatus.ATTENDED).count() > 0


def test_demo_researcher_has_a_place_and_a_waiting_place(seeded):
    mine = Registration.objects.filter(user__email="chercheuse@demo.canceropoles.fr").order_by(
        "event__starts_at"
    )

    assert [r.status for r in mine] == [RegistrationStatus.WAITING, RegistrationStatus.REGISTERED]


@pytest.mark.parametrize("year", YEARS)
def test_computed_event_indicators_equal_hand_counts_for_the_seven_poles(seeded, year):
    for pole in Canceropole.objects.prefetch_related("coverages"):
        expected = hand_counts(pole, year, seeded)

        def computed(name, pole=pole):
            return get_computation(name)(canceropole=pole, year=year)

        assert computed("events_held").value == expected["events"], pole.code
        assert computed("trainings_held").value == expected["trainings"], pole.code
        assert computed("working_groups_active").value == expected["groups"], pole.code
        assert computed("event_participants").value == expected["participants"], pole.code
        young = computed("event_young_researcher_share")
        assert (young.numerator, young.denominator) == (expected["young"], expected["participants"]), (
            pole.code
        )
        outside = computed("event_participants_outside_share")
        assert (outside.numerator, outside.denominator) == (expected["outside"], expected["participants"]), (
            pole.code
        )
        assert outside.value == (Decimal(100) * expected["outside"] / expected["participants"]).quantize(
            Decimal("0.0001")
        )


def test_seeded_figures_are_not_trivial(seeded):
    totals = Counter()
    for pole in Canceropole.objects.prefetch_related("coverages"):
        totals.update(hand_counts(pole, 2025, seeded))

    # 7 poles × 4 events held in 2025, plus the 7 co-organised events counted for their co-organiser.
    assert totals["events"] == 35
    assert 0 < totals["young"] < totals["participants"]
    assert 0 < totals["outside"] < totals["participants"]


def registered_by(app_label: str) -> list[str]:
    return [d.computation for d in declared_indicators(app_label=app_label)]


def test_event_catalogue_entries_name_the_registered_computations(seeded):
    computed = dict(
        IndicatorDefinition.objects.filter(
            source="computed", computation__in=registered_by("events")
        ).values_list("code", "computation")
    )

    assert computed == {
        "M2_EVENTS": "events_held",
        "M2_PARTICIPANTS": "event_participants",
        "M2_WORKING_GROUPS": "working_groups_active",
        "M3_TRAININGS": "trainings_held",
        "M2_EVENT_OUTSIDE_SHARE": "event_participants_outside_share",
        "M3_EVENT_YOUNG_SHARE": "event_young_researcher_share",
    }


def test_computed_event_indicators_feed_the_cop_rollups(seeded):
    inca = UserFactory(is_inca_staff=True)
    codes = ["M2_EVENTS", "M2_PARTICIPANTS", "M3_EVENT_YOUNG_SHARE", "M2_EVENT_OUTSIDE_SHARE"]
    indicators = {code: IndicatorDefinition.objects.get(code=code) for code in codes}
    year = 2026
    expected = Counter()
    for contract in CopContract.objects.select_related("canceropole").prefetch_related(
        "canceropole__coverages"
    ):
        pole = contract.canceropole
        coordinator = MembershipFactory(canceropole=pole, role=Membership.Role.COORDINATOR).user
        director = MembershipFactory(canceropole=pole, role=Membership.Role.DIRECTOR).user
        expected.update(hand_counts(pole, year, seeded))
        for indicator in indicators.values():
            value = cop_services.indicator_value_compute(
                contract=contract, indicator=indicator, year=year, by=coordinator
            )
            value = cop_services.indicator_value_submit(value=value, by=coordinator)
            value = cop_services.indicator_value_approve(value=value, by=director)
            cop_services.indicator_value_accept(value=value, by=inca)
    for indicator in indicators.values():
        rollups.indicator_rollup(indicator_id=indicator.pk, year=year)

    def national(code):
        return IndicatorRollup.objects.get(
            indicator=indicators[code], year=year, level=RollupLevel.NATIONAL, basis=RollupBasis.ACCEPTED
        )

    assert national("M2_EVENTS").value == expected["events"]
    assert national("M2_EVENTS").poles_reporting == 7
    assert national("M2_PARTICIPANTS").value == expected["participants"]
    young = national("M3_EVENT_YOUNG_SHARE")
    assert (young.numerator, young.denominator) == (expected["young"], expected["participants"])
    outside = national("M2_EVENT_OUTSIDE_SHARE")
    assert outside.value == (Decimal(100) * expected["outside"] / expected["participants"]).quantize(
        Decimal("0.0001")
    )
