"""The catalogue entries the events app computes (idempotent, by code).

The national catalogue (cop_contracts) already has events held, participants, working groups and
trainings, entered by hand: they become computed from the events' data. Two shares the catalogue did
not have are added: young researchers among participants, and participants from outside the pole's
regions. Called by a data migration (historical app registry), by ``seed_demo`` after it reloads the
catalogue, and by the tests that flush the database.
"""

from django.apps import apps as global_apps

COMPUTED = {
    "M2_EVENTS": "events_held",
    "M2_PARTICIPANTS": "event_participants",
    "M2_WORKING_GROUPS": "working_groups_active",
    "M3_TRAININGS": "trainings_held",
}

NEW_INDICATORS = [
    {
        "code": "M2_EVENT_OUTSIDE_SHARE",
        "mission": 2,
        "name_fr": "Part des participants aux manifestations venant d'hors des régions du cancéropôle",
        "name_en": "Share of event participants from outside the pole's regions",
        "description": "Participants (attendance recorded) whose lab is outside the regions the pole covers, "
        "or abroad / all participants at the pole's events held in the year",
        "computation": "event_participants_outside_share",
    },
    {
        "code": "M3_EVENT_YOUNG_SHARE",
        "mission": 3,
        "name_fr": "Part des jeunes chercheurs parmi les participants aux manifestations",
        "name_en": "Share of young researchers among event participants",
        "description": "Participants (attendance recorded) who are PhD students, post-docs or non-tenured "
        "researchers / all participants at the pole's events held in the year",
        "computation": "event_young_researcher_share",
    },
]


def load_event_indicators(*, apps=global_apps) -> None:
    Mission = apps.get_model("canceropoles", "Mission")
    IndicatorDefinition = apps.get_model("cop_contracts", "IndicatorDefinition")
    for code, computation in COMPUTED.items():
        IndicatorDefinition.objects.filter(code=code).update(source="computed", computation=computation)
    missions = {m.number: m for m in Mission.objects.all()}
    for entry in NEW_INDICATORS:
        IndicatorDefinition.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name_fr": entry["name_fr"],
                "name_en": entry["name_en"],
                "description": entry["description"],
                "unit": "percent",
                "mission": missions[entry["mission"]],
                "direction": "increase",
                "aggregation": "ratio",
                "source": "computed",
                "computation": entry["computation"],
                "official": False,
            },
        )


def event_indicators_loaded() -> bool:
    IndicatorDefinition = global_apps.get_model("cop_contracts", "IndicatorDefinition")
    return (
        IndicatorDefinition.objects.filter(code__in=[e["code"] for e in NEW_INDICATORS]).count()
        == len(NEW_INDICATORS)
        and not IndicatorDefinition.objects.filter(code__in=COMPUTED, source="manual").exists()
    )
