"""COP indicators computed from events and attendance, registered with cop_contracts' registry.

An event counts for every pole that organises it (lead or co-organiser), in the year it starts
(Europe/Paris), once it is over and unless it was cancelled. Participants are the people whose
attendance was recorded. Shares are ratios of participants (numerator / denominator), so that the
national figure is Σ numerators / Σ denominators.

The national catalogue already has events held, participants, working groups and trainings, entered by
hand: each registration below names the entry it now computes. Two shares the catalogue did not have are
declared with their definitions: young researchers among participants, and participants from outside the
pole's regions (``cop_contracts.reference.load_indicator_catalogue`` and the data migration
``events/migrations/0002`` apply these declarations).
"""

from datetime import datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower, TruncDate
from django.utils import timezone

from canceropoles.models import RegionCoverage
from cop_contracts.registry import Computed, register
from events.models import (
    YOUNG_RESEARCHER_STAGES,
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
)

_SHARE = {"unit": "percent", "direction": "increase", "aggregation": "ratio", "official": False}
OUTSIDE_SHARE = {
    **_SHARE,
    "mission": 2,
    "name_fr": "Part des participants aux manifestations venant d'hors des régions du cancéropôle",
    "name_en": "Share of event participants from outside the pole's regions",
    "description_en": "Participants (attendance recorded) whose lab is outside the regions the pole "
    "covers, or abroad / all participants at the pole's events held in the year",
    "description_fr": "Participants (présence enregistrée) dont le laboratoire est hors des régions du "
    "cancéropôle ou à l'étranger / ensemble des participants aux manifestations du cancéropôle tenues "
    "dans l'année",
}
YOUNG_SHARE = {
    **_SHARE,
    "mission": 3,
    "name_fr": "Part des jeunes chercheurs parmi les participants aux manifestations",
    "name_en": "Share of young researchers among event participants",
    "description_en": "Participants (attendance recorded) who are PhD students, post-docs or non-tenured "
    "researchers / all participants at the pole's events held in the year",
    "description_fr": "Participants (présence enregistrée) doctorants, post-doctorants ou chercheurs non "
    "titulaires / ensemble des participants aux manifestations du cancéropôle tenues dans l'année",
}


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def events_held(*, canceropole, year: int) -> QuerySet[Event]:
    """The pole's events (lead or co-organiser) that started in ``year`` and are over, not cancelled."""
    start, end = _year_bounds(year)
    return Event.objects.filter(
        Q(canceropole=canceropole) | Q(co_organisers=canceropole),
        status=EventStatus.PUBLISHED,
        starts_at__gte=start,
        starts_at__lt=end,
        ends_at__lte=timezone.now(),
    ).distinct()


def participants(*, canceropole, year: int) -> QuerySet[Registration]:
    return Registration.objects.filter(
        event__in=events_held(canceropole=canceropole, year=year).values("pk"),
        status=RegistrationStatus.ATTENDED,
    )


def _share(numerator: int, denominator: int, explanation: str) -> Computed:
    if denominator == 0:
        return Computed(explanation=explanation)
    return Computed(
        value=(Decimal(100) * numerator / denominator).quantize(Decimal("0.0001")),
        numerator=Decimal(numerator),
        denominator=Decimal(denominator),
        explanation=explanation,
    )


@register("events_held", indicator="M2_EVENTS")
def events_held_count(*, canceropole, year: int) -> Computed:
    """M2_EVENTS: events organised or co-organised by the pole, held in the year."""
    count = events_held(canceropole=canceropole, year=year).count()
    return Computed(value=Decimal(count), explanation=f"{count} events held in {year}")


@register("trainings_held", indicator="M3_TRAININGS")
def trainings_held_count(*, canceropole, year: int) -> Computed:
    """M3_TRAININGS: trainings organised or co-organised by the pole, held in the year."""
    count = events_held(canceropole=canceropole, year=year).filter(kind=EventKind.TRAINING).count()
    return Computed(value=Decimal(count), explanation=f"{count} trainings held in {year}")


@register("working_groups_active", indicator="M2_WORKING_GROUPS")
def working_groups_active(*, canceropole, year: int) -> Computed:
    """M2_WORKING_GROUPS: working groups or axes with at least one meeting held in the year."""
    groups = (
        events_held(canceropole=canceropole, year=year)
        .filter(kind=EventKind.WORKING_GROUP)
        .exclude(working_group="")
        .annotate(group=Lower("working_group"))
        .values("group")
        .distinct()
        .count()
    )
    return Computed(value=Decimal(groups), explanation=f"{groups} working groups met in {year}")


@register("event_participants", indicator="M2_PARTICIPANTS")
def event_participants(*, canceropole, year: int) -> Computed:
    """M2_PARTICIPANTS: attendances recorded at the pole's events held in the year."""
    count = participants(canceropole=canceropole, year=year).count()
    return Computed(value=Decimal(count), explanation=f"{count} participants recorded in {year}")


@register("event_young_researcher_share", indicator="M3_EVENT_YOUNG_SHARE", definition=YOUNG_SHARE)
def event_young_researcher_share(*, canceropole, year: int) -> Computed:
    """Young researchers (PhD, post-doc, non-tenured) among the participants, in percent."""
    attended = participants(canceropole=canceropole, year=year)
    total = attended.count()
    young = attended.filter(career_stage__in=YOUNG_RESEARCHER_STAGES).count()
    return _share(young, total, f"{young} young researchers among {total} participants in {year}")


@register("event_participants_outside_share", indicator="M2_EVENT_OUTSIDE_SHARE", definition=OUTSIDE_SHARE)
def event_participants_outside_share(*, canceropole, year: int) -> Computed:
    """Participants whose lab is outside the regions the pole covered on the event's day (or abroad)."""
    day = OuterRef("event_day")
    covered = RegionCoverage.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day),
        region=OuterRef("region"),
        canceropole=canceropole,
        valid_from__lte=day,
    )
    attended = participants(canceropole=canceropole, year=year).annotate(
        event_day=TruncDate("event__starts_at"), inside=Exists(covered)
    )
    total = attended.count()
    outside = attended.filter(inside=False).count()
    return _share(
        outside, total, f"{outside} of {total} participants from outside the pole's regions in {year}"
    )
