from django.db import migrations


def load(apps, schema_editor):
    from events.catalogue import load_event_indicators

    load_event_indicators(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("cop_contracts", "0002_indicator_catalogue"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
