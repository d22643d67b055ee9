"""What every ModelAdmin of the project adds to Django's: malformed ids in a
request are refused with a message instead of reaching the database.

Django's admin passes two kinds of posted ids straight into a query: the rows
ticked for a list action (``_selected_action``) and the value an autocomplete
field re-displays when the form is shown again with errors. A word there raised
``ValueError`` ("Field 'id' expected a number") and answered 500 (the form sweep,
tests/sweep/test_forms.py, found both)."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.admin.widgets import (
    AutocompleteMixin,
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    ForeignKeyRawIdWidget,
    ManyToManyRawIdWidget,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _readable(field, values) -> list:
    """The values ``field`` can read; the others are left out."""
    kept = []
    for value in values:
        try:
            field.to_python(value)
        except ValidationError:
            continue
        kept.append(value)
    return kept


class _KnownValuesOnly(AutocompleteMixin):
    """An autocomplete widget that shows again only values that can be an id: the
    form's own validation says what was wrong with the rest."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field.model._meta
        target = remote.get_field(getattr(self.field.remote_field, "field_name", remote.pk.name))
        return super().optgroups(name, _readable(target, value), attr)


class SafeAutocompleteSelect(_KnownValuesOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_KnownValuesOnly, AutocompleteSelectMultiple):
    pass


# Related models an admin form may offer as a drop-down of every row: a handful of
# rows each, written by the administrators themselves. Any other relation is an
# autocomplete field when the related model's admin can be searched, else a raw id.
CHOSEN_FROM_A_LIST = {
    "auth.Permission",  # Django's group form: a two-pane filter (filter_horizontal)
    "conduct.ChecklistTemplate",
    "conduct.ChecklistVersion",
    "conduct.InspectionPlan",
}


class RelationsBySearch(BaseModelAdmin):
    """Every relation to a table that grows with use (dossiers, users, agencies,
    feedback, inspections) is chosen by search, never from a drop-down of all its
    rows: the feedback form listed every dossier and user (0.65 s a page on the
    demo, unusable at a province's million)."""

    def get_autocomplete_fields(self, request):
        fields = list(super().get_autocomplete_fields(request))
        for field in self.model._meta.get_fields():
            if field.auto_created or not field.is_relation or field.one_to_many:
                continue
            if field.name in fields or field.name in self.raw_id_fields:
                continue
            if field.name in getattr(self, "filter_horizontal", ()):
                continue
            related = self.admin_site._registry.get(field.related_model)
            if related is not None and related.search_fields:
                fields.append(field.name)
        return fields

    def _choose_widget(self, db_field, request, kwargs, searched, by_id) -> None:
        """Set ``kwargs["widget"]`` unless one is chosen or the list is short."""
        if (
            "widget" in kwargs
            or db_field.name in self.raw_id_fields
            or db_field.related_model._meta.label in CHOSEN_FROM_A_LIST
            or db_field.name in getattr(self, "filter_horizontal", ())
            or db_field.name in getattr(self, "filter_vertical", ())
        ):
            return
        using = kwargs.get("using")
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = searched(db_field, self.admin_site, using=using)
        else:
            kwargs["widget"] = by_id(db_field.remote_field, self.admin_site, using=using)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._choose_widget(
            db_field, request, kwargs, SafeAutocompleteSelect, ForeignKeyRawIdWidget
        )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._choose_widget(
            db_field, request, kwargs, SafeAutocompleteSelectMultiple, ManyToManyRawIdWidget
        )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class SafeTabularInline(RelationsBySearch, admin.TabularInline):
    """The base of every inline here."""


class SafeInputAdmin(RelationsBySearch, admin.ModelAdmin):
    """The base of every ModelAdmin here (tests/test_admin_input.py checks it)."""

    def response_action(self, request, queryset, *args, **kwargs):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if len(_readable(self.model._meta.pk, selected)) != len(selected):
            self.message_user(
                request,
                _("Các dòng đã chọn không hợp lệ; không có gì thay đổi."),
                messages.WARNING,
            )
            return None  # Django's change list answers with the list again
        return super().response_action(request, queryset, *args, **kwargs)
