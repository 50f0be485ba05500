from django.db import migrations


def load(apps, schema_editor):
    from canceropoles.reference import load_network_reference

    load_network_reference(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("canceropoles", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
