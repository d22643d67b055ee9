"""Validation of the citizens' forms and the staff's filters. No writes here."""

import datetime as dt

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desk.models.dossier import validate_phone
from procedures.forms import INT_MAX
from procedures.models import Agency

from .models import FeedbackChannel, FeedbackClassification, FeedbackTopic, RatingChoice


class LookupForm(forms.Form):
    ma = forms.CharField(label=_("Mã hồ sơ"), max_length=40, required=False)
    khoa = forms.CharField(label=_("Mã tra cứu"), max_length=32, required=False)


class RatingForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Mức độ hài lòng"), choices=RatingChoice.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Lý do (bắt buộc nếu không hài lòng)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("choice") == RatingChoice.DISSATISFIED and not data.get("reason", "").strip():
            self.add_error("reason", _("Xin cho biết lý do Ông/Bà không hài lòng."))
        return data


def desk_agencies():
    """Agencies that receive feedback: every active agency, province first."""
    return Agency.objects.filter(is_active=True).order_by("level", "name")


validate_name = RegexValidator(r"\w", _("Xin nhập họ và tên."))


class FeedbackForm(forms.Form):
    """What Decree 20/2008 requires: content, name, address, phone (in Vietnamese)."""

    agency = forms.ModelChoiceField(
        label=_("Gửi đến cơ quan"), queryset=Agency.objects.none(), empty_label=None
    )
    topic = forms.ChoiceField(label=_("Nội dung liên quan đến"), choices=FeedbackTopic.choices)
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    content = forms.CharField(
        label=_("Nội dung phản ánh, kiến nghị"),
        min_length=20,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    dossier_code = forms.CharField(
        label=_("Mã hồ sơ liên quan (nếu có)"), max_length=40, required=False
    )
    sender_name = forms.CharField(label=_("Họ và tên"), max_length=100, validators=[validate_name])
    sender_address = forms.CharField(label=_("Địa chỉ"), max_length=300)
    sender_phone = forms.CharField(
        label=_("Số điện thoại"), max_length=15, validators=[validate_phone]
    )
    sender_email = forms.EmailField(label=_("Thư điện tử (không bắt buộc)"), required=False)
    # Honeypot: hidden from people (CSS and aria-hidden); robots fill every field.
    website = forms.CharField(label=_("Để trống ô này"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = desk_agencies()

    def is_spam(self) -> bool:
        return bool(self.data.get("website", "").strip())


class StaffFeedbackForm(FeedbackForm):
    """A hotline call or a letter, recorded by an officer."""

    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"),
        choices=[c for c in FeedbackChannel.choices if c[0] != FeedbackChannel.ONLINE],
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies
        del self.fields["website"]

    def is_spam(self) -> bool:
        return False


class FeedbackFollowForm(forms.Form):
    ma = forms.CharField(label=_("Mã phản ánh"), max_length=20, required=False)
    khoa = forms.CharField(label=_("Mã tra cứu"), max_length=32, required=False)


class SupplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Thông tin bổ sung"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=INT_MAX)


class AcceptForm(forms.Form):
    classification = forms.ChoiceField(
        label=_("Phân loại"),
        choices=[
            (FeedbackClassification.OWN, FeedbackClassification.OWN.label),
            (FeedbackClassification.BEHAVIOUR, FeedbackClassification.BEHAVIOUR.label),
        ],
    )
    officer = forms.ModelChoiceField(label=_("Cán bộ bị phản ánh"), queryset=None, required=False)
    dossier_code = forms.CharField(label=_("Mã hồ sơ liên quan"), max_length=40, required=False)

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do không tiếp nhận"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ForwardForm(forms.Form):
    to_agency = forms.ModelChoiceField(
        label=_("Chuyển đến cơ quan trong hệ thống"), queryset=None, required=False
    )
    to_name = forms.CharField(
        label=_("hoặc cơ quan ngoài hệ thống"), max_length=255, required=False
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = agencies


class SupplementRequestForm(forms.Form):
    request_text = forms.CharField(
        label=_("Thông tin cần người phản ánh bổ sung"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HandleForm(forms.Form):
    answer = forms.CharField(
        label=_("Kết quả xử lý"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    unfounded = forms.BooleanField(label=_("Phản ánh không đúng sự thật"), required=False)


class PublishForm(forms.Form):
    public_question = forms.CharField(
        label=_("Nội dung công khai (không ghi thông tin cá nhân)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    public_answer = forms.CharField(
        label=_("Kết quả công khai"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(value.strip(), "%d/%m/%Y").date()
    except ValueError:
        return None


class ResultsFilter(forms.Form):
    """Results per agency, officer and period (dd/mm/yyyy; this year by default)."""

    agency = forms.ModelChoiceField(label=_("Cơ quan"), queryset=None, required=False)
    officer = forms.ModelChoiceField(label=_("Cán bộ"), queryset=None, required=False)
    start = forms.CharField(label=_("Từ ngày"), required=False, max_length=10)
    end = forms.CharField(label=_("Đến ngày"), required=False, max_length=10)

    def __init__(self, *args, agencies=None, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["officer"].queryset = officers

    def clean_start(self) -> dt.date:
        value = self.cleaned_data.get("start") or ""
        if not value:
            return timezone.localdate().replace(month=1, day=1)
        parsed = _parse_date(value)
        if parsed is None:
            raise forms.ValidationError(_("Ngày phải viết dạng dd/mm/yyyy."))
        return parsed

    def clean_end(self) -> dt.date:
        value = self.cleaned_data.get("end") or ""
        if not value:
            return timezone.localdate()
        parsed = _parse_date(value)
        if parsed is None:
            raise forms.ValidationError(_("Ngày phải viết dạng dd/mm/yyyy."))
        return parsed

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data
