"""REST API of the COP contracts: catalogue, contracts, targets, indicator values and their approval, rollups.

Reads come from cop_contracts.selectors, so that an object outside the user's scope is absent (404);
writes go through cop_contracts.services after the permission of cop_contracts.rules is checked on the
object (403 when the object is visible but the action is not the user's). A service refusing a step
(a locked value, a wrong status, a missing comment) answers 400 naming the field.
"""

import json
from decimal import Decimal

import django_filters
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ParseError, PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from accounts.viewers import viewer_of
from canceropoles.models import Canceropole, Mission
from common.api import FastRepresentationMixin, ModifiedSinceFilterSet
from common.errors import TransitionError
from cop_contracts import selectors, services
from cop_contracts.models import (
    COMMENT_MAX_LENGTH,
    LABELLING_PERIOD,
    CopContract,
    IndicatorDefinition,
    IndicatorRollup,
    IndicatorValue,
    RollupBasis,
    RollupLevel,
    Source,
    Target,
    Unit,
    ValueStatus,
)
from cop_contracts.services.figures import parse_figure

YEAR_CHOICES = [(year, str(year)) for year in range(LABELLING_PERIOD[0], LABELLING_PERIOD[1] + 1)]


class DecimalJSONParser(JSONParser):
    """JSON whose numbers are read as exact decimals (``12.5`` stays 12.5, not the float 12.499…), so that
    a figure is checked and stored as sent; a number beyond any bound is then refused with a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json.loads(
                stream.read().decode(encoding), parse_float=Decimal, parse_constant=_refuse_constant
            )
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from error


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number")


@extend_schema_field({"type": "number", "nullable": True})
class JSONNumberField(serializers.Field):
    """A figure as a JSON number (not a string), checked by the services (bounds, decimals, unit)."""

    default_error_messages = {"not_a_number": "Send a JSON number (such as 12 or 12.5), not a string."}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, float, Decimal)):
            self.fail("not_a_number")
        number = data if isinstance(data, Decimal) else Decimal(str(data))
        try:
            return parse_figure(self.field_name, number)
        except TransitionError as error:
            raise serializers.ValidationError(error.message_dict[self.field_name]) from None

    def to_representation(self, value):
        return value


def _figure_field(label: str) -> JSONNumberField:
    # The bounds of the columns (below 10^16, 4 decimals at most, not negative); the services add the
    # indicator's own rules (whole counts, euros in cents, shares at most 100 %).
    return JSONNumberField(help_text=label)


def _comment_field(help_text: str = "") -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, default="", max_length=COMMENT_MAX_LENGTH, help_text=help_text
    )


# Serializers ----------------------------------------------------------------------------------------


class IndicatorDefinitionSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    mission = serializers.SlugRelatedField(slug_field="number", read_only=True)
    description = serializers.CharField(
        source="definition", read_only=True, help_text="How it is counted, in the language asked for."
    )

    class Meta:
        model = IndicatorDefinition
        fields = [
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
        ]


class CopContractSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    canceropole = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = CopContract
        fields = ["id", "canceropole", "first_year", "last_year", "status", "signed_on"]


class TargetSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    """Rows of selectors.targets_for_api."""

    canceropole = serializers.CharField(source="canceropole_code", read_only=True)
    indicator = serializers.CharField(source="indicator_code", read_only=True)

    class Meta:
        model = Target
        fields = ["id", "contract", "canceropole", "indicator", "year", "value", "baseline"]


class IndicatorValueSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    """Rows of selectors.indicator_values_for_api."""

    canceropole = serializers.CharField(source="canceropole_code", read_only=True)
    indicator = serializers.CharField(source="indicator_code", read_only=True)
    mission = serializers.IntegerField(source="mission_number", read_only=True)
    locked = serializers.BooleanField(source="is_locked", read_only=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "contract",
            "canceropole",
            "indicator",
            "mission",
            "year",
            "value",
            "numerator",
            "denominator",
            "source",
            "comment",
            "status",
            "locked",
            "updated_at",
        ]


class IndicatorValueEditSerializer(serializers.Serializer):
    """The figures of a value: ``value`` for a count or an amount, numerator and denominator for a ratio."""

    value = _figure_field("The figure, for an indicator that is not a ratio.")
    numerator = _figure_field("Numerator of a ratio indicator.")
    denominator = _figure_field("Denominator of a ratio indicator (greater than 0).")
    comment = serializers.CharField(required=False, allow_blank=True, max_length=COMMENT_MAX_LENGTH)


class IndicatorValueWriteSerializer(IndicatorValueEditSerializer):
    """Create (or update while still a draft) a pole's value of one indicator for one year."""

    contract = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="Id of the pole's COP contract."
    )
    indicator = serializers.SlugRelatedField(
        slug_field="code",
        queryset=IndicatorDefinition.objects.filter(is_active=True),
        help_text="Code of the indicator in the national catalogue.",
    )
    year = serializers.IntegerField(min_value=0, max_value=32767)


class ContractYearSerializer(serializers.Serializer):
    contract = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="Id of the pole's COP contract."
    )
    year = serializers.IntegerField(min_value=0, max_value=32767)


class TransitionSerializer(serializers.Serializer):
    comment = _comment_field()


class SendBackSerializer(serializers.Serializer):
    comment = _comment_field("Required: what the pole should revise.")


class UnlockSerializer(serializers.Serializer):
    reason = _comment_field("Required: why the value is reopened.")


class BulkDecisionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=list(services.DECISIONS), help_text="The same step for every value."
    )
    values = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=1000,
        help_text="Ids of the values (1 to 1,000).",
    )
    comment = _comment_field("Required to send back or unlock: one comment for every value.")


class ComputeSerializer(serializers.Serializer):
    indicator = serializers.SlugRelatedField(
        slug_field="code",
        queryset=IndicatorDefinition.objects.filter(is_active=True, source=Source.COMPUTED),
        required=False,
        help_text="Code of a computed indicator; all computed indicators when absent.",
    )
    year = serializers.ChoiceField(choices=YEAR_CHOICES, help_text="Year to compute.")
    canceropole = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Canceropole.objects.all(),
        required=False,
        help_text="Code of one cancéropôle; all poles when absent.",
    )


class ComputeReportSerializer(serializers.Serializer):
    computed = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the values computed."
    )
    skipped = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="Values left as they were: pole, indicator and the reason.",
    )


class TargetWriteSerializer(serializers.Serializer):
    """Set the target of a contract for one indicator and year (INCa staff)."""

    contract = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="Id of the COP contract.")
    indicator = serializers.SlugRelatedField(
        slug_field="code",
        queryset=IndicatorDefinition.objects.filter(is_active=True),
        help_text="Code of the indicator in the national catalogue.",
    )
    year = serializers.IntegerField(min_value=0, max_value=32767)
    value = _figure_field("The target.")
    baseline = _figure_field("The baseline, if any.")


class IndicatorRollupSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    """Rows of selectors.rollups_for_api."""

    indicator = serializers.CharField(source="indicator_code", read_only=True)
    canceropole = serializers.CharField(
        source="canceropole_code", read_only=True, allow_null=True, help_text="Null for a national figure."
    )
    provisional = serializers.BooleanField(
        source="is_provisional",
        read_only=True,
        help_text="True when the figure counts values not yet accepted by INCa.",
    )

    class Meta:
        model = IndicatorRollup
        fields = [
            "id",
            "indicator",
            "year",
            "level",
            "canceropole",
            "basis",
            "provisional",
            "value",
            "numerator",
            "denominator",
            "target",
            "poles_reporting",
            "computed_at",
        ]


# Filters --------------------------------------------------------------------------------------------


def _pole_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="code",
        queryset=Canceropole.objects.all(),
        label="Code of the cancéropôle",
    )


def _indicator_filter(field_name: str = "indicator") -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="code",
        queryset=IndicatorDefinition.objects.all(),
        label="Code of the indicator",
    )


def _mission_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="number",
        queryset=Mission.objects.all(),
        label="Number of the mission (1-4)",
    )


def _year_filter() -> django_filters.TypedChoiceFilter:
    return django_filters.TypedChoiceFilter(choices=YEAR_CHOICES, coerce=int, label="Year of the period")


class IndicatorDefinitionFilter(ModifiedSinceFilterSet):
    mission = _mission_filter("mission")
    unit = django_filters.ChoiceFilter(choices=Unit.choices)
    source = django_filters.ChoiceFilter(choices=Source.choices)

    class Meta:
        model = IndicatorDefinition
        fields = ["mission", "unit", "source"]


class CopContractFilter(ModifiedSinceFilterSet):
    canceropole = _pole_filter("canceropole")

    class Meta:
        model = CopContract
        fields = ["canceropole"]


class TargetFilter(ModifiedSinceFilterSet):
    canceropole = _pole_filter("contract__canceropole")
    indicator = _indicator_filter()
    year = _year_filter()

    class Meta:
        model = Target
        fields = ["canceropole", "indicator", "year"]


class IndicatorValueFilter(ModifiedSinceFilterSet):
    canceropole = _pole_filter("contract__canceropole")
    indicator = _indicator_filter()
    mission = _mission_filter("indicator__mission")
    year = _year_filter()
    status = django_filters.ChoiceFilter(choices=ValueStatus.choices)

    class Meta:
        model = IndicatorValue
        fields = ["canceropole", "indicator", "mission", "year", "status"]


class IndicatorRollupFilter(ModifiedSinceFilterSet):
    indicator = _indicator_filter()
    year = _year_filter()
    level = django_filters.ChoiceFilter(choices=RollupLevel.choices)
    basis = django_filters.ChoiceFilter(choices=RollupBasis.choices)
    canceropole = _pole_filter("canceropole")

    class Meta:
        model = IndicatorRollup
        fields = ["indicator", "year", "level", "basis", "canceropole"]


# Viewsets -------------------------------------------------------------------------------------------


class IndicatorDefinitionViewSet(viewsets.ReadOnlyModelViewSet):
    """The national indicator catalogue (public)."""

    serializer_class = IndicatorDefinitionSerializer
    filterset_class = IndicatorDefinitionFilter
    lookup_field = "code"
    ordering = "code"  # catalogue codes start with their mission (M1_…): mission order too
    ordering_fields = ["code"]

    def get_queryset(self):
        return selectors.indicator_catalogue(viewer=viewer_of(self.request))


class CopContractViewSet(viewsets.ReadOnlyModelViewSet):
    """COP contracts: every pole's for INCa staff, their own pole's for its staff, none for others."""

    serializer_class = CopContractSerializer
    filterset_class = CopContractFilter
    ordering = "id"
    ordering_fields = ["id", "first_year"]

    def get_queryset(self):
        return selectors.contracts_visible_to(viewer=viewer_of(self.request))


@extend_schema_view(
    create=extend_schema(
        request=TargetWriteSerializer,
        responses={200: TargetSerializer, 201: TargetSerializer},
        description="INCa staff set the target of a contract for (indicator, year); the rollups follow.",
    )
)
class TargetViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Yearly targets of the contracts (public); INCa staff set them (POST: created or replaced)."""

    serializer_class = TargetSerializer
    filterset_class = TargetFilter
    ordering = "id"
    ordering_fields = ["id"]
    parser_classes = [DecimalJSONParser]

    def get_queryset(self):
        return selectors.targets_for_api(viewer=viewer_of(self.request))

    def create(self, request, *args, **kwargs):
        if not request.user.has_perm("cop_contracts.set_target"):
            raise PermissionDenied
        data = TargetWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        contract = get_object_or_404(
            selectors.contracts_visible_to(viewer=viewer_of(request)), pk=fields["contract"]
        )
        existed = Target.objects.filter(
            contract=contract, indicator=fields["indicator"], year=fields["year"]
        ).exists()
        target = services.target_set(
            contract=contract,
            indicator=fields["indicator"],
            year=fields["year"],
            value=fields.get("value"),
            baseline=fields.get("baseline"),
            by=request.user,
        )
        fresh = self.get_queryset().get(pk=target.pk)
        return Response(
            TargetSerializer(fresh).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )


@extend_schema_view(
    create=extend_schema(
        request=IndicatorValueWriteSerializer,
        responses={200: IndicatorValueSerializer, 201: IndicatorValueSerializer},
        description="Enter a draft value, or correct a draft or sent-back one (200 when it existed).",
    ),
    partial_update=extend_schema(
        request=IndicatorValueEditSerializer,
        responses=IndicatorValueSerializer,
        description="Correct the figures or the comment of a draft or sent-back value.",
    ),
)
class IndicatorValueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Indicator values the requesting user may see; others are absent (404), not forbidden.

    Everyone sees accepted values; a pole's staff and INCa staff see the pole's values at every status.
    """

    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilter
    ordering = "id"
    ordering_fields = ["id"]
    parser_classes = [DecimalJSONParser]

    def get_queryset(self):
        return selectors.indicator_values_for_api(viewer=viewer_of(self.request))

    def _check(self, perm: str, obj) -> None:
        if not self.request.user.has_perm(perm, obj):
            raise PermissionDenied

    def _visible_contract(self, contract_id: int) -> CopContract:
        return get_object_or_404(
            selectors.contracts_visible_to(viewer=viewer_of(self.request)), pk=contract_id
        )

    def _respond(self, value: IndicatorValue, status_code: int = status.HTTP_200_OK) -> Response:
        # Re-read through the selector: the services return the value without the joins the output needs.
        fresh = self.get_queryset().get(pk=value.pk)
        return Response(IndicatorValueSerializer(fresh).data, status=status_code)

    def create(self, request, *args, **kwargs):
        # Scope and permission before the figures: a user who may not report learns nothing else.
        reference = ContractYearSerializer(data=request.data)
        reference.is_valid(raise_exception=True)
        contract = self._visible_contract(reference.validated_data["contract"])
        self._check("cop_contracts.report_value", contract)
        data = IndicatorValueWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        existed = IndicatorValue.objects.filter(
            contract=contract, indicator=fields["indicator"], year=fields["year"]
        ).exists()
        value = services.indicator_value_save(
            contract=contract,
            indicator=fields["indicator"],
            year=fields["year"],
            by=request.user,
            value=fields.get("value"),
            numerator=fields.get("numerator"),
            denominator=fields.get("denominator"),
            comment=fields.get("comment", ""),
        )
        if value is None:  # nothing entered: "not entered" stays as it is
            raise TransitionError({"value": [_("Enter a figure or a comment: there is nothing to save.")]})
        return self._respond(value, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        current = self.get_object()
        self._check("cop_contracts.report_value", current)
        data = IndicatorValueEditSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        # A PATCH changes what it names and keeps the rest of the value as it is.
        value = services.indicator_value_save(
            contract=current.contract,
            indicator=current.indicator,
            year=current.year,
            by=request.user,
            value=fields.get("value", current.value),
            numerator=fields.get("numerator", current.numerator),
            denominator=fields.get("denominator", current.denominator),
            comment=fields.get("comment", current.comment),
        )
        return self._respond(value)

    @extend_schema(request=None, responses=IndicatorValueSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """The pole submits a draft or corrected value to its director."""
        value = self.get_object()
        self._check("cop_contracts.report_value", value)
        return self._respond(services.indicator_value_submit(value=value, by=request.user))

    @extend_schema(request=ContractYearSerializer, responses=IndicatorValueSerializer(many=True))
    @action(detail=False, methods=["post"], url_path="submit-year")
    def submit_year(self, request):
        """The pole submits every filled-in draft of a year at once; empty ones stay drafts."""
        data = ContractYearSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract = self._visible_contract(data.validated_data["contract"])
        self._check("cop_contracts.report_value", contract)
        submitted = services.indicator_values_submit_year(
            contract=contract, year=data.validated_data["year"], by=request.user
        )
        values = self.get_queryset().filter(pk__in=[value.pk for value in submitted])
        return Response(IndicatorValueSerializer(values, many=True).data)

    def _decide(self, request, action_name: str, serializer_class, comment_field: str = "comment"):
        value = self.get_object()
        if not services.decision_permitted(user=request.user, value=value, action=action_name):
            raise PermissionDenied
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.indicator_value_decide(
            value=value, by=request.user, action=action_name, comment=data.validated_data[comment_field]
        )
        return self._respond(decided)

    @extend_schema(request=TransitionSerializer, responses=IndicatorValueSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The pole director approves a submitted value (not one they submitted); it goes to INCa."""
        return self._decide(request, "approve", TransitionSerializer)

    @extend_schema(request=SendBackSerializer, responses=IndicatorValueSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        """The director (submitted value) or INCa (approved value) asks the pole to revise it."""
        return self._decide(request, "send_back", SendBackSerializer)

    @extend_schema(request=TransitionSerializer, responses=IndicatorValueSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """INCa accepts an approved value (not one they submitted): it is locked and published."""
        return self._decide(request, "accept", TransitionSerializer)

    @extend_schema(request=UnlockSerializer, responses=IndicatorValueSerializer)
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        """INCa reopens an accepted value for correction; it leaves the published figures."""
        return self._decide(request, "unlock", UnlockSerializer, comment_field="reason")

    @extend_schema(request=BulkDecisionSerializer, responses=IndicatorValueSerializer(many=True))
    @action(detail=False, methods=["post"])
    def decide(self, request):
        """The same decision on several values with one comment: all of them, or none.

        403 if the user may not take it on one of them (nothing changed); 400 listing every value the
        decision cannot apply to, with the reason (nothing changed); values outside the user's scope are
        listed as not found.
        """
        data = BulkDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = list(dict.fromkeys(data.validated_data["values"]))
        found = {value.pk: value for value in self.get_queryset().filter(pk__in=ids)}
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise TransitionError(
                {"values": [_("Value %(id)s does not exist.") % {"id": pk} for pk in missing]}
            )
        try:
            decided = services.indicator_values_decide(
                values=[found[pk] for pk in ids],
                by=request.user,
                action=data.validated_data["action"],
                comment=data.validated_data["comment"],
            )
        except DjangoPermissionDenied:
            raise PermissionDenied from None
        values = self.get_queryset().filter(pk__in=[value.pk for value in decided]).order_by("pk")
        return Response(IndicatorValueSerializer(values, many=True).data)

    @extend_schema(request=ComputeSerializer, responses=ComputeReportSerializer)
    @action(detail=False, methods=["post"])
    def compute(self, request):
        """INCa staff compute the computed indicators now (all, or one indicator, one pole), as drafts.

        Values under review or accepted are left as they are and listed in ``skipped`` with the reason.
        """
        if not request.user.has_perm("cop_contracts.compute_values"):
            raise PermissionDenied
        data = ComputeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        contracts = CopContract.objects.all()
        if fields.get("canceropole"):
            contracts = contracts.filter(canceropole=fields["canceropole"])
        report = services.indicator_values_compute_all(
            year=int(fields["year"]),
            by=request.user,
            indicators=[fields["indicator"]] if fields.get("indicator") else None,
            contracts=contracts,
        )
        return Response(
            {
                "computed": [value.pk for value in report.computed],
                "skipped": [
                    {"canceropole": pole, "indicator": code, "reason": reason}
                    for pole, code, reason in report.skipped
                ],
            }
        )


class IndicatorRollupViewSet(viewsets.ReadOnlyModelViewSet):
    """Aggregated figures by pole and nationally.

    Published (accepted) figures are public; provisional ones, which also count submitted and approved
    values, are for INCa staff and for the staff of the pole they describe. Each row says which it is.
    """

    serializer_class = IndicatorRollupSerializer
    filterset_class = IndicatorRollupFilter
    ordering = "id"
    ordering_fields = ["id"]

    def get_queryset(self):
        return selectors.rollups_for_api(viewer=viewer_of(self.request))
