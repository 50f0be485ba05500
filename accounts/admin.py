from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_inca_staff", "is_staff", "is_active"]
    list_filter = ["is_inca_staff", "is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    autocomplete_fields = ["person"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "person")}),
        (_("Roles"), {"fields": ("is_inca_staff",)}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "canceropole", "role"]
    list_filter = ["canceropole", "role"]
    list_select_related = ["user", "canceropole"]
