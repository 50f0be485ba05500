"""The national indicator catalogue, loaded from the reference data (idempotent, by code)."""

from django.apps import apps as global_apps

from canceropoles.reference import reference

# How each catalogue entry is measured and combined; the reference data gives only the published unit.
# Stocks (teams, partners) are "latest"; shares and leverage are ratios of sums; everything else sums.
CATALOGUE_RULES = {
    "M1_TEAMS": {"aggregation": "latest", "source": "computed", "computation": "teams_in_directory"},
    "M1_PARTNERS": {"aggregation": "latest"},
    "M1_COFUNDING_RATIO": {"aggregation": "ratio"},
    "M1_REGIONAL_MAPPING": {"aggregation": "max", "direction": "maintain"},
    "M2_WORKING_GROUPS": {"aggregation": "latest"},
    "M3_LEVERAGE": {"aggregation": "ratio"},
}


def indicator_fields(entry: dict) -> dict:
    unit = entry["unit"]
    fields = {
        "name_fr": entry["name_fr"],
        "name_en": entry["name_en"],
        "description_fr": entry.get("how_computed_fr", ""),
        "description_en": entry["how_computed"],
        "unit": unit,
        "official": entry["official"],
        "aggregation": "ratio" if unit in ("ratio", "percent") else "sum",
        "direction": "increase",
        "source": "manual",
        "computation": "",
    }
    fields.update(CATALOGUE_RULES.get(entry["code"], {}))
    return fields


def load_indicator_catalogue(*, apps=global_apps) -> None:
    Mission = apps.get_model("canceropoles", "Mission")
    IndicatorDefinition = apps.get_model("cop_contracts", "IndicatorDefinition")
    missions = {m.number: m for m in Mission.objects.all()}
    stored = {field.name for field in IndicatorDefinition._meta.get_fields()}
    for entry in reference()["indicators"]:
        fields = indicator_fields(entry)
        if "description" in stored:  # the catalogue as it was before definitions came in two languages
            fields["description"] = fields["description_en"]
        fields = {name: value for name, value in fields.items() if name in stored}
        IndicatorDefinition.objects.update_or_create(
            code=entry["code"], defaults={**fields, "mission": missions[entry["mission"]]}
        )
