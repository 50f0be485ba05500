from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey
from simple_history.admin import SimpleHistoryAdmin

from accounts import services
from accounts.models import Membership, Partner, PartnerKey, PartnerScope, User


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


# The portal's keys are PartnerKey; the library's own key table stays unused.
admin.site.unregister(APIKey)


class PartnerKeyInline(admin.TabularInline):
    model = PartnerKey
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["prefix", "name", "scopes", "expiry_date", "revoked", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # a key is created on its own page, which shows it once


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "contact_email", "created_at"]
    search_fields = ["name", "contact_email"]
    inlines = [PartnerKeyInline]


class PartnerKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=PartnerScope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Resources the key may read beyond the public data."),
    )

    class Meta:
        model = PartnerKey
        fields = ["partner", "name", "scopes", "canceropoles", "expiry_date", "revoked"]


@admin.register(PartnerKey)
class PartnerKeyAdmin(APIKeyModelAdmin):
    """Creating a key shows it once in a message (djangorestframework-api-key); then only its prefix."""

    form = PartnerKeyForm
    list_display = [
        "prefix",
        "name",
        "partner",
        "scopes",
        "expiry_date",
        "_has_expired",
        "revoked",
        "last_used_at",
    ]
    list_filter = ["partner", "revoked", "created"]
    list_select_related = ["partner"]
    search_fields = ["name", "prefix", "partner__name"]
    filter_horizontal = ["canceropoles"]
    actions = ["revoke_keys"]

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "last_used_at")

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        secret = PartnerKey.objects.assign_key(obj)
        obj.save()
        self.message_user(
            request,
            _("The API key %(name)s is %(key)s. Store it now: it will not be shown again.")
            % {"name": obj.name, "key": secret},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected keys"))
    def revoke_keys(self, request, queryset):
        for key in queryset:
            services.partner_key_revoke(key=key)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", count) % {"count": count},
            messages.SUCCESS,
        )
