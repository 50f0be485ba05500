"""The grants published in the 360Giving standard: what the package holds, its required fields and types
(stated here, so the test runs anywhere), its validation against the standard's own schema when the
reference copy is beside the repository, the CSV, the cache and the public URLs."""

import csv
import io
import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from funding import giving, services
from funding.models import CommitmentKind
from projects.models import MobilityStatus
from tests.calls.factories import CallFactory
from tests.conftest import require
from tests.factories import OrganisationFactory
from tests.funding.factories import AllocationFactory, MobilityGrantFactory, ProjectFactory

pytestmark = pytest.mark.django_db

# The standard's schemas beside the repository (../shared/reference/360giving), or where
# GIVING_SCHEMA_DIR says; they are never copied into the project.
REFERENCE = Path(
    os.environ.get("GIVING_SCHEMA_DIR")
    or Path(settings.BASE_DIR).parent / "shared" / "reference" / "360giving"
)
PACKAGE_URL = (
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json"
)

# The 360Giving 1.4 requirements the portal relies on, stated independently of the reference files: the
# package and every grant's required fields and their types, a funder list with at least one organisation.
ORGANISATION = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
}
DATE = {"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])"}
GRANT = {
    "type": "object",
    "required": [
        "id",
        "title",
        "description",
        "currency",
        "amountAwarded",
        "awardDate",
        "fundingOrganization",
    ],
    "oneOf": [{"required": ["recipientOrganization"]}, {"required": ["recipientIndividual"]}],
    "properties": {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "currency": {"enum": ["EUR"]},
        "amountAwarded": {"type": "number"},
        "awardDate": DATE,
        "fundingOrganization": {"type": "array", "minItems": 1, "items": ORGANISATION},
        "recipientOrganization": {"type": "array", "minItems": 1, "items": ORGANISATION},
        "recipientIndividual": ORGANISATION,
        "grantProgramme": {
            "type": "array",
            "items": {"type": "object", "properties": {"code": {"type": "string"}}},
        },
        "beneficiaryLocation": {"type": "array", "items": {"type": "object"}},
        "plannedDates": {"type": "array", "items": {"type": "object"}},
        "fromOpenCall": {"enum": ["Yes", "No"]},
    },
}
PACKAGE = {
    "type": "object",
    "required": ["grants"],
    "properties": {
        "grants": {"type": "array", "minItems": 1, "uniqueItems": True, "items": GRANT},
        "version": {"type": "string", "pattern": r"^(\d+\.)(\d+)$"},
        "publisher": ORGANISATION | {"required": ["name"]},
        "issued": DATE,
    },
}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def published(coordinator_a, pole_a, region_funder, inca):
    """A call co-funded by INCa and the region with one published award, a project entered directly and
    funded by the region alone, an awarded mobility grant and a refused one."""
    lab = OrganisationFactory(name="Laboratoire de Toulouse", siret="18551277700011", city="Toulouse")
    call = CallFactory(canceropole=pole_a, envelope=Decimal("100000"), reference="GSO-EMERGENCE-2026")
    inca_allocation = AllocationFactory(funder=inca, canceropole=pole_a, amount=Decimal("300000"))
    region_allocation = AllocationFactory(funder=region_funder, canceropole=pole_a, amount=Decimal("300000"))
    for allocation, amount in ((inca_allocation, "50000"), (region_allocation, "50000")):
        services.commitment_create(
            allocation=allocation, kind=CommitmentKind.ENVELOPE, call=call, amount=amount, by=coordinator_a
        )
    award = ProjectFactory(
        canceropole=pole_a, call=call, lab=lab, amount_awarded=Decimal("24000"), published_at=timezone.now()
    )
    services.award_commitments_set(project=award, call=call, amount="24000", by=coordinator_a)
    direct = ProjectFactory(
        canceropole=pole_a, lab=None, amount_awarded=Decimal("5000.50"), published_at=timezone.now()
    )
    services.commitment_create(
        allocation=region_allocation,
        kind=CommitmentKind.PROJECT,
        project=direct,
        amount="5000.50",
        by=coordinator_a,
    )
    ProjectFactory(canceropole=pole_a, published_at=None)  # decision not published: absent
    mobility = MobilityGrantFactory(
        status=MobilityStatus.PAID, amount_approved=Decimal("1500"), decided_at=timezone.now()
    )
    MobilityGrantFactory(status=MobilityStatus.REFUSED)
    return {"award": award, "direct": direct, "mobility": mobility, "lab": lab}


def _by_id(data) -> dict:
    return {grant["id"]: grant for grant in data["grants"]}


def test_package_holds_the_published_grants_only(published):
    data = giving.package()

    grants = _by_id(data)
    assert sorted(grants) == sorted(
        [
            f"360G-canceropoles-GSO-P{published['award'].pk}",
            f"360G-canceropoles-GSO-P{published['direct'].pk}",
            f"360G-canceropoles-GSO-M{published['mobility'].pk}",
        ]
    )


def test_cofunded_award_names_both_funders(published):
    grant = _by_id(giving.package())[f"360G-canceropoles-GSO-P{published['award'].pk}"]

    assert [f["name"] for f in grant["fundingOrganization"]] == [
        "Institut national du cancer",
        "Région Occitanie",
    ]
    assert grant["amountAwarded"] == 24000
    assert grant["currency"] == "EUR"
    assert grant["grantProgramme"] == [
        {"code": "GSO-EMERGENCE-2026", "title": published["award"].call.title_fr}
    ]
    assert grant["recipientOrganization"][0]["id"] == "FR-SIRET-18551277700011"
    assert grant["recipientOrganization"][0]["addressLocality"] == "Toulouse"
    assert grant["plannedDates"] == [{"startDate": "2026-01-01", "endDate": "2026-12-31", "duration": 12}]
    assert grant["fromOpenCall"] == "Yes"


def test_direct_project_without_lab_goes_to_an_individual_and_keeps_its_cents(published):
    grant = _by_id(giving.package())[f"360G-canceropoles-GSO-P{published['direct'].pk}"]

    assert grant["amountAwarded"] == 5000.5
    assert [f["name"] for f in grant["fundingOrganization"]] == ["Région Occitanie"]
    assert grant["recipientIndividual"]["name"] == "Individual recipient"
    assert grant["fromOpenCall"] == "No"


def test_mobility_grant_is_published_without_the_name(published):
    grant = _by_id(giving.package())[f"360G-canceropoles-GSO-M{published['mobility'].pk}"]

    assert grant["recipientIndividual"] == {
        "id": f"360G-canceropoles-GSO-M{published['mobility'].pk}-RECIPIENT",
        "name": "Individual recipient",
    }
    assert str(published["mobility"].applicant) not in json.dumps(grant, ensure_ascii=False)
    assert grant["fundingOrganization"] == [
        {"id": "360G-canceropoles-POLE-GSO", "name": published["mobility"].canceropole.name}
    ]


def test_package_has_the_required_fields_and_types(published):
    jsonschema.validate(giving.package(), PACKAGE)


def test_package_validates_against_the_360giving_schema(published):
    require(REFERENCE.is_dir(), f"the 360Giving schemas in {REFERENCE}")
    import referencing
    from referencing.jsonschema import DRAFT202012

    grant_schema = json.loads((REFERENCE / "360-giving-schema.json").read_text(encoding="utf-8"))
    package_schema = json.loads((REFERENCE / "360-giving-package-schema.json").read_text(encoding="utf-8"))
    # The files name their dialect with http://, which the library does not recognise: say it is 2020-12.
    resource = DRAFT202012.create_resource(grant_schema)
    registry = referencing.Registry().with_resources(
        [(PACKAGE_URL, resource), (grant_schema["$id"], resource)]
    )
    validator = jsonschema.Draft202012Validator(
        package_schema, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )

    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(giving.package())]

    assert errors == []


def test_package_query_count_is_constant(published, django_assert_num_queries):
    ProjectFactory.create_batch(3, published_at=timezone.now(), lab=OrganisationFactory())
    MobilityGrantFactory.create_batch(2, status=MobilityStatus.APPROVED, amount_approved=Decimal("900"))

    # published projects; awarded mobility grants; their commitments (two queries: projects', grants')
    with django_assert_num_queries(4):
        data = giving.package()

    assert len(data["grants"]) == 3 + 3 + 2


def test_csv_has_one_row_per_grant_and_numbered_funders(published):
    rows = list(csv.reader(io.StringIO(giving.as_csv(giving.package()))))

    header, body = rows[0], rows[1:]
    assert header[-4:] == [
        "Funding Org:0:Identifier",
        "Funding Org:0:Name",
        "Funding Org:1:Identifier",
        "Funding Org:1:Name",
    ]
    assert len(body) == 3
    award = next(row for row in body if row[0].endswith(f"P{published['award'].pk}"))
    assert award[header.index("Amount Awarded")] == "24000"
    assert award[-3] == "Institut national du cancer"
    assert award[-1] == "Région Occitanie"


def test_csv_neutralises_formulas(pole_a):
    ProjectFactory(canceropole=pole_a, title='=HYPERLINK("x")', published_at=timezone.now())

    text = giving.as_csv(giving.package())

    assert "'=HYPERLINK" in text


def test_public_urls_serve_the_package_and_its_csv_cached(client, published, django_assert_num_queries):
    first = client.get(reverse("funding:grants_json"))

    assert first.status_code == 200
    assert first["Content-Type"] == "application/json; charset=utf-8"
    assert first["Cache-Control"] == "public, max-age=600"
    assert len(first.json()["grants"]) == 3
    # cached: only the stamp's three aggregates
    with django_assert_num_queries(3):
        again = client.get(reverse("funding:grants_json"))
    assert again.content == first.content
    csv_response = client.get(reverse("funding:grants_csv"))
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response.content.decode().count("\r\n") == 4


def test_cache_is_renewed_when_an_award_changes(client, published):
    client.get(reverse("funding:grants_json"))
    project = published["direct"]
    project.title = "Titre corrigé"
    project.save()

    data = client.get(reverse("funding:grants_json")).json()

    assert _by_id(data)[f"360G-canceropoles-GSO-P{project.pk}"]["title"] == "Titre corrigé"


def test_grants_page_lists_them(client, published):
    response = client.get(reverse("funding:grants"))

    assert response.status_code == 200
    assert response.context["count"] == 3
    assert response.context["cofunded"] == 1


def test_award_date_is_the_publication_date(published):
    grant = _by_id(giving.package())[f"360G-canceropoles-GSO-P{published['award'].pk}"]

    assert date.fromisoformat(grant["awardDate"]) == timezone.localdate(published["award"].published_at)
