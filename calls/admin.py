"""Back-office views of the calls, with history. Workflow steps go through the pages and the API (their
services record the transitions); the admin is for reading and for correcting reference data."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from calls.models import Application, Call, Criterion, Decision, OutboxMessage, ReviewAssignment, Reviewer


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Call)
class CallAdmin(SimpleHistoryAdmin):
    list_display = [
        "reference",
        "canceropole",
        "kind",
        "year",
        "status",
        "deadline",
        "envelope",
        "max_amount",
    ]
    list_filter = ["canceropole", "kind", "status", "year"]
    search_fields = ["reference", "title_fr", "title_en"]
    inlines = [CriterionInline]


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["id", "call", "title", "applicant", "status", "submitted_at"]
    list_filter = ["status", "call__canceropole"]
    search_fields = ["title", "applicant__email", "call__reference"]
    raw_id_fields = ["applicant", "lab", "call"]
    readonly_fields = ["status", "submitted_at", "eligibility_report"]


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["application", "reviewer", "status", "due_date"]
    list_filter = ["status"]
    raw_id_fields = ["application", "reviewer", "assigned_by"]


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    list_display = ["user", "canceropole", "expertise", "is_active"]
    list_filter = ["canceropole", "is_active"]
    raw_id_fields = ["user"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["application", "outcome", "amount_awarded", "decided_at", "published_at"]
    list_filter = ["outcome"]
    readonly_fields = ["application", "outcome", "amount_awarded", "decided_by", "decided_at", "published_at"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["call", "application", "recipient", "status", "sent_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "sent_at", "sent_by"]
