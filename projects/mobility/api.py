"""REST API of mobility grants: the sessions (public) and the grants with each step of their workflow.

A grant is its applicant's, its pole's staff's and INCa's (404 for anyone else). Each step checks the rule
of projects.mobility.rules on the grant (403 when visible but not the reader's to take), then calls one
service; a refusal answers 400 naming the field.
"""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from canceropoles.models import Organisation
from projects.mobility import selectors, services
from projects.models import MobilityGrant, MobilitySession


class SessionSerializer(serializers.ModelSerializer):
    canceropole = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = MobilitySession
        fields = ["id", "canceropole", "year", "number", "opens_on", "closes_on", "ceiling"]


class GrantSerializer(serializers.ModelSerializer):
    canceropole = serializers.SlugRelatedField(slug_field="code", read_only=True)
    applicant = serializers.StringRelatedField()

    class Meta:
        model = MobilityGrant
        fields = [
            "id",
            "session",
            "canceropole",
            "applicant",
            "home_lab",
            "host_institution",
            "host_city",
            "host_country",
            "purpose",
            "start_date",
            "end_date",
            "amount_requested",
            "amount_approved",
            "status",
            "decided_at",
            "report_received_at",
            "paid_on",
        ]


class ApplySerializer(serializers.Serializer):
    session = serializers.IntegerField()
    home_lab = serializers.IntegerField()
    host_institution = serializers.CharField(max_length=250)
    host_city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    host_country = serializers.CharField(max_length=2)
    purpose = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    amount_requested = serializers.CharField(max_length=30)


class DecisionSerializer(serializers.Serializer):
    amount = serializers.CharField(max_length=30, required=False, allow_blank=True)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class StaySerializer(serializers.Serializer):
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)


class ReportSerializer(serializers.Serializer):
    report = serializers.CharField(max_length=20000)


class GrantFilter(django_filters.FilterSet):
    canceropole = django_filters.CharFilter(field_name="canceropole__code", lookup_expr="iexact")
    year = django_filters.NumberFilter(field_name="session__year")

    class Meta:
        model = MobilityGrant
        fields = ["canceropole", "year", "status", "session"]


class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The sessions of the poles' mobility schemes (public: they are calls for applications)."""

    serializer_class = SessionSerializer
    filterset_fields = ["year"]

    def get_queryset(self):
        return MobilitySession.objects.select_related("canceropole").order_by(
            "-year", "canceropole__code", "number"
        )


def _require(request, perm: str, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


class MobilityGrantViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Mobility grants: apply (any signed-in account), then approve or refuse, stay done, report, pay."""

    serializer_class = GrantSerializer
    filterset_class = GrantFilter

    def get_queryset(self):
        return selectors.grants_visible_to(viewer=self.request.user).order_by("-created_at", "id")

    def _done(self, grant) -> Response:
        return Response(GrantSerializer(self.get_queryset().get(pk=grant.pk)).data)

    @extend_schema(request=ApplySerializer, responses={201: GrantSerializer})
    def create(self, request):
        data = ApplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        session = get_object_or_404(MobilitySession, pk=fields.pop("session"))
        _require(request, "projects.apply_mobility", session)
        home_lab = get_object_or_404(Organisation, pk=fields.pop("home_lab"))
        grant = services.mobility_apply(session=session, applicant=request.user, home_lab=home_lab, **fields)
        return Response(
            GrantSerializer(self.get_queryset().get(pk=grant.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=DecisionSerializer, responses=GrantSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        grant = self.get_object()
        _require(request, "projects.decide_mobility_grant", grant)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._done(services.mobility_approve(grant=grant, by=request.user, **data.validated_data))

    @extend_schema(request=DecisionSerializer, responses=GrantSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        grant = self.get_object()
        _require(request, "projects.decide_mobility_grant", grant)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._done(
            services.mobility_refuse(
                grant=grant, by=request.user, comment=data.validated_data.get("comment", "")
            )
        )

    @extend_schema(request=StaySerializer, responses=GrantSerializer)
    @action(detail=True, methods=["post"], url_path="stay-done")
    def stay_done(self, request, pk=None):
        grant = self.get_object()
        _require(request, "projects.report_mobility_stay", grant)
        data = StaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._done(services.mobility_stay_done(grant=grant, by=request.user, **data.validated_data))

    @extend_schema(request=ReportSerializer, responses=GrantSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        grant = self.get_object()
        _require(request, "projects.report_mobility_stay", grant)
        data = ReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._done(
            services.mobility_report_submit(
                grant=grant, report=data.validated_data["report"], by=request.user
            )
        )

    @extend_schema(request=None, responses=GrantSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        grant = self.get_object()
        _require(request, "projects.decide_mobility_grant", grant)
        return self._done(services.mobility_pay(grant=grant, by=request.user))

    @extend_schema(request=None, responses=GrantSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        grant = self.get_object()
        if grant.applicant_id != request.user.pk:
            raise PermissionDenied
        return self._done(services.mobility_withdraw(grant=grant, by=request.user))
