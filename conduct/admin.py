"""Back office for conduct inspections: the policy values, checklists (published
versions read-only), plans, and read access to inspections and follow-ups."""

from django.contrib import admin

from procedures.admin_input import SafeInputAdmin, SafeTabularInline

from .models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    Finding,
    FollowUp,
    Inspection,
    InspectionPlan,
    PlannedInspection,
    Policy,
)


@admin.register(Policy)
class PolicyAdmin(SafeInputAdmin):
    list_display = [
        "__str__",
        "required_coverage",
        "repeat_window_days",
        "follow_up_working_days",
        "sample_size",
    ]

    def has_add_permission(self, request) -> bool:
        return not Policy.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(SafeInputAdmin):
    list_display = ["name", "code", "is_active"]


class ItemInline(SafeTabularInline):
    model = ChecklistItem
    extra = 0

    def has_change_permission(self, request, obj=None) -> bool:
        # A published version is frozen: past inspections keep what they ticked.
        return obj is None or not obj.is_published

    has_add_permission = has_change_permission  # type: ignore[assignment]
    has_delete_permission = has_change_permission  # type: ignore[assignment]


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(SafeInputAdmin):
    list_display = ["template", "number", "published_at", "note"]
    inlines = [ItemInline]
    readonly_fields = ["published_at", "published_by", "created_by"]

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None or not obj.is_published

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is None or (not obj.is_published and not obj.inspections.exists())


class PlannedInline(SafeTabularInline):
    model = PlannedInspection
    extra = 0


@admin.register(InspectionPlan)
class InspectionPlanAdmin(SafeInputAdmin):
    list_display = ["__str__", "agency", "year", "required_coverage"]
    list_filter = ["year"]
    inlines = [PlannedInline]


@admin.register(Inspection)
class InspectionAdmin(SafeInputAdmin):
    list_display = ["agency", "inspected_on", "status", "number", "lead"]
    list_filter = ["status", "kind"]
    date_hierarchy = "inspected_on"

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # recorded through the inspection pages only


@admin.register(Finding)
class FindingAdmin(SafeInputAdmin):
    list_display = ["description", "kind", "officer", "agency", "inspected_on", "is_repeat"]
    list_filter = ["kind", "is_repeat"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FollowUp)
class FollowUpAdmin(SafeInputAdmin):
    list_display = ["finding", "action", "owner", "due_at", "done_at"]
    list_filter = ["action"]
