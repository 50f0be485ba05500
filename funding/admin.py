"""Back-office of the poles' money, with history. Writes that must hold the invariants (commitments within
their allocation, payments within their commitment) go through the pages and the API: here, amounts of
commitments and payments are read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from funding.models import Allocation, Commitment, Disbursement, Funder


@admin.register(Funder)
class FunderAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "kind"]
    list_filter = ["kind"]
    search_fields = ["organisation__name"]
    raw_id_fields = ["organisation"]


@admin.register(Allocation)
class AllocationAdmin(SimpleHistoryAdmin):
    list_display = ["funder", "canceropole", "year", "amount", "purpose", "earmark"]
    list_filter = ["canceropole", "year", "funder__kind", "earmark"]
    search_fields = ["purpose", "reference", "funder__organisation__name"]
    raw_id_fields = ["funder", "created_by"]


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["allocation", "kind", "amount", "committed_on", "label"]
    list_filter = ["kind", "allocation__canceropole", "allocation__year"]
    search_fields = ["label", "project__title", "call__reference"]
    raw_id_fields = ["allocation", "parent", "call", "project", "mobility_grant", "created_by"]
    readonly_fields = ["allocation", "kind", "parent", "amount"]


@admin.register(Disbursement)
class DisbursementAdmin(SimpleHistoryAdmin):
    list_display = ["commitment", "amount", "scheduled_on", "paid_on", "status"]
    list_filter = ["status", "commitment__allocation__canceropole"]
    raw_id_fields = ["commitment", "created_by"]
    readonly_fields = ["commitment", "amount", "status", "paid_on"]
