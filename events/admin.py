from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from events.models import Event, Registration, RegistrationTransition, Session, Speaker


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title_fr", "canceropole", "kind", "starts_at", "status", "capacity"]
    list_filter = ["status", "kind", "audience", "canceropole"]
    list_select_related = ["canceropole"]
    search_fields = ["title_fr", "title_en", "working_group", "city"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["co_organisers"]
    inlines = [SessionInline, SpeakerInline]


class RegistrationTransitionInline(admin.TabularInline):
    model = RegistrationTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Read-only: registrations change through the portal's pages, which keep the waiting list in order."""

    list_display = ["last_name", "first_name", "email", "event", "status", "requested_at"]
    list_filter = ["status", "career_stage"]
    list_select_related = ["event"]
    search_fields = ["last_name", "first_name", "email"]
    inlines = [RegistrationTransitionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
