"""The national indicator catalogue, loaded from the reference data (idempotent, by code).

On top of the reference entries come the declarations of the registered computations
(``cop_contracts.registry``): an entry an app computes from its own data is computed, not entered by
hand, and the entries an app adds are created. Both the data migrations (historical models) and
``seed_demo`` / the tests (after a flush) load the catalogue through here.
"""

from django.apps import apps as global_apps

from canceropoles.reference import reference
from cop_contracts.registry import declared_indicators

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


def load_indicator_catalogue(*, apps=global_apps, declared: bool = True) -> None:
    """The reference entries, then (unless ``declared`` is False) the registered computations' entries."""
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
    if declared:
        apply_declared_indicators(apps=apps)


def apply_declared_indicators(*, apps=global_apps, app_label: str | None = None) -> None:
    """Make the entries the registered computations measure computed, and create the ones they add.

    ``app_label``: only that app's declarations (its data migration). Idempotent. An entry a declaration
    names that the catalogue lacks, without a definition, is left absent (nothing to replace).
    """
    Mission = apps.get_model("canceropoles", "Mission")
    IndicatorDefinition = apps.get_model("cop_contracts", "IndicatorDefinition")
    stored = {field.name for field in IndicatorDefinition._meta.get_fields()}
    missions = None
    for declaration in declared_indicators(app_label=app_label):
        computed = {"source": "computed", "computation": declaration.computation}
        if declaration.definition is None:
            IndicatorDefinition.objects.filter(code=declaration.code).update(**computed)
            continue
        missions = missions or {m.number: m for m in Mission.objects.all()}
        fields = {**declaration.definition, **computed}
        fields["mission"] = missions[fields["mission"]]
        if "description" in stored:  # the catalogue as it was before definitions came in two languages
            fields["description"] = fields.get("description_en", "")
        fields = {name: value for name, value in fields.items() if name in stored}
        IndicatorDefinition.objects.update_or_create(code=declaration.code, defaults=fields)
