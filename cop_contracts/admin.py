from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cop_contracts.models import (
    Action,
    CopContract,
    IndicatorDefinition,
    IndicatorRollup,
    IndicatorValue,
    Objective,
    Target,
    ValueTransition,
)


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0


@admin.register(CopContract)
class CopContractAdmin(SimpleHistoryAdmin):
    list_display = ["canceropole", "first_year", "last_year", "status", "signed_on"]
    list_filter = ["status", "first_year"]
    list_select_related = ["canceropole"]
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["title", "contract", "mission", "number"]
    list_select_related = ["contract__canceropole", "mission"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "objective", "lever"]
    list_select_related = ["objective__contract__canceropole", "lever"]


@admin.register(IndicatorDefinition)
class IndicatorDefinitionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_fr", "unit", "mission", "aggregation", "direction", "source", "official"]
    list_filter = ["mission", "unit", "aggregation", "source", "official"]
    list_select_related = ["mission"]
    search_fields = ["code", "name_fr", "name_en"]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "indicator", "year", "value", "baseline"]
    list_filter = ["year", "contract__canceropole"]
    list_select_related = ["contract__canceropole", "indicator"]


class ValueTransitionInline(admin.TabularInline):
    model = ValueTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    """Read-only: values change only through the approval workflow (pages and API)."""

    list_display = ["contract", "indicator", "year", "value", "status"]
    list_filter = ["status", "year", "contract__canceropole", "indicator__mission"]
    list_select_related = ["contract__canceropole", "indicator"]
    inlines = [ValueTransitionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(IndicatorRollup)
class IndicatorRollupAdmin(admin.ModelAdmin):
    list_display = [
        "indicator",
        "year",
        "level",
        "canceropole",
        "basis",
        "value",
        "target",
        "poles_reporting",
    ]
    list_filter = ["level", "basis", "year"]
    list_select_related = ["indicator", "canceropole"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
