from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.errors import TransitionError
from cop_contracts import services
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


class TargetForm(forms.ModelForm):
    """Checks a target as the service does (the contract's period, the indicator's unit), field by field."""

    class Meta:
        model = Target
        fields = ["contract", "indicator", "year", "value", "baseline"]

    def clean(self):
        cleaned = super().clean()
        contract, indicator, year = (cleaned.get(name) for name in ("contract", "indicator", "year"))
        if contract and indicator and year is not None:
            try:
                services.target_validate(
                    contract=contract,
                    indicator=indicator,
                    year=year,
                    value=cleaned.get("value"),
                    baseline=cleaned.get("baseline"),
                )
            except TransitionError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return cleaned


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    """Targets change through cop_contracts.services (checks, history, rollups refreshed), here too."""

    form = TargetForm
    list_display = ["contract", "indicator", "year", "value", "baseline"]
    list_filter = ["year", "contract__canceropole"]
    list_select_related = ["contract__canceropole", "indicator"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change and (obj.contract_id, obj.indicator_id, obj.year) != (
            form.initial.get("contract"),
            form.initial.get("indicator"),
            form.initial.get("year"),
        ):
            # The key changed: the old (contract, indicator, year) loses its target.
            services.target_delete(target=Target.objects.get(pk=obj.pk), by=request.user)
        saved = services.target_set(
            contract=data["contract"],
            indicator=data["indicator"],
            year=data["year"],
            value=data["value"],
            baseline=data.get("baseline"),
            by=request.user,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.target_delete(target=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for target in queryset:
            services.target_delete(target=target, by=request.user)


class ValueTransitionInline(admin.TabularInline):
    model = ValueTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    """Read-only: values change only through the approval workflow (pages and API), and are never deleted
    here (their history would go and the rollups would go stale)."""

    list_display = ["contract", "indicator", "year", "value", "status"]
    list_filter = ["status", "year", "contract__canceropole", "indicator__mission"]
    list_select_related = ["contract__canceropole", "indicator"]
    inlines = [ValueTransitionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
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
