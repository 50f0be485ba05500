"""REST API of the COP contracts: catalogue, contracts, targets, indicator values and their approval, rollups.

Reads come from cop_contracts.selectors, so that an object outside the user's scope is absent (404);
writes go through cop_contracts.services after the permission of cop_contracts.rules is checked on the
object (403 when the object is visible but the action is not the user's). A service refusing a step
(a locked value, a wrong status, a missing comment) answers 400 naming the field.
"""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.viewers import viewer_of
from canceropoles.models import Canceropole, Mission
from common.api import FastRepresentationMixin, ModifiedSinceFilterSet
from cop_contracts import selectors, services
from cop_contracts.models import (
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

YEAR_CHOICES = [(year, str(year)) for year in range(LABELLING_PERIOD[0], LABELLING_PERIOD[1] + 1)]


def _figure_field(label: str) -> serializers.DecimalField:
    # The same bounds as the model columns; the services check the sign and the indicator's kind.
    return serializers.DecimalField(
        max_digits=20, decimal_places=4, required=False, allow_null=True, help_text=label
    )


# Serializers ----------------------------------------------------------------------------------------


class IndicatorDefinitionSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    mission = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = IndicatorDefinition
        fields = [
            "code",
            "name_fr",
            "name_en",
            "description",
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
    comment = serializers.CharField(required=False, allow_blank=True)


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
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class SendBackSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required: what the pole should revise."
    )


class UnlockSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required: why the value is reopened."
    )


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


class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    """Yearly targets of the contracts (public)."""

    serializer_class = TargetSerializer
    filterset_class = TargetFilter
    ordering = "id"
    ordering_fields = ["id"]

    def get_queryset(self):
        return selectors.targets_for_api(viewer=viewer_of(self.request))


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

    @extend_schema(request=TransitionSerializer, responses=IndicatorValueSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The pole director approves a submitted value; it goes to INCa."""
        value = self.get_object()
        self._check("cop_contracts.approve_value", value)
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            services.indicator_value_approve(value=value, by=request.user, **data.validated_data)
        )

    @extend_schema(request=SendBackSerializer, responses=IndicatorValueSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        """The director (submitted value) or INCa (approved value) asks the pole to revise it."""
        value = self.get_object()
        self._check("cop_contracts.send_back_value", value)
        data = SendBackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sent_back = services.indicator_value_send_back(
            value=value, by=request.user, comment=data.validated_data["comment"], expected_status=value.status
        )
        return self._respond(sent_back)

    @extend_schema(request=TransitionSerializer, responses=IndicatorValueSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """INCa accepts an approved value: it is locked and counts in the published figures."""
        value = self.get_object()
        self._check("cop_contracts.accept_value", value)
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            services.indicator_value_accept(value=value, by=request.user, **data.validated_data)
        )

    @extend_schema(request=UnlockSerializer, responses=IndicatorValueSerializer)
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        """INCa reopens an accepted value for correction; it leaves the published figures."""
        value = self.get_object()
        self._check("cop_contracts.unlock_value", value)
        data = UnlockSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            services.indicator_value_unlock(
                value=value, by=request.user, reason=data.validated_data["reason"]
            )
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
