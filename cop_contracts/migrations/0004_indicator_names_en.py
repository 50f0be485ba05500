"""English names of the catalogue that said something else than the French ones (issue #6, §6.3).

The French names are the published ones; the English names now translate them. The names are written
here, not read from the reference file, so that this migration gives the same result whatever the file
says later. Reversing restores the former English names.
"""

from django.db import migrations

NAMES_EN = {
    # code: (former English name, English name that says what the French one says)
    "M1_TEAMS": (
        "Number of teams/researchers in the network",
        "Number of teams/researchers federated in the network",
    ),
    "M1_PARTNERS": (
        "Number of member/partner institutions",
        "Number of member institutions and partners under agreement",
    ),
    "M1_COFUNDING_RATIO": ("Co-funding leverage on INCa grant", "Leverage of regional co-funding"),
    "M1_REGIONAL_MAPPING": (
        "Regional ecosystem mapping delivered",
        "Mapping / inventory of regional research strengths carried out",
    ),
    "M3_EMERGENCE_SUCCESS_RATE": ("Émergence call success rate", "Selection rate of the Émergence call"),
    "M3_LEVERAGE": (
        "Follow-on funding leverage of Émergence projects",
        "Leverage of Émergence projects (funding obtained afterwards)",
    ),
    "M3_APPLICATIONS_SUPPORTED": (
        "Applications coached for national/EU calls and their success rate",
        "Number of applications to national/European calls coached, and success rate",
    ),
    "M3_YOUNG_RESEARCHERS": (
        "Number of young researchers supported",
        "Number of young researchers supported (grants, prizes, mobility, training)",
    ),
    "M4_TRANSFER_RATE": (
        "Transfer project conversion rate (proof of concept)",
        "Conversion rate of transfer projects (proof of concept)",
    ),
}


def rename(apps, schema_editor, *, index: int) -> None:
    IndicatorDefinition = apps.get_model("cop_contracts", "IndicatorDefinition")
    for code, names in NAMES_EN.items():
        IndicatorDefinition.objects.filter(code=code).update(name_en=names[index])


def forwards(apps, schema_editor):
    rename(apps, schema_editor, index=1)


def backwards(apps, schema_editor):
    rename(apps, schema_editor, index=0)


class Migration(migrations.Migration):
    dependencies = [("cop_contracts", "0003_rollup_figures_may_be_blank")]

    operations = [migrations.RunPython(forwards, backwards)]
