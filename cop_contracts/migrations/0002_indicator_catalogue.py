from django.db import migrations


def load(apps, schema_editor):
    from cop_contracts.reference import load_indicator_catalogue

    # The entries the apps compute are applied by their own data migrations, after this one.
    load_indicator_catalogue(apps=apps, declared=False)


class Migration(migrations.Migration):
    dependencies = [("cop_contracts", "0001_initial"), ("canceropoles", "0002_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
