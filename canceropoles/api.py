"""Read-only API of the network: cancéropôles, regions, organisations (public)."""

import django_filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from canceropoles import selectors
from canceropoles.models import Canceropole, Organisation, Region
from common.api import FastRepresentationMixin, ModifiedSinceFilterSet


class CanceropoleSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    regions = serializers.SerializerMethodField(help_text="INSEE codes of the regions covered today.")

    class Meta:
        model = Canceropole
        fields = ["code", "name", "short_name", "seat_city", "website", "legal_form", "regions"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_regions(self, pole) -> list[str]:
        return [coverage.region.insee_code for coverage in pole.current_coverages]


class RegionSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    canceropole = serializers.SerializerMethodField(help_text="Code of the cancéropôle covering it today.")

    class Meta:
        model = Region
        fields = ["insee_code", "name", "iso_code", "kind", "canceropole"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_canceropole(self, region) -> str | None:
        return region.current_coverages[0].canceropole.code if region.current_coverages else None


class OrganisationSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="insee_code", read_only=True, allow_null=True)
    parent = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Id of the parent organisation, if any."
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "acronym",
            "kind",
            "rnsr",
            "ror",
            "siret",
            "region",
            "city",
            "parent",
            "website",
        ]


class CanceropoleFilter(ModifiedSinceFilterSet):
    region = django_filters.ModelChoiceFilter(
        field_name="coverages__region",
        to_field_name="insee_code",
        queryset=Region.objects.all(),
        label="INSEE code of a region the pole covers (or covered)",
    )

    class Meta:
        model = Canceropole
        fields = ["region"]


class RegionFilter(ModifiedSinceFilterSet):
    kind = django_filters.ChoiceFilter(choices=Region.Kind.choices)
    canceropole = django_filters.ModelChoiceFilter(
        field_name="coverages__canceropole",
        to_field_name="code",
        queryset=Canceropole.objects.all(),
        label="Code of a cancéropôle that covers (or covered) the region",
    )

    class Meta:
        model = Region
        fields = ["kind", "canceropole"]


class OrganisationFilter(ModifiedSinceFilterSet):
    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices)
    region = django_filters.ModelChoiceFilter(
        to_field_name="insee_code", queryset=Region.objects.all(), label="INSEE code of the region"
    )
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Organisation
        fields = ["kind", "region", "name", "rnsr", "ror", "siret"]


class CanceropoleViewSet(viewsets.ReadOnlyModelViewSet):
    """The 7 cancéropôles with the regions they cover today."""

    serializer_class = CanceropoleSerializer
    filterset_class = CanceropoleFilter
    lookup_field = "code"
    ordering = "name"
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return selectors.canceropoles_with_regions(viewer=self.request.user).distinct()


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    lookup_field = "insee_code"
    ordering = "insee_code"
    ordering_fields = ["insee_code", "name"]

    def get_queryset(self):
        return selectors.regions_with_canceropoles(viewer=self.request.user).distinct()


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    ordering = "name"
    ordering_fields = ["name", "id"]

    def get_queryset(self):
        return selectors.organisations_list(viewer=self.request.user)
