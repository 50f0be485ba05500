from django.db import migrations


def load(apps, schema_editor):
    """The catalogue entries the events app computes, as its computations declare them (events/indicators.py)."""
    from cop_contracts.reference import apply_declared_indicators

    apply_declared_indicators(apps=apps, app_label="events")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("cop_contracts", "0006_indicator_definitions_in_french_and_english"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
