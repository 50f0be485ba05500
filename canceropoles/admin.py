from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from canceropoles.models import Canceropole, Lever, Mission, Organisation, Person, Region, RegionCoverage


class RegionCoverageInline(admin.TabularInline):
    model = RegionCoverage
    extra = 0
    autocomplete_fields = ["region"]


@admin.register(Canceropole)
class CanceropoleAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "seat_city", "website"]
    search_fields = ["code", "name", "short_name"]
    inlines = [RegionCoverageInline]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["insee_code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["insee_code", "name"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "rnsr", "ror", "siret", "region"]
    list_filter = ["kind", "region"]
    list_select_related = ["region"]
    search_fields = ["name", "acronym", "rnsr", "ror", "siret"]
    autocomplete_fields = ["parent", "region"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "email", "orcid", "lab"]
    list_select_related = ["lab"]
    search_fields = ["last_name", "first_name", "email", "orcid"]
    autocomplete_fields = ["lab"]
    filter_horizontal = ["canceropoles"]


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ["number", "code", "short_fr", "short_en"]


@admin.register(Lever)
class LeverAdmin(admin.ModelAdmin):
    list_display = ["code", "label_fr"]
    filter_horizontal = ["missions"]
