"""REST API of the follow-up of funded projects: outcomes and progress reports.

Reads come from projects.followup.selectors (outcomes of the projects the reader sees: public once the
project is published; reports: the lead's, the pole's staff's, INCa's). Writes check the rule of
projects.followup.rules on the project (403 when it is visible but the step is not the reader's), then
call one service; a refusal answers 400 naming the field.
"""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from projects.followup import selectors, services
from projects.models import Outcome, OutcomeKind, ProgressReport


class OutcomeSerializer(serializers.ModelSerializer):
    canceropole = serializers.CharField(source="project.canceropole.code", read_only=True)
    # Read as stored (blank when absent): the model's format checks are the services' on input.
    doi = serializers.CharField(read_only=True)
    hal_id = serializers.CharField(read_only=True)

    class Meta:
        model = Outcome
        fields = [
            "id",
            "project",
            "canceropole",
            "kind",
            "title",
            "year",
            "occurred_on",
            "doi",
            "hal_id",
            "funder_name",
            "programme",
            "amount",
            "reference",
            "partner",
        ]


class OutcomeWriteSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=OutcomeKind.choices)
    title = serializers.CharField(max_length=300)
    year = serializers.IntegerField()
    occurred_on = serializers.DateField(required=False, allow_null=True)
    doi = serializers.CharField(max_length=200, required=False, allow_blank=True)
    hal_id = serializers.CharField(max_length=40, required=False, allow_blank=True)
    funder_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    programme = serializers.CharField(max_length=200, required=False, allow_blank=True)
    amount = serializers.CharField(max_length=30, required=False, allow_blank=True)
    reference = serializers.CharField(max_length=80, required=False, allow_blank=True)
    partner = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ReportSerializer(serializers.ModelSerializer):
    canceropole = serializers.CharField(source="project.canceropole.code", read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "project",
            "canceropole",
            "kind",
            "due_on",
            "status",
            "summary",
            "submitted_at",
            "accepted_at",
        ]


class ReportSubmitSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=20000)


class OutcomeFilter(django_filters.FilterSet):
    canceropole = django_filters.CharFilter(field_name="project__canceropole__code", lookup_expr="iexact")

    class Meta:
        model = Outcome
        fields = ["canceropole", "project", "kind", "year"]


class ReportFilter(django_filters.FilterSet):
    canceropole = django_filters.CharFilter(field_name="project__canceropole__code", lookup_expr="iexact")

    class Meta:
        model = ProgressReport
        fields = ["canceropole", "project", "kind", "status"]


def _require(request, perm: str, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


class OutcomeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """What funded projects produced: publications, patents, follow-on funding, start-ups, trials,
    collaborations. Public for published projects. The lead and the pole's staff report them."""

    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilter

    def get_queryset(self):
        return selectors.outcomes_visible_to(viewer=self.request.user)

    @extend_schema(request=OutcomeWriteSerializer, responses={201: OutcomeSerializer})
    def create(self, request):
        data = OutcomeWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        project = get_object_or_404(selectors.projects_listed(viewer=request.user), pk=fields.pop("project"))
        _require(request, "projects.report_outcome", project)
        outcome = services.outcome_add(project=project, kind=fields.pop("kind"), by=request.user, **fields)
        return Response(
            OutcomeSerializer(self.get_queryset().get(pk=outcome.pk)).data, status=status.HTTP_201_CREATED
        )

    def destroy(self, request, pk=None):
        outcome = self.get_object()
        _require(request, "projects.report_outcome", outcome.project)
        services.outcome_remove(outcome=outcome, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProgressReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The reports funded projects owe their pole: the lead's, the pole's staff's and INCa's to read."""

    serializer_class = ReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self):
        return selectors.reports_visible_to(viewer=self.request.user).order_by("due_on", "id")

    @extend_schema(request=ReportSubmitSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object()
        _require(request, "projects.submit_report", report.project)
        data = ReportSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.report_submit(report=report, summary=data.validated_data["summary"], by=request.user)
        return Response(ReportSerializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        report = self.get_object()
        _require(request, "projects.manage_project", report.project)
        services.report_accept(report=report, by=request.user)
        return Response(ReportSerializer(self.get_queryset().get(pk=report.pk)).data)
