from django.db import migrations, models


def load(apps, schema_editor):
    """The definitions of the catalogue in French and English, from the reference data; nothing else."""
    from canceropoles.reference import reference

    IndicatorDefinition = apps.get_model("cop_contracts", "IndicatorDefinition")
    for entry in reference()["indicators"]:
        IndicatorDefinition.objects.filter(code=entry["code"]).update(
            description_fr=entry.get("how_computed_fr", ""), description_en=entry["how_computed"]
        )


class Migration(migrations.Migration):
    dependencies = [("cop_contracts", "0005_merge_20261129_2044")]

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
