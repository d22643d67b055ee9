from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from .admin_input import SafeInputAdmin, SafeTabularInline
from .models import (
    Agency,
    Fee,
    Field,
    LoginFailure,
    Procedure,
    ProcedureRevision,
    ProcedureStep,
    ProcedureVariant,
    RequiredDocument,
    User,
)
from .services import record_admin_change

admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(SafeInputAdmin, BaseGroupAdmin):
    pass


@admin.register(Agency)
class AgencyAdmin(SafeInputAdmin):
    list_display = ["identifier", "name", "level", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["identifier", "name"]
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": ["identifier", "name", "level", "parent", "is_active"]}),
        (_("Bộ phận một cửa"), {"fields": ["desk_name", "address", "phone", "email"]}),
        (
            _("Giờ làm việc"),
            {"fields": ["morning_start", "morning_end", "afternoon_start", "afternoon_end"]},
        ),
    ]


@admin.register(User)
class UserAdmin(SafeInputAdmin, BaseUserAdmin):
    list_display = [
        "username",
        "get_full_name",
        "agency",
        "is_active",
        *[
            f"is_{role}"
            for role in ("clerk", "officer", "unit_head", "leader", "inspector", "administrator")
        ],
    ]
    list_filter = ["is_active", "agency", "is_clerk", "is_officer", "is_unit_head", "is_leader"]
    autocomplete_fields = ["agency"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("Cơ quan và vai trò"),
            {
                "fields": [
                    "agency",
                    "title",
                    "phone",
                    "is_clerk",
                    "is_officer",
                    "is_unit_head",
                    "is_leader",
                    "is_inspector",
                    "is_administrator",
                ]
            },
        ),
    ]


@admin.register(Field)
class FieldAdmin(SafeInputAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class VariantInline(SafeTabularInline):
    model = ProcedureVariant
    extra = 0


class DocumentInline(SafeTabularInline):
    model = RequiredDocument
    extra = 0


class StepInline(SafeTabularInline):
    model = ProcedureStep
    extra = 0


class FeeInline(SafeTabularInline):
    model = Fee
    extra = 0


class RevisionInline(SafeTabularInline):
    model = ProcedureRevision
    extra = 0
    can_delete = False
    fields = ["changed_at", "changed_by", "source", "changed_fields"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Procedure)
class ProcedureAdmin(SafeInputAdmin):
    list_display = ["code", "name", "field", "level", "status", "online_level"]
    list_filter = ["status", "level", "online_level", "field"]
    search_fields = ["code", "name", "name_folded"]
    autocomplete_fields = ["field", "agencies"]
    inlines = [VariantInline, DocumentInline, StepInline, FeeInline, RevisionInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # History and search columns follow every admin edit.
        record_admin_change(procedure=form.instance, changed_by=request.user)


@admin.register(LoginFailure)
class LoginFailureAdmin(SafeInputAdmin):
    list_display = ["username", "ip_address", "at"]
    search_fields = ["username", "ip_address"]
    readonly_fields = ["username", "ip_address", "at"]

    def has_add_permission(self, request) -> bool:
        return False
