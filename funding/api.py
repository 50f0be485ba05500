"""REST API of the poles' money: funders, allocations, commitments, disbursements, and the grants
published in the 360Giving standard.

Reads come from funding.selectors, so that an object outside the reader's scope is absent (404): a pole's
money is its staff's and INCa's; anyone else reads the funders and the commitments of published awards.
Writes check the permission of funding.rules on the object (403 when it is visible but not the reader's
to change), then call one service; a refusal answers 400 naming the field.
"""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from canceropoles.models import Canceropole
from funding import giving, selectors, services
from funding.models import (
    Allocation,
    Commitment,
    CommitmentKind,
    Disbursement,
    Earmark,
    Funder,
    FunderKind,
)

# Serializers ----------------------------------------------------------------------------------------------


class FunderSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name", read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    siret = serializers.CharField(source="organisation.siret", read_only=True)
    ror = serializers.CharField(source="organisation.ror", read_only=True)

    class Meta:
        model = Funder
        fields = ["id", "name", "kind", "organisation", "siret", "ror"]


class FunderWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=250)
    kind = serializers.ChoiceField(choices=FunderKind.choices)
    siret = serializers.CharField(max_length=14, required=False, allow_blank=True)
    ror = serializers.CharField(max_length=9, required=False, allow_blank=True)


class AllocationSerializer(serializers.ModelSerializer):
    canceropole = serializers.SlugRelatedField(slug_field="code", read_only=True)
    funder_name = serializers.CharField(source="funder.organisation.name", read_only=True)
    funder_kind = serializers.CharField(source="funder.kind", read_only=True)
    committed = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    paid = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    available = serializers.SerializerMethodField()

    class Meta:
        model = Allocation
        fields = [
            "id",
            "funder",
            "funder_name",
            "funder_kind",
            "canceropole",
            "year",
            "amount",
            "purpose",
            "earmark",
            "reference",
            "committed",
            "paid",
            "available",
        ]

    def get_available(self, allocation) -> str:
        return str(allocation.amount - allocation.committed)


class AllocationWriteSerializer(serializers.Serializer):
    funder = serializers.PrimaryKeyRelatedField(queryset=Funder.objects.select_related("organisation"))
    canceropole = serializers.SlugRelatedField(slug_field="code", queryset=Canceropole.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    amount = serializers.CharField(max_length=30, help_text="Euros: 120000, 120000.50 or 120 000,50.")
    purpose = serializers.CharField(max_length=250)
    earmark = serializers.ChoiceField(choices=Earmark.choices, required=False, allow_blank=True)
    reference = serializers.CharField(max_length=80, required=False, allow_blank=True)


class CommitmentSerializer(serializers.ModelSerializer):
    canceropole = serializers.CharField(source="allocation.canceropole.code", read_only=True)
    year = serializers.IntegerField(source="allocation.year", read_only=True)
    funder = serializers.IntegerField(source="allocation.funder_id", read_only=True)
    funder_name = serializers.CharField(source="allocation.funder.organisation.name", read_only=True)
    call = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    paid = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "allocation",
            "canceropole",
            "year",
            "funder",
            "funder_name",
            "kind",
            "parent",
            "call",
            "project",
            "mobility_grant",
            "event",
            "label",
            "amount",
            "committed_on",
            "paid",
        ]


class CommitmentWriteSerializer(serializers.Serializer):
    allocation = serializers.IntegerField()
    kind = serializers.ChoiceField(
        choices=[
            CommitmentKind.ENVELOPE,
            CommitmentKind.PROJECT,
            CommitmentKind.EVENT,
            CommitmentKind.OTHER,
        ]
    )
    amount = serializers.CharField(max_length=30)
    call = serializers.IntegerField(required=False, allow_null=True)
    project = serializers.IntegerField(required=False, allow_null=True)
    event = serializers.IntegerField(required=False, allow_null=True)
    label = serializers.CharField(max_length=250, required=False, allow_blank=True)


class DisbursementSerializer(serializers.ModelSerializer):
    canceropole = serializers.CharField(source="commitment.allocation.canceropole.code", read_only=True)

    class Meta:
        model = Disbursement
        fields = [
            "id",
            "commitment",
            "canceropole",
            "amount",
            "scheduled_on",
            "paid_on",
            "status",
            "reference",
        ]


class DisbursementWriteSerializer(serializers.Serializer):
    commitment = serializers.IntegerField()
    amount = serializers.CharField(max_length=30)
    scheduled_on = serializers.DateField()


class PaymentSerializer(serializers.Serializer):
    paid_on = serializers.DateField(required=False, allow_null=True)
    reference = serializers.CharField(max_length=80, required=False, allow_blank=True)


# Filters --------------------------------------------------------------------------------------------------


class AllocationFilter(django_filters.FilterSet):
    canceropole = django_filters.CharFilter(field_name="canceropole__code", lookup_expr="iexact")
    funder_kind = django_filters.ChoiceFilter(field_name="funder__kind", choices=FunderKind.choices)

    class Meta:
        model = Allocation
        fields = ["canceropole", "year", "funder", "funder_kind", "earmark"]


class CommitmentFilter(django_filters.FilterSet):
    canceropole = django_filters.CharFilter(field_name="allocation__canceropole__code", lookup_expr="iexact")
    year = django_filters.NumberFilter(field_name="allocation__year")

    class Meta:
        model = Commitment
        fields = ["canceropole", "year", "kind", "allocation", "project", "call"]


class DisbursementFilter(django_filters.FilterSet):
    canceropole = django_filters.CharFilter(
        field_name="commitment__allocation__canceropole__code", lookup_expr="iexact"
    )

    class Meta:
        model = Disbursement
        fields = ["canceropole", "status", "commitment"]


# Viewsets -------------------------------------------------------------------------------------------------


def _require(request, perm: str, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


class FunderViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Funders of the poles (public). Pole staff and INCa staff register new ones."""

    serializer_class = FunderSerializer
    filterset_fields = ["kind"]

    def get_queryset(self):
        return selectors.funders_listed()

    @extend_schema(request=FunderWriteSerializer, responses={201: FunderSerializer})
    def create(self, request):
        _require(request, "funding.add_funder", None)
        data = FunderWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        funder = services.funder_create(by=request.user, **data.validated_data)
        return Response(FunderSerializer(funder).data, status=status.HTTP_201_CREATED)


class AllocationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """What funders allocate to the poles, by year, with what is committed and paid from each.
    A pole's staff see and record their pole's (INCa's allocations are INCa's to record); INCa sees all."""

    serializer_class = AllocationSerializer
    filterset_class = AllocationFilter

    def get_queryset(self):
        return selectors.allocations_visible_to(viewer=self.request.user)

    @extend_schema(request=AllocationWriteSerializer, responses={201: AllocationSerializer})
    def create(self, request):
        data = AllocationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        if not request.user.has_perm("funding.view_funding", fields["canceropole"]):
            raise PermissionDenied
        _require(
            request,
            "funding.manage_allocation",
            Allocation(funder=fields["funder"], canceropole=fields["canceropole"]),
        )
        allocation = services.allocation_create(by=request.user, **fields)
        return Response(
            AllocationSerializer(self.get_queryset().get(pk=allocation.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class CommitmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Commitments on allocations: a pole's staff and INCa see their pole's (INCa: all); anyone sees the
    commitments of published awards. A pole's staff commit money of their pole's allocations."""

    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilter

    def get_queryset(self):
        return selectors.commitments_visible_to(viewer=self.request.user)

    @extend_schema(request=CommitmentWriteSerializer, responses={201: CommitmentSerializer})
    def create(self, request):
        data = CommitmentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        allocation = get_object_or_404(
            selectors.allocations_visible_to(viewer=request.user), pk=fields["allocation"]
        )
        _require(request, "funding.manage_funding", allocation)
        call_model = Commitment._meta.get_field("call").related_model
        project_model = Commitment._meta.get_field("project").related_model
        event_model = Commitment._meta.get_field("event").related_model
        commitment = services.commitment_create(
            allocation=allocation,
            kind=fields["kind"],
            amount=fields["amount"],
            call=get_object_or_404(call_model, pk=fields["call"], canceropole=allocation.canceropole)
            if fields.get("call")
            else None,
            project=get_object_or_404(project_model, pk=fields["project"], canceropole=allocation.canceropole)
            if fields.get("project")
            else None,
            event=get_object_or_404(event_model, pk=fields["event"], canceropole=allocation.canceropole)
            if fields.get("event")
            else None,
            label=fields.get("label", ""),
            by=request.user,
        )
        return Response(
            CommitmentSerializer(self.get_queryset().get(pk=commitment.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class DisbursementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Payments of commitments: a pole's staff and INCa only. A pole's staff schedule, pay and cancel."""

    serializer_class = DisbursementSerializer
    filterset_class = DisbursementFilter

    def get_queryset(self):
        return selectors.disbursements_visible_to(viewer=self.request.user)

    @extend_schema(request=DisbursementWriteSerializer, responses={201: DisbursementSerializer})
    def create(self, request):
        data = DisbursementWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        commitment = get_object_or_404(
            selectors.commitments_visible_to(viewer=request.user), pk=fields["commitment"]
        )
        _require(request, "funding.manage_funding", commitment.allocation)
        disbursement = services.disbursement_schedule(
            commitment=commitment,
            amount=fields["amount"],
            scheduled_on=fields["scheduled_on"],
            by=request.user,
        )
        return Response(
            DisbursementSerializer(self.get_queryset().get(pk=disbursement.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=PaymentSerializer, responses=DisbursementSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        disbursement = self.get_object()
        _require(request, "funding.manage_funding", disbursement.commitment.allocation)
        data = PaymentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        paid = services.disbursement_pay(
            disbursement=disbursement,
            paid_on=data.validated_data.get("paid_on"),
            reference=data.validated_data.get("reference", ""),
            by=request.user,
        )
        return Response(DisbursementSerializer(self.get_queryset().get(pk=paid.pk)).data)

    @extend_schema(request=None, responses=DisbursementSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        disbursement = self.get_object()
        _require(request, "funding.manage_funding", disbursement.commitment.allocation)
        services.disbursement_cancel(disbursement=disbursement, by=request.user)
        return Response(DisbursementSerializer(self.get_queryset().get(pk=disbursement.pk)).data)


# The 360Giving package ------------------------------------------------------------------------------------


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode("utf-8") if isinstance(data, str) else data


class PassthroughJSONRenderer(JSONRenderer):
    """The package is cached as JSON text: sent as it is."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode("utf-8")
        return super().render(data, accepted_media_type, renderer_context)


class GrantsPackageView(APIView):
    """Every published grant of the network in the 360Giving Data Standard (1.4): awards on calls,
    projects entered directly and mobility grants, each with the list of its funders. Public, cached."""

    permission_classes = [AllowAny]
    renderer_classes = [PassthroughJSONRenderer]

    @extend_schema(
        operation_id="grants_360giving_package",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="A 360Giving grant package.")},
        tags=["grants"],
    )
    def get(self, request):
        return Response(giving.cached("json"), content_type="application/json; charset=utf-8")


class GrantsCsvView(APIView):
    """The same grants as the 360Giving CSV (one row per grant, funders numbered). Public, cached."""

    permission_classes = [AllowAny]
    renderer_classes = [CSVRenderer]

    @extend_schema(
        operation_id="grants_360giving_csv",
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="360Giving CSV.")},
        tags=["grants"],
    )
    def get(self, request):
        return Response(giving.cached("csv"), content_type="text/csv; charset=utf-8")
