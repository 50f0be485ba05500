"""Load the network's reference data (poles, regions, coverage, missions, levers) from reference.json.

Idempotent: rows are matched on their natural keys and updated in place. Called by a data migration
(with the historical app registry) and by ``seed_demo``; tests that flush the database call it again.
"""

import json
from datetime import date
from functools import cache
from pathlib import Path

from django.apps import apps as global_apps

REFERENCE_FILE = Path(__file__).with_name("reference.json")


@cache
def reference() -> dict:
    return json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))


def load_network_reference(*, apps=global_apps) -> None:
    Region = apps.get_model("canceropoles", "Region")
    Canceropole = apps.get_model("canceropoles", "Canceropole")
    RegionCoverage = apps.get_model("canceropoles", "RegionCoverage")
    Mission = apps.get_model("canceropoles", "Mission")
    Lever = apps.get_model("canceropoles", "Lever")
    data = reference()

    poles = {}
    for entry in data["canceropoles"]:
        fields = {k: entry[k] for k in ("name", "short_name", "seat_city", "legal_form", "website")}
        poles[entry["code"]], _ = Canceropole.objects.update_or_create(code=entry["code"], defaults=fields)

    regions = {}
    for entry in data["regions"]:
        fields = {k: entry[k] for k in ("name", "iso_code", "kind")}
        regions[entry["insee_code"]], _ = Region.objects.update_or_create(
            insee_code=entry["insee_code"], defaults=fields
        )

    current_from = date.fromisoformat(data["current_regions_valid_from"])
    coverages = [
        {
            "region": r["insee_code"],
            "canceropole": r["canceropole"],
            "valid_from": current_from,
            "valid_to": None,
        }
        for r in data["regions"]
        if r["canceropole"]
    ] + [
        {
            "region": c["region"],
            "canceropole": c["canceropole"],
            "valid_from": date.fromisoformat(c["valid_from"]),
            "valid_to": date.fromisoformat(c["valid_to"]) if c["valid_to"] else None,
            "note": c["note"],
        }
        for c in data["coverage_history"]
    ]
    for coverage in coverages:
        RegionCoverage.objects.update_or_create(
            region=regions[coverage["region"]],
            canceropole=poles[coverage["canceropole"]],
            valid_from=coverage["valid_from"],
            defaults={"valid_to": coverage["valid_to"], "note": coverage.get("note", "")},
        )

    missions = {}
    for entry in data["missions"]:
        fields = {k: entry[k] for k in ("code", "short_fr", "short_en", "label_fr", "label_en")}
        missions[entry["number"]], _ = Mission.objects.update_or_create(
            number=entry["number"], defaults=fields
        )

    for entry in data["levers"]:
        lever, _ = Lever.objects.update_or_create(
            code=entry["code"], defaults={"label_fr": entry["label_fr"], "label_en": entry["label_en"]}
        )
        lever.missions.set([missions[n] for n in entry["missions"]])
