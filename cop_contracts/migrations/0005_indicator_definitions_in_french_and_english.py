from django.db import migrations, models


def load(apps, schema_editor):
    from cop_contracts.reference import load_indicator_catalogue

    load_indicator_catalogue(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("cop_contracts", "0004_transition_by_may_be_the_portal")]

    operations = [
        migrations.RenameField("indicatordefinition", "description", "description_en"),
        migrations.AlterField(
            model_name="indicatordefinition",
            name="description_en",
            field=models.TextField(blank=True, verbose_name="definition (English)"),
        ),
        migrations.AddField(
            model_name="indicatordefinition",
            name="description_fr",
            field=models.TextField(blank=True, verbose_name="definition (French)"),
        ),
        migrations.RenameField("historicalindicatordefinition", "description", "description_en"),
        migrations.AlterField(
            model_name="historicalindicatordefinition",
            name="description_en",
            field=models.TextField(blank=True, verbose_name="definition (English)"),
        ),
        migrations.AddField(
            model_name="historicalindicatordefinition",
            name="description_fr",
            field=models.TextField(blank=True, verbose_name="definition (French)"),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
