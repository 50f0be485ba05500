"""Demo events of each pole for 2025-2026: a seminar, a training for young researchers, a working-group
meeting, the annual meeting, an event co-organised with the next pole, and for Grand Sud-Ouest a full
training with a waiting list. Registrations come with careers and lab regions; attendance is recorded
for the events that are over.

Deterministic (fixed dates, a seeded generator per event, calendar identifiers derived from a key) and
idempotent: events are matched on their identifier and brought back to the state below; registrations
are created once per event, so a re-run never overwrites what someone did since.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, User
from canceropoles.models import Canceropole, Region
from common.text import folded
from cop_contracts.reference import apply_declared_indicators
from events.models import (
    HOLDS_A_PLACE,
    Audience,
    CareerStage,
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
    RegistrationTransition,
)

PARIS = ZoneInfo("Europe/Paris")
DEMO_NAMESPACE = uuid.UUID("6f1c1d0e-3b7a-4f7e-9a51-0c1e2d3f4a5b")
PARTICIPANT_DOMAIN = "participants.demo.canceropoles.fr"
FIRST_NAMES = [
    "Alice", "Bruno", "Chloé", "David", "Emma", "Farid", "Gaëlle", "Hugo", "Inès", "Jules", "Karim", "Léa",
    "Manon", "Nicolas", "Océane", "Paul", "Quentin", "Rose", "Samir", "Théo", "Ursule", "Victor", "Yasmine",
    "Zoé",
]  # fmt: skip
LAST_NAMES = [
    "Arnaud", "Blanc", "Carpentier", "Dupuis", "Étienne", "Fournier", "Garnier", "Hamel", "Imbert", "Jacob",
    "Klein", "Lemaire", "Marchand", "Noël", "Olivier", "Perrin", "Renaud", "Simon", "Texier", "Vidal",
]  # fmt: skip
# Career stages drawn for participants: about 40 % young researchers.
STAGES = [
    CareerStage.PHD, CareerStage.PHD, CareerStage.POSTDOC, CareerStage.EARLY_CAREER,
    CareerStage.RESEARCHER, CareerStage.RESEARCHER, CareerStage.RESEARCHER, CareerStage.RESEARCHER,
    CareerStage.ENGINEER, CareerStage.OTHER,
]  # fmt: skip
CITY = {
    "EST": "Strasbourg",
    "CGO": "Nantes",
    "GSO": "Toulouse",
    "IDF": "Paris",
    "CLARA": "Lyon",
    "CNO": "Lille",
    "PACA": "Marseille",
}


@dataclass(frozen=True)
class DemoEvent:
    key: str
    kind: str
    audience: str
    title_fr: str
    title_en: str
    start: tuple[int, int, int, int]  # year, month, day, hour (Paris)
    hours: int
    capacity: int | None
    registrations: int
    working_group: str = ""
    co_organised: bool = False
    online: bool = False


EVENTS = [
    DemoEvent(
        "seminar-2025",
        EventKind.SEMINAR,
        Audience.EVERYONE,
        "Séminaire : immunothérapies et microenvironnement tumoral",
        "Seminar: immunotherapies and the tumour microenvironment",
        (2025, 3, 13, 9),
        7,
        80,
        34,
    ),
    DemoEvent(
        "training-2025",
        EventKind.TRAINING,
        Audience.YOUNG_RESEARCHERS,
        "Formation : analyse de données single-cell",
        "Training: single-cell data analysis",
        (2025, 10, 7, 9),
        8,
        20,
        18,
    ),
    DemoEvent(
        "working-group-2025",
        EventKind.WORKING_GROUP,
        Audience.WORKING_GROUP,
        "Réunion du groupe de travail Cancers pédiatriques",
        "Paediatric cancers working group meeting",
        (2025, 11, 18, 14),
        3,
        None,
        12,
        working_group="Cancers pédiatriques",
        online=True,
    ),
    DemoEvent(
        "inter-poles-2025",
        EventKind.WORKSHOP,
        Audience.EVERYONE,
        "Atelier inter-cancéropôles : essais cliniques précoces",
        "Inter-pole workshop: early-phase clinical trials",
        (2025, 12, 4, 9),
        7,
        60,
        26,
        co_organised=True,
    ),
    DemoEvent(
        "annual-2026",
        EventKind.ANNUAL_MEETING,
        Audience.EVERYONE,
        "Journées annuelles du cancéropôle 2026",
        "Annual meeting of the cancéropôle 2026",
        (2026, 6, 11, 9),
        32,
        250,
        60,
    ),
    DemoEvent(
        "working-group-2026",
        EventKind.WORKING_GROUP,
        Audience.WORKING_GROUP,
        "Réunion du groupe de travail Cancers pédiatriques",
        "Paediatric cancers working group meeting",
        (2026, 12, 15, 14),
        3,
        None,
        8,
        working_group="Cancers pédiatriques",
        online=True,
    ),
]
# Grand Sud-Ouest also runs a training that is full, with people waiting.
FULL_EVENT = DemoEvent(
    "full-training-2026",
    EventKind.TRAINING,
    Audience.YOUNG_RESEARCHERS,
    "Formation : rédiger un projet ERC",
    "Training: writing an ERC proposal",
    (2026, 12, 10, 9),
    7,
    12,
    15,
)


def _identifier(pole_code: str, key: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"{pole_code}/{key}")


def _organisers(pole: Canceropole, fallback: User) -> User:
    membership = (
        Membership.objects.filter(canceropole=pole, role=Membership.Role.COORDINATOR)
        .select_related("user")
        .first()
        or Membership.objects.filter(canceropole=pole).select_related("user").first()
    )
    return membership.user if membership else fallback


def _event(pole: Canceropole, spec: DemoEvent, co_organiser: Canceropole | None) -> Event:
    year, month, day, hour = spec.start
    starts = datetime(year, month, day, hour, tzinfo=PARIS)
    ends = starts + timedelta(hours=spec.hours)
    if spec.hours > 24:  # two days: the second ends in the afternoon
        ends = starts.replace(hour=17) + timedelta(days=1)
    city = CITY.get(pole.code, pole.seat_city)
    fields = {
        "canceropole": pole,
        "kind": spec.kind,
        "audience": spec.audience,
        "working_group": spec.working_group,
        "title_fr": spec.title_fr.replace("du cancéropôle", f"du {pole.short_name}"),
        "title_en": spec.title_en.replace("the cancéropôle", pole.short_name),
        "description_fr": (
            f"Organisé par le {pole.short_name}. Programme détaillé et intervenants à venir ; "
            "inscription gratuite mais obligatoire."
        ),
        "description_en": (
            f"Organised by {pole.short_name}. Programme and speakers to come; free registration."
        ),
        "starts_at": starts,
        "ends_at": ends,
        "venue": "" if spec.online else f"Amphithéâtre principal, {city}",
        "city": "" if spec.online else city,
        "online_url": f"https://visio.demo.canceropoles.fr/{pole.code.lower()}-{spec.key}"
        if spec.online
        else "",
        "capacity": spec.capacity,
        "registration_opens_at": starts - timedelta(days=60),
        "registration_closes_at": None,
        "fee": None,
        "status": EventStatus.PUBLISHED,
    }
    event, _ = Event.objects.update_or_create(uid=_identifier(pole.code, spec.key), defaults=fields)
    event.co_organisers.set([co_organiser] if spec.co_organised and co_organiser else [])
    return event


def _participants(
    event: Event, spec: DemoEvent, rng: random.Random, regions: list[Region], home: list[Region]
):
    for number in range(spec.registrations):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        draw = rng.random()
        # Most come from the pole's own regions, some from elsewhere in France, a few from abroad.
        region = rng.choice(home) if draw < 0.65 else (None if draw > 0.93 else rng.choice(regions))
        yield {
            "first_name": first,
            "last_name": last,
            "email": f"{folded(first)}.{folded(last)}.{number}@{PARTICIPANT_DOMAIN}",
            "organisation": f"Laboratoire démo {rng.randint(1, 40)}",
            "region": region,
            "career_stage": rng.choice(STAGES),
        }


def _register(event: Event, people, by: User, *, now: datetime, rng: random.Random) -> None:
    """Registrations in arrival order, a place while places are left, attendance once the event is over."""
    base = event.registration_opens_at or event.starts_at - timedelta(days=30)
    taken = 0
    for index, person in enumerate(people):
        user = person.pop("user", None)
        status = RegistrationStatus.REGISTERED
        if event.capacity is not None and taken >= event.capacity:
            status = RegistrationStatus.WAITING
        else:
            taken += 1
        registration = Registration.objects.create(
            event=event,
            user=user,
            status=status,
            requested_at=base + timedelta(hours=3 * index + 1),
            **person,
        )
        RegistrationTransition.objects.create(
            registration=registration, from_status="", to_status=status, by=by
        )
        if status in HOLDS_A_PLACE and event.ends_at <= now and rng.random() < 0.85:
            registration.status = RegistrationStatus.ATTENDED
            registration.save(update_fields=["status", "updated_at"])
            RegistrationTransition.objects.create(
                registration=registration, from_status=status, to_status=RegistrationStatus.ATTENDED, by=by
            )


def _demo_researchers(pole_code: str, spec: DemoEvent) -> list[dict]:
    """The demo researchers' own registrations, so that "my space" shows a place and a waiting place."""
    wanted = {
        ("GSO", "working-group-2026"): ["chercheuse@demo.canceropoles.fr"],
        ("GSO", "full-training-2026"): ["chercheuse@demo.canceropoles.fr"],  # last: on the waiting list
        ("CLARA", "working-group-2026"): ["chercheur@demo.canceropoles.fr"],
    }
    people = []
    for email in wanted.get((pole_code, spec.key), []):
        user = User.objects.filter(email=email).select_related("person__lab__region").first()
        if user is None:
            continue
        lab = user.person.lab if user.person_id else None
        people.append(
            {
                "user": user,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "organisation": str(lab) if lab else "",
                "region": lab.region if lab else None,
                "career_stage": CareerStage.POSTDOC,
            }
        )
    return people


@transaction.atomic
def seed_events(*, now: datetime | None = None) -> None:
    """Each pole's demo events for 2025-2026 with registrations, a waiting list and attendance."""
    now = now or timezone.now()
    apply_declared_indicators(app_label="events")
    poles = list(Canceropole.objects.order_by("code").prefetch_related("coverages__region"))
    regions = list(Region.objects.filter(kind__in=[Region.Kind.METROPOLITAN]).order_by("insee_code"))
    inca = User.objects.filter(is_inca_staff=True).order_by("pk").first()
    for index, pole in enumerate(poles):
        co_organiser = poles[(index + 1) % len(poles)]
        by = _organisers(pole, inca)
        home = [c.region for c in pole.coverages.all() if c.valid_to is None] or regions
        specs = [*EVENTS, FULL_EVENT] if pole.code == "GSO" else EVENTS
        for spec in specs:
            event = _event(pole, spec, co_organiser)
            if by is None or event.registrations.exists():
                continue
            rng = random.Random(f"events-{pole.code}-{spec.key}")
            people = list(_participants(event, spec, rng, regions, home)) + _demo_researchers(pole.code, spec)
            _register(event, people, by, now=now, rng=rng)
