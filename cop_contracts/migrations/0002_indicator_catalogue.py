from django.db import migrations


def load(apps, schema_editor):
    from cop_contracts.reference import load_indicator_catalogue

    load_indicator_catalogue(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("cop_contracts", "0001_initial"), ("canceropoles", "0002_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
