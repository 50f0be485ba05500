from django.db import migrations


def computed(apps, schema_editor):
    """The Émergence entries of the catalogue become computed from the calls (calls/computations.py)."""
    from cop_contracts.reference import apply_declared_indicators

    apply_declared_indicators(apps=apps, app_label="calls")


def entered_by_hand(apps, schema_editor):
    from cop_contracts.registry import declared_indicators

    IndicatorDefinition = apps.get_model("cop_contracts", "IndicatorDefinition")
    codes = [d.code for d in declared_indicators(app_label="calls") if d.definition is None]
    IndicatorDefinition.objects.filter(code__in=codes).update(source="manual", computation="")


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0001_initial"),
        ("cop_contracts", "0006_indicator_definitions_in_french_and_english"),
    ]

    operations = [migrations.RunPython(computed, entered_by_hand)]
