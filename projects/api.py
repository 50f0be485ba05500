"""REST API of funded projects: public once their decision is published; the pole's staff and INCa
staff see them from the decision on."""

import django_filters
from rest_framework import serializers, viewsets

from projects import selectors
from projects.models import Project


class ProjectSerializer(serializers.ModelSerializer):
    canceropole = serializers.SlugRelatedField(slug_field="code", read_only=True)
    call = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    lab = serializers.CharField(source="lab.name", read_only=True, allow_null=True, default=None)
    lead = serializers.CharField(source="lead.get_full_name", read_only=True, allow_null=True, default=None)
    status = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(Project.Status.values))

    class Meta:
        model = Project
        fields = [
            "id",
            "title",
            "canceropole",
            "call",
            "lab",
            "lead",
            "amount_awarded",
            "start_date",
            "end_date",
            "status",
            "published_at",
        ]


class ProjectFilter(django_filters.FilterSet):
    canceropole = django_filters.CharFilter(field_name="canceropole__code", label="Code of the pole")
    call = django_filters.CharFilter(field_name="call__reference", label="Reference of the call")
    status = django_filters.ChoiceFilter(choices=Project.Status.choices)

    class Meta:
        model = Project
        fields = ["canceropole", "call", "status"]


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    ordering_fields = ["amount_awarded", "start_date", "title"]

    def get_queryset(self):
        return selectors.projects_visible_to(user=self.request.user)
