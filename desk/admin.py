from django.contrib import admin
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .deadlines import WEEKDAY_NAMES
from .models import CalendarDay, CalendarDaySource


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
class CalendarDayAdmin(admin.ModelAdmin):
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

    def save_model(self, request, obj: CalendarDay, form, change) -> None:
        # An edited row is the administrator's from now on: seed_calendar never
        # overwrites a date that exists, and the source tells who decided it.
        # Open dossiers' due dates are not recomputed yet: that comes with the dossiers.
        obj.source = CalendarDaySource.ADMIN
        super().save_model(request, obj, form, change)
