"""Back office: survey templates (the administrator edits the questions and grade
bands), kiosks, and read access to ratings and feedback."""

from django.contrib import admin

from procedures.admin_input import SafeInputAdmin, SafeTabularInline

from .models import Feedback, FeedbackEvent, Kiosk, Rating, SurveyQuestion, SurveyTemplate


class SurveyQuestionInline(SafeTabularInline):
    model = SurveyQuestion
    extra = 1
    fields = ("order", "text", "help_text", "factor")


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(SafeInputAdmin):
    list_display = ("name", "kind", "is_active", "updated_at")
    list_filter = ("kind", "is_active")
    fields = ("kind", "name", "intro", "is_active", "grade_bands")
    inlines = [SurveyQuestionInline]


@admin.register(Kiosk)
class KioskAdmin(SafeInputAdmin):
    list_display = ("name", "agency", "clerk", "is_active", "public_url")
    list_filter = ("is_active",)
    autocomplete_fields = ()
    readonly_fields = ("token", "public_url")


@admin.register(Rating)
class RatingAdmin(SafeInputAdmin):
    list_display = ("dossier", "choice", "channel", "agency", "created_at")
    list_filter = ("choice", "channel")
    search_fields = ("dossier__code",)
    readonly_fields = ("dossier", "agency", "choice", "reason", "channel", "kiosk", "created_at")
    filter_horizontal = ()

    def has_add_permission(self, request) -> bool:
        return False


class FeedbackEventInline(SafeTabularInline):
    model = FeedbackEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "at", "actor", "from_state", "to_state", "due_at", "on_time", "note")


@admin.register(Feedback)
class FeedbackAdmin(SafeInputAdmin):
    list_display = ("code", "title", "agency", "state", "received_at", "due_at", "late")
    list_filter = ("state", "topic", "channel", "late")
    search_fields = ("code", "title")
    readonly_fields = ("code", "lookup_key", "received_at", "version")
    inlines = [FeedbackEventInline]

    def has_add_permission(self, request) -> bool:
        return False
