"""Validation of the conduct pages' input (no business rules: services.py has them)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.fields import DayMonthYearField
from procedures.forms import BIGINT_MAX
from procedures.models import Agency, User

from .models import InspectionKind, Outcome, Scope, Section

DATE_ERROR = _("Ngày phải có dạng dd/mm/yyyy, ví dụ 15/03/2026.")
REQUIRED = _("Không được để trống.")

# Photos of a tick: JPEG or PNG only, checked by their first bytes.
MAX_PHOTO_BYTES = 8 * 1024 * 1024
PHOTO_SIGNATURES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


def sniff_photo(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, content_type in PHOTO_SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def date_field(label: str, **kwargs: Any) -> forms.DateField:
    return DayMonthYearField(
        label=label,
        error_messages={"invalid": DATE_ERROR, "required": REQUIRED},
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"inputmode": "numeric", "placeholder": "dd/mm/yyyy"}
        ),
        **kwargs,
    )


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username}" + (f" – {obj.title}" if obj.title else "")


class StartInspectionForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Đơn vị được kiểm tra"),
        queryset=Agency.objects.none(),
        error_messages={
            "required": REQUIRED,
            "invalid_choice": _("Đơn vị này không thuộc phạm vi kiểm tra của bạn."),
        },
    )
    inspected_on = date_field(_("Ngày kiểm tra"))
    kind = forms.ChoiceField(
        label=_("Hình thức"), choices=InspectionKind.choices, initial=InspectionKind.UNANNOUNCED
    )
    co_inspectors = StaffChoiceField(
        label=_("Thành viên đoàn kiểm tra"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Người được chọn không phải cán bộ kiểm tra.")},
    )

    def __init__(self, *args: Any, user: User, agency_ids: set[int] | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(is_active=True).order_by("name")
        inspectors = User.objects.filter(is_inspector=True, is_active=True).exclude(pk=user.pk)
        if agency_ids is not None:
            agencies = agencies.filter(pk__in=agency_ids)
            inspectors = inspectors.filter(agency_id__in=agency_ids)
        self.fields["agency"].queryset = agencies
        self.fields["co_inspectors"].queryset = inspectors.order_by("last_name", "first_name")
        self.fields["inspected_on"].initial = timezone.localdate()


class OfficersForm(forms.Form):
    officers = StaffChoiceField(
        label=_("Cán bộ có mặt"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Người được chọn không phải cán bộ của đơn vị.")},
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = User.objects.filter(
            agency=agency, is_active=True
        ).order_by("last_name", "first_name")


class TickForm(forms.Form):
    item = forms.IntegerField(min_value=1, max_value=BIGINT_MAX)
    target = forms.RegexField(regex=r"^(p|o\d{1,12}|d\d{1,12})$", max_length=24)
    outcome = forms.ChoiceField(choices=[("", "-"), *Outcome.choices], required=False)
    note = forms.CharField(max_length=1000, required=False)
    stamp = forms.IntegerField(required=False, min_value=0, max_value=BIGINT_MAX)


class PhotoForm(forms.Form):
    item = forms.IntegerField(min_value=1, max_value=BIGINT_MAX)
    target = forms.RegexField(regex=r"^(p|o\d{1,12}|d\d{1,12})$", max_length=24)
    photo = forms.FileField(
        label=_("Ảnh (JPEG hoặc PNG, tối đa 8 MB)"), error_messages={"required": REQUIRED}
    )

    def clean_photo(self) -> UploadedFile:
        photo = self.cleaned_data["photo"]
        if photo.size > MAX_PHOTO_BYTES:
            raise ValidationError(_("Ảnh lớn hơn 8 MB; hãy chụp lại với độ phân giải thấp hơn."))
        content_type = sniff_photo(photo)
        if content_type is None:
            raise ValidationError(
                _("Tệp không phải ảnh JPEG hoặc PNG (đã kiểm tra nội dung tệp, không chỉ tên).")
            )
        self.content_type = content_type
        return photo


class FillForm(forms.Form):
    target = forms.RegexField(regex=r"^(p|o\d{1,12}|d\d{1,12})$", max_length=24)


class CompleteForm(forms.Form):
    conclusion = forms.CharField(
        label=_("Nhận xét, kết luận của đoàn kiểm tra"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )


class CommendationForm(forms.Form):
    officer = forms.ModelChoiceField(
        label=_("Cán bộ được biểu dương"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Cả đơn vị"),
    )
    description = forms.CharField(
        label=_("Nội dung biểu dương"),
        max_length=1000,
        error_messages={"required": REQUIRED},
    )

    def __init__(self, *args: Any, officer_ids: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = User.objects.filter(pk__in=officer_ids)


class CloseFollowUpForm(forms.Form):
    resolution = forms.CharField(
        label=_("Kết quả khắc phục"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": REQUIRED},
    )


class PlanForm(forms.Form):
    year = forms.IntegerField(
        label=_("Năm"), min_value=2000, max_value=2100, error_messages={"required": REQUIRED}
    )
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=255, required=False)
    required_percent = forms.IntegerField(
        label=_("Tỷ lệ đơn vị phải kiểm tra (%)"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Để trống để dùng mức chung của tỉnh."),
    )


class PlannedForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Đơn vị"),
        queryset=Agency.objects.none(),
        error_messages={
            "required": REQUIRED,
            "invalid_choice": _("Đơn vị này không trực thuộc cơ quan lập kế hoạch."),
        },
    )
    planned_on = date_field(_("Dự kiến ngày kiểm tra"))
    kind = forms.ChoiceField(
        label=_("Hình thức"), choices=InspectionKind.choices, initial=InspectionKind.ANNOUNCED
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args: Any, unit_ids: set[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=unit_ids).order_by("name")


class ItemForm(forms.Form):
    section = forms.ChoiceField(label=_("Nhóm tiêu chí"), choices=Section.choices)
    scope = forms.ChoiceField(label=_("Đối tượng"), choices=Scope.choices)
    code = forms.CharField(label=_("Mã"), max_length=10, error_messages={"required": REQUIRED})
    text = forms.CharField(
        label=_("Nội dung tiêu chí"), max_length=500, error_messages={"required": REQUIRED}
    )
    order = forms.IntegerField(label=_("Thứ tự"), min_value=0, max_value=999, initial=100)


class DraftForm(forms.Form):
    note = forms.CharField(label=_("Nội dung sửa đổi"), max_length=500, required=False)


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    format = forms.ChoiceField(choices=[("", "HTML"), ("xlsx", "Excel")], required=False)

    def year_or_current(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year
