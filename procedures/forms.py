# Public catalog
"""Forms of the procedures app: validation only."""

from functools import cache

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from .models import Agency, Field, OnlineLevel, Procedure, ProcedureLevel

FILTER_NAMES = ("field", "level", "agency", "online")

# The largest values PostgreSQL's integer and bigint columns hold. Every integer a
# form or a view takes from a request is bounded by one of them, so an out-of-range
# number is refused by validation, never by the database ("bigint out of range");
# tests/procedures/test_malformed_input.py checks every form's integer fields.
INT_MAX = 2**31 - 1
BIGINT_MAX = 2**63 - 1


def parse_id(value: str | None) -> int | None:
    """A row id typed in a query or form value ("12"), or None when it is not one:
    empty, not decimal digits, zero, or beyond a bigint."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= BIGINT_MAX else None


class CatalogSearchForm(forms.Form):
    """The public catalog's GET form (/thu-tuc/?q=...&field=HT&agency=000.00.21.H56).

    Filters are public codes (field code, agency identifier), so a search can be
    shared as a link. The view drops any value that does not validate and tells
    the citizen, instead of failing.

    Field and agency choices are loaded lazily and once per form: an htmx request
    with no filter set runs no query for them, and the template renders the
    selects from the same lists (Django's per-option widget templates cost more
    than the search itself).
    """

    q = forms.CharField(label=_("Tìm thủ tục"), required=False, max_length=200)
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"),
        choices=[("", _("Tất cả các cấp")), *ProcedureLevel.choices],
        required=False,
    )
    agency = forms.ChoiceField(label=_("Cơ quan thực hiện"), required=False)
    online = forms.ChoiceField(
        label=_("Dịch vụ công trực tuyến"),
        choices=[("", _("Tất cả mức độ")), *OnlineLevel.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        public = Procedure.objects.public()

        # Only fields and agencies that lead somewhere.
        @cache
        def field_choices() -> list[tuple[str, str]]:
            fields = Field.objects.filter(Exists(public.filter(field=OuterRef("pk"))))
            return [
                ("", _("Tất cả lĩnh vực")),
                *fields.order_by("name").values_list("code", "name"),
            ]

        @cache
        def agency_choices() -> list[tuple[str, str]]:
            # Any linked procedure will do (an agency whose procedures are all
            # abolished is rare): one index probe per agency, where joining the
            # procedures too costs a scan of the whole link table.
            links = Procedure.agencies.through.objects.filter(agency_id=OuterRef("pk"))
            agencies = Agency.objects.filter(Exists(links), is_active=True)
            return [
                ("", _("Tất cả cơ quan")),
                *agencies.order_by("level", "name").values_list("identifier", "name"),
            ]

        self.fields["field"].choices = field_choices
        self.fields["agency"].choices = agency_choices

    def valid_data(self) -> dict[str, str]:
        """Each value that validated, "" for the rest (call after is_valid())."""
        data = getattr(self, "cleaned_data", {})
        return {
            name: "" if name in self.errors else data.get(name) or ""
            for name in ("q", *FILTER_NAMES)
        }

    def ignored_labels(self) -> list[str]:
        """Labels of the fields whose values were ignored because they did not validate."""
        return [str(self.fields[name].label) for name in self.errors if name in self.fields]
