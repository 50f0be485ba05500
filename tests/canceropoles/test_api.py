"""The public read API of the network (/api/v1/canceropoles/, /regions/, /organisations/) and its schema."""

import json
import re
from datetime import date

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from openapi_spec_validator import validate

from canceropoles.models import Canceropole, Organisation, Region, RegionCoverage
from tests.factories import CanceropoleFactory, OrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db

SEVEN_CODES = ["CGO", "CLARA", "CNO", "EST", "GSO", "IDF", "PACA"]
# INSEE codes no real region uses: extra regions must not collide with the reference data.
UNUSED_INSEE_CODES = ["05", "07", "08"]
PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}


def _codes(response) -> list[str]:
    return sorted(pole["code"] for pole in response.json()["results"])


def test_canceropole_list_returns_the_seven_poles(api_client):
    response = api_client.get(reverse("api:canceropole-list"))

    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["next", "previous", "results"]
    assert _codes(response) == SEVEN_CODES


def test_canceropole_list_gives_code_name_regions_and_website(api_client):
    response = api_client.get(reverse("api:canceropole-list"))

    by_code = {pole["code"]: pole for pole in response.json()["results"]}
    assert by_code["GSO"]["name"] == "Cancéropôle Grand Sud-Ouest"
    assert by_code["GSO"]["website"] == "https://www.canceropole-gso.org"
    # Poitou-Charentes (54) is a former region: GSO covers it through Nouvelle-Aquitaine (75).
    assert by_code["GSO"]["regions"] == ["75", "76"]
    assert by_code["CGO"]["regions"] == ["24", "52", "53"]
    assert by_code["PACA"]["name"] == "Canceropôle Provence-Alpes-Côte d'Azur"
    assert by_code["PACA"]["regions"] == ["93"]
    assert set(by_code["IDF"]) == {
        "code",
        "name",
        "short_name",
        "seat_city",
        "website",
        "legal_form",
        "regions",
    }


def test_canceropole_detail_is_found_by_code(api_client):
    response = api_client.get(reverse("api:canceropole-detail", args=["CLARA"]))

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "CLARA"
    assert body["name"] == "Cancéropôle Lyon Auvergne-Rhône-Alpes"
    assert body["regions"] == ["84"]
    assert body["website"] == "https://www.canceropole-clara.com"


def test_canceropole_detail_of_unknown_code_is_a_problem_404(api_client):
    response = api_client.get(reverse("api:canceropole-detail", args=["NOPE"]))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) == PROBLEM_KEYS
    assert body["status"] == 404
    assert body["errors"] == {}
    assert body["title"] != "Error"  # Django's Http404 is reported like DRF's NotFound


@pytest.mark.parametrize(("region", "codes"), [("76", ["GSO"]), ("54", ["CGO", "GSO"]), ("94", [])])
def test_canceropole_list_filtered_by_region_lists_each_pole_once(api_client, region, codes):
    response = api_client.get(reverse("api:canceropole-list"), {"region": region})

    assert response.status_code == 200
    assert _codes(response) == codes


def test_canceropole_list_pages_follow_next_to_the_end_and_back_by_previous(api_client):
    first = api_client.get(reverse("api:canceropole-list"), {"page_size": 3}).json()

    second = api_client.get(first["next"]).json()
    third = api_client.get(second["next"]).json()
    back = api_client.get(third["previous"]).json()

    assert list(first) == ["next", "previous", "results"]
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/v1/canceropoles/?cursor=")
    names = [pole["name"] for page in (first, second, third) for pole in page["results"]]
    assert [len(page["results"]) for page in (first, second, third)] == [3, 3, 1]
    assert names == sorted(Canceropole.objects.values_list("name", flat=True))
    assert third["next"] is None
    assert back["results"] == second["results"]


def test_region_list_gives_the_pole_covering_each_region_today(api_client):
    response = api_client.get(reverse("api:region-list"))

    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 19
    pole_of = {region["insee_code"]: region["canceropole"] for region in body["results"]}
    assert pole_of["11"] == "IDF"
    assert pole_of["54"] == "GSO"  # moved from Grand Ouest in 2017
    assert pole_of["94"] is None  # Corsica belongs to no cancéropôle
    assert pole_of["01"] is None


def test_region_list_filtered_by_kind(api_client):
    response = api_client.get(reverse("api:region-list"), {"kind": "overseas"})

    assert response.status_code == 200
    assert [region["insee_code"] for region in response.json()["results"]] == ["01", "02", "03", "04", "06"]


def test_region_detail_by_insee_code(api_client):
    response = api_client.get(reverse("api:region-detail", args=["76"]))

    assert response.status_code == 200
    assert response.json() == {
        "insee_code": "76",
        "name": "Occitanie",
        "iso_code": Region.objects.get(insee_code="76").iso_code,
        "kind": "metropolitan",
        "canceropole": "GSO",
    }


def test_organisation_list_gives_identifiers_region_and_parent(api_client):
    occitanie = Region.objects.get(insee_code="76")
    cnrs = OrganisationFactory(name="CNRS", kind=Organisation.Kind.RESEARCH_BODY, ror="02feahw73")
    lab = OrganisationFactory(
        name="Laboratoire de Toulouse", acronym="LT", rnsr="200918479K", region=occitanie, parent=cnrs
    )

    response = api_client.get(reverse("api:organisation-list"), {"region": "76"})

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": lab.pk,
            "name": "Laboratoire de Toulouse",
            "acronym": "LT",
            "kind": "lab",
            "rnsr": "200918479K",
            "ror": "",
            "siret": "",
            "region": "76",
            "city": "",
            "parent": cnrs.pk,
            "website": "",
        }
    ]


def test_organisation_list_filtered_by_kind_and_name(api_client):
    OrganisationFactory(name="Institut Curie", kind=Organisation.Kind.CANCER_CENTRE)
    OrganisationFactory(name="Centre Léon Bérard", kind=Organisation.Kind.CANCER_CENTRE)
    OrganisationFactory(name="Institut Pasteur", kind=Organisation.Kind.RESEARCH_BODY)

    response = api_client.get(reverse("api:organisation-list"), {"kind": "cancer_centre", "name": "institut"})

    assert response.status_code == 200
    assert [o["name"] for o in response.json()["results"]] == ["Institut Curie"]


def test_api_writes_are_refused_to_the_anonymous_and_change_nothing(api_client):
    response = api_client.post(reverse("api:canceropole-list"), {"code": "XX", "name": "Nouveau"})

    assert response.status_code == 403
    assert set(response.json()) == PROBLEM_KEYS
    assert Canceropole.objects.count() == 7


@pytest.mark.parametrize("extra", [0, 3])
def test_canceropole_list_query_count_is_constant(api_client, extra, django_assert_num_queries):
    for code in UNUSED_INSEE_CODES[:extra]:
        region = RegionFactory(insee_code=code)
        RegionCoverage.objects.create(
            region=region, canceropole=CanceropoleFactory(), valid_from=date(2023, 1, 1)
        )

    # the page of poles (no count: cursor pages); their current coverages with the region joined
    with django_assert_num_queries(2):
        response = api_client.get(reverse("api:canceropole-list"))

    assert response.status_code == 200
    assert len(response.json()["results"]) == 7 + extra


@pytest.mark.parametrize("extra", [0, 3])
def test_region_list_query_count_is_constant(api_client, extra, django_assert_num_queries):
    pole = Canceropole.objects.get(code="GSO")
    for code in UNUSED_INSEE_CODES[:extra]:
        region = RegionFactory(insee_code=code)
        RegionCoverage.objects.create(region=region, canceropole=pole, valid_from=date(2023, 1, 1))

    # the page of regions (no count: cursor pages); their current coverages with region and pole joined
    with django_assert_num_queries(2):
        response = api_client.get(reverse("api:region-list"))

    assert response.status_code == 200
    assert len(response.json()["results"]) == 19 + extra


@pytest.mark.parametrize("rows", [1, 4])
def test_organisation_list_query_count_is_constant(api_client, rows, django_assert_num_queries):
    parent = OrganisationFactory(region=Region.objects.get(insee_code="11"))
    OrganisationFactory.create_batch(rows, parent=parent, region=Region.objects.get(insee_code="76"))

    # the page of organisations with region and parent joined (no count: cursor pages)
    with django_assert_num_queries(1):
        response = api_client.get(reverse("api:organisation-list"))

    assert response.status_code == 200
    assert len(response.json()["results"]) == rows + 1


@pytest.mark.parametrize(
    ("url_name", "params", "field"),
    [
        ("api:canceropole-list", {"region": "zz"}, "region"),
        ("api:region-list", {"kind": "nope"}, "kind"),
        ("api:region-list", {"canceropole": "NOPE"}, "canceropole"),
        ("api:organisation-list", {"kind": "nope"}, "kind"),
        ("api:organisation-list", {"region": "zz"}, "region"),
    ],
)
def test_list_with_unknown_filter_value_is_a_problem_400_naming_the_field(
    api_client, url_name, params, field
):
    response = api_client.get(reverse(url_name), params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) == PROBLEM_KEYS
    assert body["type"] == "about:blank"
    assert body["status"] == 400
    assert list(body["errors"]) == [field]
    assert len(body["errors"][field]) == 1
    assert body["detail"] == f"{field}: {body['errors'][field][0]}"


@pytest.mark.parametrize("url_name", ["api:canceropole-list", "api:region-list", "api:organisation-list"])
@pytest.mark.parametrize("cursor", ["abc", "999", "0", "-1"])
def test_list_with_a_cursor_it_did_not_make_is_a_problem_400_naming_the_cursor(api_client, url_name, cursor):
    response = api_client.get(reverse(url_name), {"cursor": cursor})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) == PROBLEM_KEYS
    assert body["status"] == 400
    assert list(body["errors"]) == ["cursor"]


@pytest.mark.parametrize("url_name", ["api:canceropole-list", "api:region-list", "api:organisation-list"])
def test_list_modified_since_gives_the_rows_changed_at_or_after(api_client, url_name):
    future = api_client.get(reverse(url_name), {"modified_since": "2999-01-01T00:00:00Z"})
    past = api_client.get(reverse(url_name), {"modified_since": "2000-01-01T00:00:00+01:00"})
    malformed = api_client.get(reverse(url_name), {"modified_since": "yesterday"})

    assert future.json()["results"] == []
    assert past.json()["results"] == api_client.get(reverse(url_name)).json()["results"]
    assert malformed.status_code == 400
    assert list(malformed.json()["errors"]) == ["modified_since"]


def test_canceropole_list_modified_since_gives_the_pole_just_changed(api_client):
    since = timezone.now()
    pole = Canceropole.objects.get(code="EST")
    pole.seat_city = "Strasbourg"
    pole.save()

    response = api_client.get(reverse("api:canceropole-list"), {"modified_since": since.isoformat()})

    assert _codes(response) == ["EST"]


@pytest.mark.parametrize("page_size", ["abc", "-1", "0", "100000"])
def test_list_with_odd_page_size_falls_back_to_a_valid_page(api_client, page_size):
    response = api_client.get(reverse("api:canceropole-list"), {"page_size": page_size})

    assert response.status_code == 200
    assert _codes(response) == SEVEN_CODES


def test_list_with_unknown_ordering_field_is_ignored(api_client):
    response = api_client.get(reverse("api:canceropole-list"), {"ordering": "password"})

    assert response.status_code == 200
    assert _codes(response) == SEVEN_CODES


def test_list_ordering_by_code(api_client):
    response = api_client.get(reverse("api:canceropole-list"), {"ordering": "-code"})

    assert [pole["code"] for pole in response.json()["results"]] == SEVEN_CODES[::-1]


def test_openapi_schema_is_a_valid_openapi_3_document(api_client):
    response = api_client.get(reverse("schema"), {"format": "json"})

    assert response.status_code == 200
    spec = json.loads(response.content)
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/canceropoles/", "/api/v1/canceropoles/{code}/", "/api/v1/regions/"} <= set(spec["paths"])
    assert "/api/v1/organisations/{id}/" in spec["paths"]


def test_api_docs_page_is_served_by_the_portal_without_script_or_external_file(client):
    response = client.get(reverse("api-docs"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Documentation de l'API</h1>" in html
    assert "/api/v1/values/{id}/accept/" in html
    assert 'id="schema-Problem"' in html
    assert not re.search(r"(?:src|href)=[\"'](?:https?:)?//", html)  # no CDN, no external host
    assert "<script>" not in html  # no inline script: the page is HTML and the portal's stylesheets
    for url in re.findall(r"(?:src|href)=[\"'](/static/[^\"']+)[\"']", html):
        assert finders.find(url.removeprefix("/static/")) is not None, url


@pytest.mark.parametrize(
    "moment", ["0429-02-27T01:55:54.8382+23:50", "5424-05-25T16:18:05-17:50", "0001-01-01T00:00:00+01:00"]
)
def test_list_modified_since_with_an_offset_the_database_refuses_is_a_problem_400_or_a_page(
    api_client, moment
):
    response = api_client.get(reverse("api:region-list"), {"modified_since": moment})

    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert list(response.json()["errors"]) == ["modified_since"]


@pytest.mark.parametrize("path", ["/api/v1/values/0.5/submit/", "/api/v1/nothing/", "/api/v1/regions/a.b/"])
def test_unknown_api_address_is_a_problem_404(api_client, path):
    response = api_client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert set(response.json()) == PROBLEM_KEYS


def test_unknown_page_address_is_still_the_portal_404_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
