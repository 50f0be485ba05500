from django.db import migrations


def link(apps, schema_editor):
    from funding.reference import link_computed_indicators

    link_computed_indicators(apps=apps)


def unlink(apps, schema_editor):
    from funding.reference import computed_indicators

    IndicatorDefinition = apps.get_model("cop_contracts", "IndicatorDefinition")
    IndicatorDefinition.objects.filter(code__in=list(computed_indicators())).update(
        source="manual", computation=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0001_funders_allocations_commitments_disbursements"),
        ("cop_contracts", "0002_indicator_catalogue"),
    ]

    operations = [migrations.RunPython(link, unlink)]
