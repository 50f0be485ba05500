"""The COP API (/api/v1/indicators/, contracts/, targets/, values/, rollups/): shapes, filters, errors,
the reporting and approval endpoints, query counts and the OpenAPI schema.

Who may do what is pinned persona by persona in test_permissions.py; here each call is made by someone
allowed to make it, and the tests look at what comes back.
"""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from openapi_spec_validator import validate

from accounts import services
from canceropoles.models import Canceropole
from cop_contracts.models import (
    IndicatorDefinition,
    IndicatorValue,
    RollupBasis,
    RollupLevel,
    ValueStatus,
    ValueTransition,
)
from tests.cop_contracts.factories import (
    CopContractFactory,
    IndicatorRollupFactory,
    IndicatorValueFactory,
    TargetFactory,
    indicator,
)
from tests.factories import CanceropoleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}
PAGE_KEYS = ["next", "previous", "results"]
LIST_URLS = [
    "api:indicator-list",
    "api:contract-list",
    "api:target-list",
    "api:indicatorvalue-list",
    "api:rollup-list",
]


CATALOGUE_SIZE = 26


def _problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) == PROBLEM_KEYS
    assert body["status"] == status
    return body


# Shapes -------------------------------------------------------------------------------------------


def test_indicator_list_gives_the_catalogue_entries_in_mission_order(api_client):
    response = api_client.get(reverse("api:indicator-list"))

    assert response.status_code == 200
    body = response.json()
    assert list(body) == PAGE_KEYS
    # The 24 entries of the reference data, and the 2 shares the events app computes from attendance.
    assert len(body["results"]) == CATALOGUE_SIZE
    codes = [row["code"] for row in body["results"]]
    assert codes[0] == "M1_COFUNDING_RATIO"
    assert codes[-1] == "M4_TRANSFER_RATE"
    assert [row["mission"] for row in body["results"]] == sorted(row["mission"] for row in body["results"])


def test_indicator_detail_by_code(api_client):
    response = api_client.get(reverse("api:indicator-detail", args=["M4_TRANSFER_RATE"]))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "code",
        "name_fr",
        "name_en",
        "description",
        "description_fr",
        "description_en",
        "unit",
        "mission",
        "direction",
        "aggregation",
        "source",
        "computation",
        "official",
    }
    assert body["description_fr"] == (
        "Projets orientés vers le transfert ayant abouti à une licence, une start-up, une maturation ou "
        "un essai clinique / ensemble des projets orientés vers le transfert"
    )
    assert (
        body["description"]
        == body["description_en"]
        == "Transfer-oriented projects reaching licence, start-up, maturation or clinical trial / all "
        "transfer-oriented projects"
    )
    assert (body["code"], body["unit"], body["mission"], body["aggregation"], body["source"]) == (
        "M4_TRANSFER_RATE",
        "percent",
        4,
        "ratio",
        "manual",
    )


def test_indicator_detail_of_a_computed_indicator_names_its_computation(api_client):
    body = api_client.get(reverse("api:indicator-detail", args=["M1_TEAMS"])).json()

    assert (body["source"], body["computation"], body["aggregation"]) == (
        "computed",
        "teams_in_directory",
        "latest",
    )


def test_contract_detail_gives_pole_code_and_period(api_client, inca_staff, contract_a):
    api_client.force_authenticate(inca_staff)

    response = api_client.get(reverse("api:contract-detail", args=[contract_a.pk]))

    assert response.json() == {
        "id": contract_a.pk,
        "canceropole": "GSO",
        "first_year": 2023,
        "last_year": 2027,
        "status": "signed",
        "signed_on": None,
    }


def test_target_detail_gives_contract_pole_indicator_and_figures(api_client, contract_a, funded):
    target = TargetFactory(
        contract=contract_a, indicator=funded, year=2026, value=Decimal("8"), baseline=Decimal("2")
    )

    response = api_client.get(reverse("api:target-detail", args=[target.pk]))

    assert response.json() == {
        "id": target.pk,
        "contract": contract_a.pk,
        "canceropole": "GSO",
        "indicator": "M3_YOUNG_RESEARCHERS",
        "year": 2026,
        "value": "8.0000",
        "baseline": "2.0000",
    }


def test_value_detail_gives_pole_indicator_mission_figures_and_status(api_client, contract_a, success_rate):
    value = IndicatorValueFactory(
        contract=contract_a,
        indicator=success_rate,
        year=2025,
        value=Decimal("37.5"),
        numerator=Decimal("3"),
        denominator=Decimal("8"),
        comment="3 projets sur 8",
        status=ValueStatus.ACCEPTED,
    )

    response = api_client.get(reverse("api:indicatorvalue-detail", args=[value.pk]))

    body = response.json()
    assert body.pop("updated_at") is not None
    assert body == {
        "id": value.pk,
        "contract": contract_a.pk,
        "canceropole": "GSO",
        "indicator": "M3_FOLLOWON_SUCCESS",
        "mission": 3,
        "year": 2025,
        "value": "37.5000",
        "numerator": "3.0000",
        "denominator": "8.0000",
        "source": "manual",
        "comment": "3 projets sur 8",
        "status": "accepted",
        "locked": True,
    }


def test_rollup_detail_says_whether_it_is_provisional(api_client, inca_staff, pole_a, funded):
    published = IndicatorRollupFactory(
        indicator=funded, canceropole=pole_a, value=Decimal("4"), target=Decimal("5")
    )
    provisional = IndicatorRollupFactory(
        indicator=funded,
        level=RollupLevel.NATIONAL,
        canceropole=None,
        basis=RollupBasis.PROVISIONAL,
        poles_reporting=3,
    )
    api_client.force_authenticate(inca_staff)

    first = api_client.get(reverse("api:rollup-detail", args=[published.pk])).json()
    second = api_client.get(reverse("api:rollup-detail", args=[provisional.pk])).json()

    assert first.pop("computed_at") is not None
    assert first == {
        "id": published.pk,
        "indicator": "M3_YOUNG_RESEARCHERS",
        "year": 2024,
        "level": "pole",
        "canceropole": "GSO",
        "basis": "accepted",
        "provisional": False,
        "value": "4.0000",
        "numerator": None,
        "denominator": None,
        "target": "5.0000",
        "poles_reporting": 1,
    }
    assert (second["level"], second["canceropole"], second["basis"], second["provisional"]) == (
        "national",
        None,
        "provisional",
        True,
    )
    assert second["poles_reporting"] == 3


# Pagination and filters ---------------------------------------------------------------------------


def test_value_list_pages_by_cursor_in_id_order(api_client, inca_staff, contract_a):
    values = [
        IndicatorValueFactory(contract=contract_a, indicator=indicator(code))
        for code in ["M4_PATENTS", "M4_STARTUPS", "M4_PUBLICATIONS"]
    ]
    api_client.force_authenticate(inca_staff)
    first = api_client.get(reverse("api:indicatorvalue-list"), {"page_size": 2}).json()

    second = api_client.get(first["next"]).json()

    assert list(second) == PAGE_KEYS
    assert [row["id"] for row in first["results"] + second["results"]] == [value.pk for value in values]
    assert second["next"] is None
    assert second["previous"].startswith("http://testserver/api/v1/values/?cursor=")


@pytest.mark.parametrize("url_name", LIST_URLS)
def test_list_with_a_cursor_position_of_the_wrong_type_is_a_problem_400(api_client, url_name):
    response = api_client.get(reverse(url_name), {"cursor": "cD1hYmM="})  # p=abc

    if url_name == "api:indicator-list":  # ordered by code: "abc" is a code's place in that order
        assert response.status_code == 200
    else:
        assert list(_problem(response, 400)["errors"]) == ["cursor"]


def test_value_list_modified_since_gives_the_values_changed_since(api_client, inca_staff, contract_a):
    old = IndicatorValueFactory(contract=contract_a, indicator=indicator("M4_PATENTS"))
    IndicatorValue.objects.filter(pk=old.pk).update(updated_at="2024-01-01T00:00:00Z")
    recent = IndicatorValueFactory(contract=contract_a, indicator=indicator("M4_STARTUPS"))
    api_client.force_authenticate(inca_staff)

    response = api_client.get(reverse("api:indicatorvalue-list"), {"modified_since": "2025-01-01"})

    assert [row["id"] for row in response.json()["results"]] == [recent.pk]


@pytest.mark.parametrize("url_name", LIST_URLS)
def test_every_list_takes_modified_since(api_client, inca_staff, url_name):
    api_client.force_authenticate(inca_staff)

    future = api_client.get(reverse(url_name), {"modified_since": "2999-01-01T00:00:00Z"})
    malformed = api_client.get(reverse(url_name), {"modified_since": "31/01/2026"})

    assert future.json()["results"] == []
    assert list(_problem(malformed, 400)["errors"]) == ["modified_since"]


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"mission": "3"}, ["M3_APPLICATIONS_SUPPORTED", "M3_EMERGENCE_AMOUNT"]),
        ({"unit": "eur"}, ["M3_EMERGENCE_AMOUNT"]),
        ({"source": "computed"}, ["M1_COFUNDING_RATIO", "M1_TEAMS"]),
        ({"mission": "1", "unit": "ratio"}, ["M1_COFUNDING_RATIO"]),
    ],
)
def test_indicator_list_filtered(api_client, params, codes):
    response = api_client.get(reverse("api:indicator-list"), {**params, "page_size": 2})

    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == codes


def test_contract_list_filtered_by_pole_code(api_client, inca_staff, contract_a, contract_b):
    api_client.force_authenticate(inca_staff)

    response = api_client.get(reverse("api:contract-list"), {"canceropole": "CLARA"})

    assert [row["id"] for row in response.json()["results"]] == [contract_b.pk]


def test_target_list_filtered_by_pole_indicator_and_year(api_client, contract_a, contract_b, funded):
    wanted = TargetFactory(contract=contract_a, indicator=funded, year=2025)
    TargetFactory(contract=contract_a, indicator=funded, year=2024)
    TargetFactory(contract=contract_b, indicator=funded, year=2025)
    TargetFactory(contract=contract_a, indicator=indicator("M4_PATENTS"), year=2025)

    response = api_client.get(
        reverse("api:target-list"),
        {"canceropole": "GSO", "indicator": "M3_YOUNG_RESEARCHERS", "year": "2025"},
    )

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"canceropole": "CLARA"}, ["b_2024"]),
        ({"indicator": "M4_PATENTS"}, ["a_patents"]),
        ({"mission": "4"}, ["a_patents"]),
        ({"year": "2025"}, ["a_2025"]),
        ({"status": "submitted"}, ["a_2025"]),
        ({"canceropole": "GSO", "year": "2024", "mission": "3"}, ["a_2024"]),
    ],
)
def test_value_list_filtered(api_client, inca_staff, contract_a, contract_b, funded, params, expected):
    values = {
        "a_2024": IndicatorValueFactory(contract=contract_a, indicator=funded, year=2024),
        "a_2025": IndicatorValueFactory(
            contract=contract_a, indicator=funded, year=2025, status=ValueStatus.SUBMITTED
        ),
        "a_patents": IndicatorValueFactory(contract=contract_a, indicator=indicator("M4_PATENTS"), year=2026),
        "b_2024": IndicatorValueFactory(contract=contract_b, indicator=funded, year=2024),
    }
    name_of = {value.pk: name for name, value in values.items()}
    api_client.force_authenticate(inca_staff)

    response = api_client.get(reverse("api:indicatorvalue-list"), params)

    assert response.status_code == 200
    assert sorted(name_of[row["id"]] for row in response.json()["results"]) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"level": "national"}, ["national", "provisional"]),
        ({"level": "pole"}, ["gso"]),
        ({"canceropole": "GSO"}, ["gso"]),
        ({"basis": "provisional"}, ["provisional"]),
        ({"year": "2025"}, ["gso"]),
        ({"indicator": "M4_PATENTS"}, ["provisional"]),
    ],
)
def test_rollup_list_filtered(api_client, inca_staff, pole_a, funded, params, expected):
    rows = {
        "gso": IndicatorRollupFactory(indicator=funded, canceropole=pole_a, year=2025),
        "national": IndicatorRollupFactory(indicator=funded, level=RollupLevel.NATIONAL, canceropole=None),
        "provisional": IndicatorRollupFactory(
            indicator=indicator("M4_PATENTS"),
            level=RollupLevel.NATIONAL,
            canceropole=None,
            basis=RollupBasis.PROVISIONAL,
        ),
    }
    name_of = {row.pk: name for name, row in rows.items()}
    api_client.force_authenticate(inca_staff)

    response = api_client.get(reverse("api:rollup-list"), params)

    assert sorted(name_of[row["id"]] for row in response.json()["results"]) == expected


@pytest.mark.parametrize(
    ("url_name", "params", "field"),
    [
        ("api:indicator-list", {"mission": "9"}, "mission"),
        ("api:indicator-list", {"unit": "kg"}, "unit"),
        ("api:indicator-list", {"source": "guess"}, "source"),
        ("api:contract-list", {"canceropole": "NOPE"}, "canceropole"),
        ("api:target-list", {"indicator": "M9_NOPE"}, "indicator"),
        ("api:target-list", {"year": "2019"}, "year"),
        ("api:indicatorvalue-list", {"canceropole": "NOPE"}, "canceropole"),
        ("api:indicatorvalue-list", {"indicator": "M9_NOPE"}, "indicator"),
        ("api:indicatorvalue-list", {"mission": "abc"}, "mission"),
        ("api:indicatorvalue-list", {"year": "abc"}, "year"),
        ("api:indicatorvalue-list", {"status": "published"}, "status"),
        ("api:rollup-list", {"level": "regional"}, "level"),
        ("api:rollup-list", {"basis": "draft"}, "basis"),
        ("api:rollup-list", {"year": "2031"}, "year"),
        ("api:rollup-list", {"canceropole": "NOPE"}, "canceropole"),
    ],
)
def test_list_with_unknown_filter_value_is_a_problem_400_naming_the_field(
    api_client, inca_staff, url_name, params, field
):
    api_client.force_authenticate(inca_staff)

    response = api_client.get(reverse(url_name), params)

    body = _problem(response, 400)
    assert list(body["errors"]) == [field]
    assert body["detail"] == f"{field}: {body['errors'][field][0]}"


@pytest.mark.parametrize("url_name", LIST_URLS)
@pytest.mark.parametrize("cursor", ["abc", "999"])
def test_list_with_a_malformed_cursor_is_a_problem_400_naming_it(api_client, inca_staff, url_name, cursor):
    api_client.force_authenticate(inca_staff)

    response = api_client.get(reverse(url_name), {"cursor": cursor})

    assert list(_problem(response, 400)["errors"]) == ["cursor"]


@pytest.mark.parametrize(
    "url_name", ["api:indicatorvalue-detail", "api:contract-detail", "api:rollup-detail"]
)
@pytest.mark.parametrize("pk", ["999999", "abc"])
def test_detail_of_an_unknown_id_is_a_problem_404(api_client, inca_staff, url_name, pk):
    api_client.force_authenticate(inca_staff)

    response = api_client.get(reverse(url_name, args=[pk]))

    _problem(response, 404)


# Reporting and the approval steps -----------------------------------------------------------------


def test_value_create_returns_201_and_the_new_draft(api_client, coordinator_a, contract_a, success_rate):
    api_client.force_authenticate(coordinator_a)

    response = api_client.post(
        reverse("api:indicatorvalue-list"),
        {
            "contract": contract_a.pk,
            "indicator": "M3_EMERGENCE_SUCCESS_RATE",
            "year": 2025,
            "numerator": 3,
            "denominator": 8,
            "comment": "3 projets retenus sur 8 déposés",
        },
    )

    assert response.status_code == 201
    body = response.json()
    value = IndicatorValue.objects.get()
    assert body["id"] == value.pk
    assert (body["status"], body["value"], body["numerator"], body["denominator"]) == (
        "draft",
        "37.5000",
        "3.0000",
        "8.0000",
    )
    assert body["comment"] == "3 projets retenus sur 8 déposés"
    assert list(value.transitions.values_list("from_status", "to_status", "by")) == [
        ("", "draft", coordinator_a.pk)
    ]


def test_value_create_of_an_existing_draft_updates_it_and_returns_200(
    api_client, coordinator_a, contract_a, funded
):
    value = IndicatorValueFactory(contract=contract_a, indicator=funded, year=2024, value=Decimal("1"))
    api_client.force_authenticate(coordinator_a)

    response = api_client.post(
        reverse("api:indicatorvalue-list"),
        {"contract": contract_a.pk, "indicator": funded.code, "year": 2024, "value": 2},
    )

    assert response.status_code == 200
    assert response.json()["id"] == value.pk
    assert response.json()["value"] == "2.0000"
    assert IndicatorValue.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"indicator": "M3_EMERGENCE_FUNDED", "year": 2024, "value": 1}, "contract"),
        ({"contract": "abc", "indicator": "M3_EMERGENCE_FUNDED", "year": 2024}, "contract"),
        ({"indicator": "M9_NOPE", "year": 2024, "value": 1}, "indicator"),
        ({"indicator": "M3_EMERGENCE_FUNDED", "year": 2030, "value": 1}, "year"),
        ({"indicator": "M3_EMERGENCE_FUNDED", "year": "abc", "value": 1}, "year"),
        ({"indicator": "M3_EMERGENCE_FUNDED", "year": 2024, "value": -2}, "value"),
        ({"indicator": "M3_EMERGENCE_FUNDED", "year": 2024, "value": "douze"}, "value"),
        ({"indicator": "M3_EMERGENCE_SUCCESS_RATE", "year": 2024, "numerator": 3}, "denominator"),
        (
            {"indicator": "M3_EMERGENCE_SUCCESS_RATE", "year": 2024, "numerator": 3, "denominator": 0},
            "denominator",
        ),
    ],
)
def test_value_create_with_bad_input_is_a_problem_400_naming_the_field(
    api_client, coordinator_a, contract_a, body, field
):
    api_client.force_authenticate(coordinator_a)
    if field != "contract":
        body = {"contract": contract_a.pk, **body}

    response = api_client.post(reverse("api:indicatorvalue-list"), body)

    problem = _problem(response, 400)
    assert list(problem["errors"]) == [field]
    assert IndicatorValue.objects.count() == 0
    assert ValueTransition.objects.count() == 0


def test_value_create_of_an_unknown_contract_is_a_problem_404(api_client, coordinator_a):
    api_client.force_authenticate(coordinator_a)

    response = api_client.post(
        reverse("api:indicatorvalue-list"),
        {"contract": 999999, "indicator": "M3_EMERGENCE_FUNDED", "year": 2024},
    )

    _problem(response, 404)
    assert IndicatorValue.objects.count() == 0


def test_value_patch_changes_only_what_it_names(api_client, director_a, contract_a, funded):
    value = IndicatorValueFactory(
        contract=contract_a, indicator=funded, value=Decimal("1"), comment="Source : tableau de bord"
    )
    api_client.force_authenticate(director_a)

    response = api_client.patch(reverse("api:indicatorvalue-detail", args=[value.pk]), {"value": 6})

    assert response.status_code == 200
    assert (response.json()["value"], response.json()["comment"]) == ("6.0000", "Source : tableau de bord")


def test_value_patch_of_an_accepted_value_is_a_400_saying_it_is_locked(
    api_client, coordinator_a, contract_a, funded, state_of
):
    value = IndicatorValueFactory(contract=contract_a, indicator=funded, status=ValueStatus.ACCEPTED)
    before = state_of(value)
    api_client.force_authenticate(coordinator_a)

    response = api_client.patch(reverse("api:indicatorvalue-detail", args=[value.pk]), {"value": 9})

    problem = _problem(response, 400)
    assert response["Content-Language"] == "en"
    assert problem["errors"] == {
        "value": ["This value was accepted by INCa and is locked. Ask INCa to unlock it to change it."]
    }
    assert state_of(value) == before


def test_value_put_is_not_offered(api_client, coordinator_a, contract_a, funded, state_of):
    value = IndicatorValueFactory(contract=contract_a, indicator=funded)
    before = state_of(value)
    api_client.force_authenticate(coordinator_a)

    response = api_client.put(reverse("api:indicatorvalue-detail", args=[value.pk]), {"value": 9})

    _problem(response, 405)
    assert state_of(value) == before


def test_value_whole_workflow_through_the_api(
    api_client, coordinator_a, director_a, inca_staff, contract_a, funded, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(coordinator_a)
    created = api_client.post(
        reverse("api:indicatorvalue-list"),
        {"contract": contract_a.pk, "indicator": funded.code, "year": 2024, "value": 4},
    ).json()
    submitted = api_client.post(reverse("api:indicatorvalue-submit", args=[created["id"]])).json()
    api_client.force_authenticate(director_a)
    approved = api_client.post(
        reverse("api:indicatorvalue-approve", args=[created["id"]]), {"comment": "Vu"}
    ).json()
    api_client.force_authenticate(inca_staff)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = api_client.post(reverse("api:indicatorvalue-accept", args=[created["id"]])).json()

    assert [created["status"], submitted["status"], approved["status"], accepted["status"]] == [
        "draft",
        "submitted",
        "approved",
        "accepted",
    ]
    assert accepted["locked"] is True
    published = api_client.get(
        reverse("api:rollup-list"), {"indicator": funded.code, "level": "national", "basis": "accepted"}
    ).json()
    assert [(row["year"], row["value"], row["provisional"]) for row in published["results"]] == [
        (2024, "4.0000", False)
    ]
    steps = ValueTransition.objects.filter(value_id=created["id"]).order_by("id")
    assert [(step.by_id, step.to_status, step.comment) for step in steps] == [
        (coordinator_a.pk, "draft", ""),
        (coordinator_a.pk, "submitted", ""),
        (director_a.pk, "approved", "Vu"),
        (inca_staff.pk, "accepted", ""),
    ]


@pytest.mark.parametrize("comment", [None, "", "   "])
def test_value_send_back_without_a_comment_is_a_400_naming_the_comment(
    api_client, inca_staff, contract_a, funded, state_of, comment
):
    value = IndicatorValueFactory(contract=contract_a, indicator=funded, status=ValueStatus.APPROVED)
    before = state_of(value)
    api_client.force_authenticate(inca_staff)

    response = api_client.post(
        reverse("api:indicatorvalue-send-back", args=[value.pk]),
        {} if comment is None else {"comment": comment},
    )

    assert _problem(response, 400)["errors"] == {"comment": ["Say why: a comment is required."]}
    assert state_of(value) == before


def test_value_send_back_with_a_comment_records_it(api_client, inca_staff, contract_a, funded):
    value = IndicatorValueFactory(contract=contract_a, indicator=funded, status=ValueStatus.APPROVED)
    api_client.force_authenticate(inca_staff)

    response = api_client.post(
        reverse("api:indicatorvalue-send-back", args=[value.pk]), {"comment": "Joindre la liste des projets"}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "sent_back"
    step = value.transitions.get()
    assert (step.from_status, step.to_status, step.by_id, step.comment) == (
        "approved",
        "sent_back",
        inca_staff.pk,
        "Joindre la liste des projets",
    )


def test_value_unlock_without_a_reason_is_a_400_naming_the_reason(
    api_client, inca_staff, contract_a, funded, state_of
):
    value = IndicatorValueFactory(contract=contract_a, indicator=funded, status=ValueStatus.ACCEPTED)
    before = state_of(value)
    api_client.force_authenticate(inca_staff)

    response = api_client.post(reverse("api:indicatorvalue-unlock", args=[value.pk]), {"reason": ""})

    assert _problem(response, 400)["errors"] == {"reason": ["Say why: a comment is required."]}
    assert state_of(value) == before


@pytest.mark.parametrize(
    ("persona", "action", "status"),
    [
        ("coordinator_a", "submit", ValueStatus.SUBMITTED),
        ("director_a", "approve", ValueStatus.DRAFT),
        ("director_a", "approve", ValueStatus.ACCEPTED),
        ("inca_staff", "accept", ValueStatus.SUBMITTED),
        ("inca_staff", "unlock", ValueStatus.APPROVED),
    ],
)
def test_value_step_from_the_wrong_status_is_a_400_naming_the_status(
    request, api_client, contract_a, funded, state_of, persona, action, status
):
    value = IndicatorValueFactory(contract=contract_a, indicator=funded, status=status)
    before = state_of(value)
    api_client.force_authenticate(request.getfixturevalue(persona))

    response = api_client.post(reverse(f"api:indicatorvalue-{action}", args=[value.pk]), {"reason": "Motif"})

    problem = _problem(response, 400)
    assert list(problem["errors"]) == ["status"]
    assert state_of(value) == before


def test_value_submit_year_submits_the_filled_drafts_and_lists_them(api_client, coordinator_a, contract_a):
    patents = IndicatorValueFactory(
        contract=contract_a, indicator=indicator("M4_PATENTS"), value=Decimal("1")
    )
    funded = IndicatorValueFactory(contract=contract_a, indicator=indicator("M3_EMERGENCE_FUNDED"))
    empty = IndicatorValueFactory(contract=contract_a, indicator=indicator("M4_STARTUPS"), value=None)
    api_client.force_authenticate(coordinator_a)

    response = api_client.post(
        reverse("api:indicatorvalue-submit-year"), {"contract": contract_a.pk, "year": 2024}
    )

    assert response.status_code == 200
    assert sorted((row["id"], row["status"]) for row in response.json()) == sorted(
        [(patents.pk, "submitted"), (funded.pk, "submitted")]
    )
    empty.refresh_from_db()
    assert empty.status == ValueStatus.DRAFT


def test_value_submit_year_with_nothing_to_submit_is_a_400_naming_the_year(
    api_client, coordinator_a, contract_a
):
    api_client.force_authenticate(coordinator_a)

    response = api_client.post(
        reverse("api:indicatorvalue-submit-year"), {"contract": contract_a.pk, "year": 2024}
    )

    assert _problem(response, 400)["errors"] == {
        "year": [
            "Nothing to submit for 2024: no filled-in draft, and no sent-back value corrected or commented "
            "since it was sent back."
        ]
    }


# Query counts: they do not grow with poles, indicators or years -------------------------------------


def _values_across(poles: int, indicators: int, years: int) -> int:
    """Values (and targets) of new poles × catalogue indicators × years; returns how many of each."""
    codes = ["M3_EMERGENCE_FUNDED", "M4_PATENTS", "M3_EMERGENCE_SUCCESS_RATE"][:indicators]
    for pole in CanceropoleFactory.create_batch(poles):
        contract = CopContractFactory(canceropole=pole)
        for code in codes:
            for year in range(2023, 2023 + years):
                IndicatorValueFactory(
                    contract=contract, indicator=indicator(code), year=year, numerator=1, denominator=2
                )
                TargetFactory(contract=contract, indicator=indicator(code), year=year)
    return poles * len(codes) * years


@pytest.mark.parametrize(("poles", "indicators", "years"), [(1, 1, 1), (3, 3, 2)])
def test_value_list_query_count_is_constant(
    api_client, inca_staff, poles, indicators, years, django_assert_num_queries
):
    rows = _values_across(poles, indicators, years)
    api_client.force_authenticate(inca_staff)

    # the page of values with contract, pole, indicator and mission joined (no count: cursor pages)
    with django_assert_num_queries(1):
        response = api_client.get(reverse("api:indicatorvalue-list"))

    assert response.status_code == 200
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize(("poles", "indicators", "years"), [(1, 1, 1), (3, 3, 2)])
def test_value_list_of_a_partner_key_query_count_is_constant(
    api_client, make_partner_key, pole_a, poles, indicators, years, django_assert_num_queries
):
    _values_across(poles, indicators, years)
    key, secret = make_partner_key(scopes=["values"], poles=[pole_a])
    services.partner_key_record_use(key=key)

    # the key by its prefix; its poles; the page of values with their joins
    with django_assert_num_queries(3):
        response = api_client.get(reverse("api:indicatorvalue-list"), HTTP_AUTHORIZATION=f"Api-Key {secret}")

    assert response.status_code == 200


@pytest.mark.parametrize(("indicators", "years"), [(1, 1), (3, 3)])
def test_value_list_of_pole_staff_query_count_is_constant(
    api_client, coordinator_a, contract_a, indicators, years, django_assert_num_queries
):
    codes = ["M3_EMERGENCE_FUNDED", "M4_PATENTS", "M4_STARTUPS"][:indicators]
    for code in codes:
        for year in range(2023, 2023 + years):
            IndicatorValueFactory(contract=contract_a, indicator=indicator(code), year=year)
    api_client.force_authenticate(coordinator_a)

    # the user's pole roles; the page of values with their joins
    with django_assert_num_queries(2):
        response = api_client.get(reverse("api:indicatorvalue-list"))

    assert len(response.json()["results"]) == indicators * years


@pytest.mark.parametrize(("poles", "indicators", "years"), [(1, 1, 1), (3, 3, 2)])
def test_target_list_query_count_is_constant(api_client, poles, indicators, years, django_assert_num_queries):
    rows = _values_across(poles, indicators, years)

    # the page of targets with contract, pole and indicator joined
    with django_assert_num_queries(1):
        response = api_client.get(reverse("api:target-list"))

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("poles", [1, 4])
def test_contract_list_query_count_is_constant(api_client, inca_staff, poles, django_assert_num_queries):
    for pole in CanceropoleFactory.create_batch(poles):
        CopContractFactory(canceropole=pole)
    api_client.force_authenticate(inca_staff)

    # the page of contracts with their pole joined
    with django_assert_num_queries(1):
        response = api_client.get(reverse("api:contract-list"))

    assert len(response.json()["results"]) == poles


@pytest.mark.parametrize("poles", [1, 4])
def test_contract_list_of_a_partner_key_query_count_is_constant(
    api_client, make_partner_key, poles, django_assert_num_queries
):
    for pole in CanceropoleFactory.create_batch(poles):
        CopContractFactory(canceropole=pole)
    key, secret = make_partner_key(scopes=["contracts"])
    services.partner_key_record_use(key=key)

    # the key by its prefix; its poles (none: every pole); the page of contracts with their pole joined
    with django_assert_num_queries(3):
        response = api_client.get(reverse("api:contract-list"), HTTP_AUTHORIZATION=f"Api-Key {secret}")

    assert len(response.json()["results"]) == poles


@pytest.mark.parametrize("extra", [0, 3])
def test_indicator_list_query_count_is_constant(api_client, extra, django_assert_num_queries):
    template = IndicatorDefinition.objects.get(code="M4_PATENTS")
    for n in range(extra):
        template.pk, template.id, template.code = None, None, f"M4_EXTRA_{n}"
        template.save()

    # the page of indicators with their mission joined
    with django_assert_num_queries(1):
        response = api_client.get(reverse("api:indicator-list"))

    assert len(response.json()["results"]) == CATALOGUE_SIZE + extra


@pytest.mark.parametrize(("poles", "years"), [(1, 1), (3, 3)])
def test_rollup_list_query_count_is_constant(
    api_client, coordinator_a, funded, poles, years, django_assert_num_queries
):
    for pole in [*CanceropoleFactory.create_batch(poles - 1), Canceropole.objects.get(code="GSO")]:
        for year in range(2023, 2023 + years):
            for basis in RollupBasis.values:
                IndicatorRollupFactory(indicator=funded, canceropole=pole, year=year, basis=basis)
    api_client.force_authenticate(coordinator_a)

    # the user's pole roles; the page of rollups with indicator and pole joined
    with django_assert_num_queries(2):
        response = api_client.get(reverse("api:rollup-list"))

    # every published row, and GSO's provisional ones
    assert len(response.json()["results"]) == poles * years + years


@pytest.mark.parametrize(("poles", "years"), [(1, 1), (3, 3)])
def test_rollup_list_of_a_partner_key_query_count_is_constant(
    api_client, make_partner_key, funded, pole_a, poles, years, django_assert_num_queries
):
    for pole in [*CanceropoleFactory.create_batch(poles - 1), pole_a]:
        for year in range(2023, 2023 + years):
            for basis in RollupBasis.values:
                IndicatorRollupFactory(indicator=funded, canceropole=pole, year=year, basis=basis)
    key, secret = make_partner_key(scopes=["rollups"], poles=[pole_a])
    services.partner_key_record_use(key=key)

    # the key by its prefix; its poles; the page of rollups with indicator and pole joined
    with django_assert_num_queries(3):
        response = api_client.get(reverse("api:rollup-list"), HTTP_AUTHORIZATION=f"Api-Key {secret}")

    assert len(response.json()["results"]) == poles * years + years


# OpenAPI --------------------------------------------------------------------------------------------


def test_openapi_schema_stays_valid_with_the_cop_endpoints(api_client):
    response = api_client.get(reverse("schema"), {"format": "json"})

    assert response.status_code == 200
    spec = json.loads(response.content)
    validate(spec)
    assert {
        "/api/v1/indicators/",
        "/api/v1/indicators/{code}/",
        "/api/v1/contracts/",
        "/api/v1/targets/",
        "/api/v1/values/",
        "/api/v1/values/{id}/",
        "/api/v1/values/{id}/submit/",
        "/api/v1/values/{id}/approve/",
        "/api/v1/values/{id}/send-back/",
        "/api/v1/values/{id}/accept/",
        "/api/v1/values/{id}/unlock/",
        "/api/v1/values/submit-year/",
        "/api/v1/rollups/",
        "/api/v1/rollups/{id}/",
    } <= set(spec["paths"])
    assert "put" not in spec["paths"]["/api/v1/values/{id}/"]
    assert "post" not in spec["paths"]["/api/v1/rollups/"]
    value_filters = {parameter["name"] for parameter in spec["paths"]["/api/v1/values/"]["get"]["parameters"]}
    assert {"canceropole", "indicator", "mission", "year", "status", "cursor", "page_size"} <= value_filters
    assert "modified_since" in value_filters


def test_rollup_modified_since_gives_only_figures_a_run_changed(api_client, contract_a, contract_b, funded):
    from cop_contracts.models import IndicatorRollup
    from cop_contracts.rollups import rollup_all

    IndicatorValueFactory(contract=contract_a, indicator=funded, status=ValueStatus.ACCEPTED, value=2)
    changed = IndicatorValueFactory(
        contract=contract_b, indicator=funded, status=ValueStatus.ACCEPTED, value=5
    )
    rollup_all()
    IndicatorRollup.objects.update(updated_at="2024-01-01T00:00:00Z")
    IndicatorValue.objects.filter(pk=changed.pk).update(value=7)

    rollup_all()
    response = api_client.get(reverse("api:rollup-list"), {"modified_since": "2025-01-01T00:00:00Z"})

    # CLARA's figures and the national ones changed, on both bases; GSO's were recomputed unchanged.
    rows = {
        (row["level"], row["canceropole"], row["basis"], row["value"]) for row in response.json()["results"]
    }
    assert rows == {
        ("pole", "CLARA", "accepted", "7.0000"),
        ("national", None, "accepted", "9.0000"),
    }


def test_write_in_an_unsupported_media_type_is_a_documented_problem_415(
    api_client, coordinator_a, contract_a
):
    api_client.force_authenticate(coordinator_a)

    response = api_client.post(reverse("api:indicatorvalue-list"), "year=2024", content_type="text/plain")

    body = _problem(response, 415)
    assert body["title"] == body["detail"] == 'Unsupported media type "text/plain" in request.'
    schema = json.loads(api_client.get(reverse("schema"), {"format": "json"}).content)
    assert "415" in schema["paths"]["/api/v1/values/"]["post"]["responses"]
