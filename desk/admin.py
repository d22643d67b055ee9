"""Back office of the desk: the working-day calendar (edited here) and the dossiers
and their records (shown here, changed only through desk/services/, which keeps
the version, the timeline and the due dates consistent)."""

from django.contrib import admin, messages
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from procedures.admin_input import SafeInputAdmin, SafeTabularInline

from .calendar_seed import calendar_notice_texts
from .deadlines import WEEKDAY_NAMES
from .models import (
    ApologyLetter,
    CalendarDay,
    CalendarDaySource,
    CalendarYear,
    Dossier,
    DossierDocument,
    DossierEvent,
    PersonalDataAccess,
    SupplementRequest,
)
from .services import calendar_changed


class CalendarNotices:
    """The calendar's warnings (a year starting within 60 days that is not loaded or
    not confirmed) on top of the calendar's pages."""

    def changelist_view(self, request, extra_context=None):
        for text in calendar_notice_texts():
            messages.warning(request, text)
        return super().changelist_view(request, extra_context)


class YearFilter(admin.SimpleListFilter):
    title = _("năm")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            CalendarDay.objects.annotate(year=ExtractYear("date"))
            .values_list("year", flat=True)
            .distinct()
            .order_by("-year")
        )
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(CalendarNotices, SafeInputAdmin):
    list_display = ["date", "weekday", "kind", "name", "source", "updated_at"]
    list_filter = [YearFilter, "kind", "source"]
    search_fields = ["name", "note"]
    date_hierarchy = "date"
    ordering = ["date"]
    fields = ["date", "kind", "name", "note", "source", "created_at", "updated_at"]
    readonly_fields = ["source", "created_at", "updated_at"]

    @admin.display(description=_("thứ"))
    def weekday(self, obj: CalendarDay) -> str:
        return gettext(WEEKDAY_NAMES[obj.date.weekday()])

    # Every change of a date's status recomputes the open dossiers' due dates in the
    # background once the edit commits (services.calendar_changed -> desk/tasks.py).

    def save_model(self, request, obj: CalendarDay, form, change) -> None:
        # An edited row is the administrator's from now on: seed_calendar never
        # overwrites a date that exists, and the source tells who decided it.
        obj.source = CalendarDaySource.ADMIN
        dates = {obj.date}
        if change:
            # Moving a row to another date changes both dates.
            dates |= set(CalendarDay.objects.filter(pk=obj.pk).values_list("date", flat=True))
        super().save_model(request, obj, form, change)
        # A new name or note moves no due date: no need to scan the open dossiers.
        if not change or {"date", "kind"} & set(form.changed_data):
            calendar_changed(dates=dates)

    def delete_model(self, request, obj: CalendarDay) -> None:
        day = obj.date
        super().delete_model(request, obj)
        calendar_changed(dates=[day])

    def delete_queryset(self, request, queryset) -> None:
        dates = list(queryset.values_list("date", flat=True))
        super().delete_queryset(request, queryset)
        calendar_changed(dates=dates)


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarNotices, SafeInputAdmin):
    """Which years are loaded, and which an administrator has checked against the
    Government's decision on Tết and the swapped working days."""

    list_display = ["year", "loaded_at", "confirmed_at", "confirmed_by", "basis"]
    fields = ["year", "basis", "loaded_at", "confirmed_at", "confirmed_by"]
    readonly_fields = ["year", "loaded_at", "confirmed_at", "confirmed_by"]
    actions = ["confirm"]

    def has_add_permission(self, request) -> bool:
        # Years are loaded by seed_calendar, the migration and the nightly task.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Xác nhận lịch của các năm đã chọn"))
    def confirm(self, request, queryset) -> None:
        count = 0
        for year in queryset.filter(confirmed_at__isnull=True):
            year.confirmed_at, year.confirmed_by = timezone.now(), request.user
            year.save(update_fields=["confirmed_at", "confirmed_by"])
            self.log_change(request, year, gettext("Xác nhận lịch năm"))
            count += 1
        self.message_user(
            request,
            ngettext(
                "Đã xác nhận lịch của %(count)d năm.",
                "Đã xác nhận lịch của %(count)d năm.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


# ---------------------------------------------------------------- dossiers (read-only)


class ReadOnlyMixin:
    """Shown, never written here: a write outside desk/services/ would skip the
    version check, the timeline event and the due-date rules."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DossierDocumentInline(ReadOnlyMixin, SafeTabularInline):
    model = DossierDocument
    fields = ["name", "originals", "certified_copies", "copies", "digitised", "supplied_later"]
    extra = 0


class DossierEventInline(ReadOnlyMixin, SafeTabularInline):
    model = DossierEvent
    fields = [
        "at",
        "kind",
        "actor",
        "from_state",
        "to_state",
        "from_agency",
        "to_agency",
        "to_user",
        "step_due_at",
        "step_finished_at",
        "step_timeliness",
        "note",
    ]
    extra = 0
    ordering = ["at", "pk"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("actor", "from_agency", "to_agency", "to_user")
        )


@admin.register(Dossier)
class DossierAdmin(ReadOnlyMixin, SafeInputAdmin):
    list_display = ["code", "procedure_code", "state", "receiving_agency", "due_at", "timeliness"]
    list_select_related = ["procedure", "receiving_agency"]
    list_filter = ["state", "channel", "timeliness", "extended", "receiving_agency"]
    search_fields = ["code"]
    search_help_text = _("Mã hồ sơ hoặc phần đầu của mã, ví dụ 000.00.21.H56-260309")
    # Counting a province's million dossiers on every page is the slow part of a list.
    show_full_result_count = False
    list_per_page = 50
    inlines = [DossierDocumentInline, DossierEventInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "state",
                    "procedure",
                    "variant",
                    "channel",
                    "summary",
                    "receiving_agency",
                    "current_agency",
                    "current_holder",
                    "received_by",
                ]
            },
        ),
        (
            _("Thời hạn"),
            {
                "fields": [
                    "received_at",
                    "due_at",
                    "original_due_at",
                    "current_step_due_at",
                    "paused_at",
                    "finished_at",
                    "returned_at",
                    "timeliness",
                    "supplement_count",
                    "extended",
                ]
            },
        ),
        (
            _("Người yêu cầu"),
            {
                "fields": [
                    "applicant_name",
                    "applicant_id_number",
                    "applicant_birth_date",
                    "applicant_address",
                    "applicant_phone",
                    "applicant_email",
                    "filer_name",
                    "filer_id_number",
                    "filer_phone",
                    "power_of_attorney",
                ]
            },
        ),
        (
            _("Kết quả"),
            {
                "fields": [
                    "refusal_reason",
                    "intake_guidance",
                    "result_number",
                    "result_signer",
                    "result_summary",
                    "delivery",
                    "fee_amount",
                    "fee_paid_at",
                    "tracking_number",
                    "version",
                ]
            },
        ),
    ]

    @admin.display(description=_("thủ tục"), ordering="procedure__code")
    def procedure_code(self, obj: Dossier) -> str:
        name = obj.procedure.name
        return f"{obj.procedure.code} {name[:60]}{'…' if len(name) > 60 else ''}"

    def get_search_results(self, request, queryset, search_term):
        # Codes are upper case; a case-sensitive prefix uses the code's unique index
        # (its varchar_pattern_ops twin on PostgreSQL), unlike the default icontains.
        term = search_term.strip().upper()
        if not term:
            return queryset, False
        return queryset.filter(code__startswith=term), False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The page shows the applicant's identification number, address and phone:
        # Decree 13/2023 wants every such view logged (docs/domain.md §12).
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            dossier = self.get_object(request, object_id)
            if dossier is not None:
                PersonalDataAccess.objects.create(
                    user=request.user, dossier=dossier, action="view", detail="admin"
                )
        return response


@admin.register(SupplementRequest)
class SupplementRequestAdmin(ReadOnlyMixin, SafeInputAdmin):
    list_display = ["dossier", "agency", "requested_at", "supplied_at", "is_override"]
    list_select_related = ["dossier", "agency"]
    list_filter = ["is_override", ("supplied_at", admin.EmptyFieldListFilter)]
    search_fields = ["dossier__code"]
    show_full_result_count = False


@admin.register(ApologyLetter)
class ApologyLetterAdmin(ReadOnlyMixin, SafeInputAdmin):
    list_display = [
        "dossier",
        "agency",
        "status",
        "original_due_at",
        "new_due_at",
        "signed_by",
        "signed_at",
        "is_late",
    ]
    list_select_related = ["dossier", "agency", "signed_by"]
    list_filter = ["status", "is_late"]
    search_fields = ["dossier__code"]
    show_full_result_count = False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyMixin, SafeInputAdmin):
    list_display = ["at", "user", "dossier", "action", "detail"]
    list_select_related = ["user", "dossier"]
    list_filter = ["action"]
    search_fields = ["dossier__code", "user__username"]
    date_hierarchy = "at"
    show_full_result_count = False
