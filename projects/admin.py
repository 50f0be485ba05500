from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from projects.models import Project


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["title", "canceropole", "call", "amount_awarded", "status", "published_at"]
    list_filter = ["canceropole", "status"]
    search_fields = ["title"]
    raw_id_fields = ["lead", "lab", "call", "application"]
