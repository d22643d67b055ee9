"""Forms of the desk: validation only. The views call desk/services/ with what
these forms clean; the services check permissions and states again under a lock.

Vietnamese messages throughout (gettext msgids); a wrong date, number or file is
a form error, never a 500.
"""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.fields import DayMonthYearField
from procedures.forms import INT_MAX
from procedures.models import Agency, Procedure, ProcedureVariant, User

from .dashboard import PERIOD_FIELDS
from .models import Channel, Delivery, Dossier
from .models.dossier import validate_id_number, validate_phone
from .services import ApplicantData, ReceivedDocument
from .uploads import ACCEPT_ATTRIBUTE, MAX_UPLOAD_FILES, validate_scan

DATE_HELP = _("Dạng ngày/tháng/năm, ví dụ 25/03/1990.")
DATETIME_HELP = _("Dạng ngày/tháng/năm giờ:phút, ví dụ 25/03/2026 16:00.")
REQUIRED = _("Không được để trống.")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented pattern); cleans to a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data]
        items = [item for item in items if item]
        if len(items) > MAX_UPLOAD_FILES:
            raise ValidationError(
                _("Tối đa %(count)d tệp mỗi lần tiếp nhận."), params={"count": MAX_UPLOAD_FILES}
            )
        cleaned, errors = [], []
        for item in items:
            try:
                upload = super().clean(item, initial)
                validate_scan(upload)
            except ValidationError as error:
                errors.extend(error.error_list)
            else:
                cleaned.append(upload)
        if errors:
            raise ValidationError(errors)
        return cleaned


def _clean_phone(value: str) -> str:
    value = re.sub(r"[\s.\-]", "", value or "")
    if value:
        validate_phone(value)
    return value


def _clean_id_number(value: str) -> str:
    value = re.sub(r"\s", "", value or "")
    if value:
        validate_id_number(value)
    return value


# ---------------------------------------------------------------- intake


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(label=_("Tên hoặc mã thủ tục"), required=False, max_length=200)


class IntakeForm(forms.Form):
    """Receiving a dossier at the desk (form 01): the documents ticked off against the
    procedure's list, the applicant, and the scans.

    Document fields are built from ``procedure.documents``: ``doc_<pk>`` (received),
    ``doc_<pk>_originals`` / ``_certified`` / ``_copies`` (counts, prefilled from the
    catalog) and ``doc_<pk>_digitised``; plus one free row for a document the
    catalog does not list.
    """

    procedure = forms.CharField(widget=forms.HiddenInput)
    variant = forms.ModelChoiceField(
        label=_("Trường hợp giải quyết"),
        queryset=ProcedureVariant.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Trường hợp đã chọn không thuộc thủ tục này.")},
    )

    applicant_name = forms.CharField(
        label=_("Họ và tên người yêu cầu"),
        max_length=255,
        error_messages={"required": _("Phải nhập họ và tên người yêu cầu.")},
    )
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân"),
        max_length=20,
        help_text=_("12 chữ số, in trên căn cước."),
        error_messages={"required": _("Phải nhập số định danh cá nhân (12 chữ số).")},
    )
    applicant_birth_date = DayMonthYearField(
        label=_("Ngày sinh"),
        required=False,
        help_text=DATE_HELP,
        error_messages={"invalid": _("Ngày sinh phải theo dạng ngày/tháng/năm, ví dụ 25/03/1990.")},
    )
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    applicant_phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    applicant_email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )

    filer_name = forms.CharField(
        label=_("Họ và tên người nộp thay"), max_length=255, required=False
    )
    filer_id_number = forms.CharField(
        label=_("Số định danh người nộp thay"), max_length=20, required=False
    )
    filer_phone = forms.CharField(
        label=_("Điện thoại người nộp thay"), max_length=20, required=False
    )
    filer_address = forms.CharField(
        label=_("Địa chỉ người nộp thay"), max_length=500, required=False
    )
    power_of_attorney = forms.CharField(
        label=_("Giấy ủy quyền (số, ngày)"), max_length=255, required=False
    )

    summary = forms.CharField(
        label=_("Trích yếu nội dung"),
        max_length=500,
        required=False,
        help_text=_("Để trống sẽ dùng tên thủ tục."),
    )
    sets_count = forms.IntegerField(
        label=_("Số bộ hồ sơ"),
        min_value=1,
        max_value=50,
        initial=1,
        error_messages={
            "invalid": _("Số bộ hồ sơ phải là số nguyên."),
            "min_value": _("Số bộ hồ sơ ít nhất là 1."),
            "max_value": _("Số bộ hồ sơ nhiều nhất là 50."),
            "required": _("Phải nhập số bộ hồ sơ."),
        },
    )
    channel = forms.ChoiceField(
        label=_("Hình thức nộp"),
        choices=[(Channel.DESK, Channel.DESK.label), (Channel.POST, Channel.POST.label)],
        initial=Channel.DESK,
    )
    delivery = forms.ChoiceField(
        label=_("Hình thức nhận kết quả"), choices=Delivery.choices, initial=Delivery.DESK
    )
    scans = MultipleFileField(
        label=_("Tệp số hóa (PDF, JPEG, PNG; mỗi tệp tối đa 10 MB)"), required=False
    )

    other_name = forms.CharField(label=_("Giấy tờ khác"), max_length=1000, required=False)

    COUNT_KINDS = (
        ("originals", _("Bản chính")),
        ("certified", _("Bản sao chứng thực")),
        ("copies", _("Bản sao")),
    )

    def __init__(self, *args: Any, procedure: Procedure, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("procedure", procedure.code)
        super().__init__(*args, **kwargs)
        self.procedure_obj = procedure
        variants = list(procedure.variants.all())
        self.variants = variants
        self.fields["variant"].queryset = procedure.variants.all()
        default = procedure.default_variant()
        if default is not None:
            self.fields["variant"].initial = default.pk
        if len(variants) <= 1:
            self.fields["variant"].widget = forms.HiddenInput()
        if not variants:
            self.fields["variant"].required = False
        self.catalog_documents = list(procedure.documents.all())
        for doc in self.catalog_documents:
            self._add_document_fields(f"doc_{doc.pk}", doc.name, doc)
        self._add_document_fields("doc_other", _("Giấy tờ khác"), None)
        for name in ("applicant_birth_date",):
            self.fields[name].widget.attrs.update(
                {"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
            )
        self.fields["applicant_id_number"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "maxlength": "12"}
        )
        self.fields["filer_id_number"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "maxlength": "12"}
        )
        for name in ("applicant_phone", "filer_phone"):
            self.fields[name].widget.input_type = "tel"
        self.fields["applicant_name"].widget.attrs["autocomplete"] = "off"
        # Keyboard flow: focus lands on the first thing the clerk decides.
        if not self.is_bound:
            first = "variant" if len(variants) > 1 else self._first_document_field()
            self.fields[first].widget.attrs["autofocus"] = True

    def _first_document_field(self) -> str:
        return f"doc_{self.catalog_documents[0].pk}" if self.catalog_documents else "doc_other"

    def _add_document_fields(self, prefix: str, label: Any, doc: Any) -> None:
        self.fields[prefix] = forms.BooleanField(label=label, required=False)
        catalog_counts = {
            "originals": doc.originals if doc else 0,
            "certified": doc.certified_copies if doc else 0,
            "copies": doc.copies if doc else 0,
        }
        for kind, kind_label in self.COUNT_KINDS:
            self.fields[f"{prefix}_{kind}"] = forms.IntegerField(
                label=kind_label,
                min_value=0,
                max_value=99,
                required=False,
                initial=catalog_counts[kind],
                widget=forms.NumberInput(attrs={"min": 0, "max": 99, "class": "count"}),
                error_messages={
                    "invalid": _("Số lượng phải là số nguyên từ 0 đến 99."),
                    "min_value": _("Số lượng phải là số nguyên từ 0 đến 99."),
                    "max_value": _("Số lượng phải là số nguyên từ 0 đến 99."),
                },
            )
        self.fields[f"{prefix}_digitised"] = forms.BooleanField(
            label=_("Đã số hóa"), required=False
        )

    # ------------------------------------------------------------ rendering helpers

    def document_rows(self) -> list[dict[str, Any]]:
        """One row per catalog document plus the free row, with their bound fields."""
        rows = []
        prefixes = [(f"doc_{doc.pk}", doc.name, doc) for doc in self.catalog_documents]
        prefixes.append(("doc_other", "", None))
        for prefix, name, doc in prefixes:
            rows.append(
                {
                    "name": name,
                    "form_name": doc.form_name if doc else "",
                    "other": doc is None,
                    "received": self[prefix],
                    "counts": [self[f"{prefix}_{kind}"] for kind, _label in self.COUNT_KINDS],
                    "digitised": self[f"{prefix}_digitised"],
                }
            )
        return rows

    def _group(self, names: tuple[str, ...]) -> list[forms.BoundField]:
        return [self[name] for name in names]

    @property
    def applicant_fields(self) -> list[forms.BoundField]:
        return self._group(
            (
                "applicant_name",
                "applicant_id_number",
                "applicant_birth_date",
                "applicant_phone",
                "applicant_email",
                "applicant_address",
            )
        )

    @property
    def filer_fields(self) -> list[forms.BoundField]:
        return self._group(
            ("filer_name", "filer_id_number", "filer_phone", "filer_address", "power_of_attorney")
        )

    @property
    def detail_fields(self) -> list[forms.BoundField]:
        return self._group(("summary", "sets_count", "channel", "delivery"))

    @property
    def filer_given(self) -> bool:
        return any(
            (self.data.get(name) or "").strip()
            for name in (
                "filer_name",
                "filer_id_number",
                "filer_phone",
                "filer_address",
                "power_of_attorney",
            )
        )

    # ------------------------------------------------------------ validation

    def clean_procedure(self) -> str:
        code = self.cleaned_data["procedure"]
        if code != self.procedure_obj.code:
            raise ValidationError(_("Thủ tục đã thay đổi; vui lòng chọn lại thủ tục."))
        return code

    def clean_applicant_name(self) -> str:
        return " ".join(self.cleaned_data["applicant_name"].split())

    def clean_applicant_id_number(self) -> str:
        return _clean_id_number(self.cleaned_data["applicant_id_number"])

    def clean_filer_id_number(self) -> str:
        return _clean_id_number(self.cleaned_data["filer_id_number"])

    def clean_applicant_phone(self) -> str:
        return _clean_phone(self.cleaned_data["applicant_phone"])

    def clean_filer_phone(self) -> str:
        return _clean_phone(self.cleaned_data["filer_phone"])

    def clean_applicant_birth_date(self) -> dt.date | None:
        value = self.cleaned_data["applicant_birth_date"]
        if value is not None and not (dt.date(1900, 1, 1) <= value <= timezone.localdate()):
            raise ValidationError(_("Ngày sinh không hợp lệ (không được sau ngày hôm nay)."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.variants:
            raise ValidationError(
                _("Thủ tục chưa có thời hạn giải quyết trong danh mục; chưa thể tiếp nhận."),
                code="no_term",
            )
        if self.filer_given:
            if not (data.get("filer_name") or "").strip():
                self.add_error("filer_name", _("Phải nhập họ và tên người nộp thay."))
            if not data.get("filer_id_number") and "filer_id_number" not in self.errors:
                self.add_error(
                    "filer_id_number", _("Phải nhập số định danh cá nhân của người nộp thay.")
                )
        if (data.get("other_name") or "").strip() and not data.get("doc_other"):
            data["doc_other"] = True  # naming an extra document means it was received
        if not any(data.get(f"doc_{doc.pk}") for doc in self.catalog_documents) and not data.get(
            "doc_other"
        ):
            raise ValidationError(
                _(
                    "Chưa đánh dấu giấy tờ nào đã nhận. Chỉ tiếp nhận hồ sơ khi đã nhận đủ "
                    "giấy tờ theo danh mục."
                ),
                code="no_documents",
            )
        if data.get("doc_other") and not (data.get("other_name") or "").strip():
            self.add_error("other_name", _("Phải ghi tên giấy tờ khác đã nhận."))
        return data

    # ------------------------------------------------------------ cleaned values

    def applicant(self) -> ApplicantData:
        data = self.cleaned_data
        return ApplicantData(
            name=data["applicant_name"],
            id_number=data["applicant_id_number"],
            birth_date=data.get("applicant_birth_date"),
            address=data.get("applicant_address") or "",
            phone=data.get("applicant_phone") or "",
            email=data.get("applicant_email") or "",
            filer_name=data.get("filer_name") or "",
            filer_id_number=data.get("filer_id_number") or "",
            filer_phone=data.get("filer_phone") or "",
            filer_address=data.get("filer_address") or "",
            power_of_attorney=data.get("power_of_attorney") or "",
        )

    def documents(self) -> list[ReceivedDocument]:
        data = self.cleaned_data
        received = []
        for prefix, name in [(f"doc_{d.pk}", d.name) for d in self.catalog_documents] + [
            ("doc_other", (data.get("other_name") or "").strip())
        ]:
            if not data.get(prefix):
                continue
            received.append(
                ReceivedDocument(
                    name=name,
                    originals=data.get(f"{prefix}_originals") or 0,
                    certified_copies=data.get(f"{prefix}_certified") or 0,
                    copies=data.get(f"{prefix}_copies") or 0,
                    digitised=bool(data.get(f"{prefix}_digitised")),
                )
            )
        return received


# ---------------------------------------------------------------- dossier actions


class DossierActionForm(forms.Form):
    """Every action form carries the version of the dossier the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=INT_MAX)

    def __init__(self, *args: Any, dossier: Dossier, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"]["version"] = dossier.version
        # Several action forms share one page: ids must stay unique, names plain.
        kwargs.setdefault("auto_id", f"id_{self.action_name}_%s")
        super().__init__(*args, **kwargs)
        self.dossier = dossier

    action_name = "action"

    def service_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for the service, beyond dossier, version and user."""
        return {}


def _text(label: Any, *, required: bool = False, rows: int = 2, message: Any = REQUIRED):
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message},
    )


class NoteForm(DossierActionForm):
    note = _text(_("Ghi chú"))

    def service_kwargs(self) -> dict[str, Any]:
        return {"note": self.cleaned_data["note"]}


class ReceiveForm(DossierActionForm):
    action_name = "receive"


class ItemsMixin:
    """Rows of missing items (name + reason), posted as parallel lists ``item_name`` /
    ``item_reason`` so that JavaScript may add rows without renumbering anything."""

    MIN_ROWS = 3
    data: Any
    is_bound: bool

    def item_rows(self) -> list[tuple[str, str]]:
        rows: list[tuple[str, str]] = []
        if self.is_bound:
            names = self.data.getlist("item_name")
            reasons = self.data.getlist("item_reason")
            for i in range(max(len(names), len(reasons))):
                name = names[i] if i < len(names) else ""
                reason = reasons[i] if i < len(reasons) else ""
                if name.strip() or reason.strip():
                    rows.append((name, reason))
        while len(rows) < self.MIN_ROWS:
            rows.append(("", ""))
        return rows

    def clean_items(self) -> list[dict[str, str]]:
        items = [
            {"name": name.strip()[:1000], "reason": reason.strip()[:2000]}
            for name, reason in self.item_rows()
            if name.strip() or reason.strip()
        ]
        if not items:
            raise ValidationError(_("Phải liệt kê ít nhất một nội dung cần bổ sung, kèm lý do."))
        if any(not item["name"] or not item["reason"] for item in items):
            raise ValidationError(_("Mỗi nội dung cần bổ sung phải có tên giấy tờ và lý do."))
        return items


class GuideForm(ItemsMixin, DossierActionForm):
    action_name = "guide"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["items"] = self.clean_items()
        return data

    def service_kwargs(self) -> dict[str, Any]:
        return {"items": self.cleaned_data["items"]}


class RefuseForm(DossierActionForm):
    action_name = "refuse"
    reason = _text(_("Lý do từ chối"), required=True, message=_("Phải ghi rõ lý do từ chối."))

    def service_kwargs(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"]}


class HandOverForm(DossierActionForm):
    """To a unit from ``services.hand_over_targets`` and, optionally, one of its officers."""

    action_name = "hand_over"
    to_agency = forms.TypedChoiceField(
        label=_("Chuyển đến đơn vị"),
        coerce=int,
        error_messages={
            "required": _("Phải chọn đơn vị nhận hồ sơ."),
            "invalid_choice": _("Không thể chuyển hồ sơ đến đơn vị này."),
        },
    )
    to_user = forms.TypedChoiceField(
        label=_("Cán bộ nhận (không bắt buộc)"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Cán bộ đã chọn không nhận được hồ sơ này.")},
    )
    note = _text(_("Ghi chú"))

    def __init__(
        self,
        *args: Any,
        targets: list[Agency] = (),
        officers: list[User] = (),
        chosen_agency: Agency | None = None,
        **kwargs: Any,
    ) -> None:
        """``officers`` are those of ``chosen_agency`` only: picking another unit
        reloads the list (htmx, desk:hand-over-officers); without JavaScript the
        dossier goes to the unit, which assigns it."""
        super().__init__(*args, **kwargs)
        self.targets = {agency.pk: agency for agency in targets}
        self.officers = {user.pk: user for user in officers}
        self.fields["to_agency"].choices = [
            ("", _("— Chọn đơn vị —")),
            *[(agency.pk, agency.name) for agency in targets],
        ]
        if chosen_agency is not None:
            self.fields["to_agency"].initial = chosen_agency.pk
        self.fields["to_agency"].widget.attrs.update(
            {
                "hx-get": reverse("desk:hand-over-officers", args=[self.dossier.code]),
                "hx-target": f"#{self.auto_id % 'to_user'}",
                # The officer already picked stays picked if the new unit has them.
                "hx-include": f"#{self.auto_id % 'to_user'}",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
            }
        )
        self.fields["to_user"].choices = [
            ("", _("— Không chỉ định, đơn vị tự phân công —")),
            *[
                (user.pk, f"{user} – {user.title}" if user.title else str(user))
                for user in officers
            ],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        agency = self.targets.get(data.get("to_agency"))
        user = self.officers.get(data.get("to_user")) if data.get("to_user") else None
        if agency is not None and user is not None and user.agency_id != agency.pk:
            self.add_error("to_user", _("Cán bộ nhận không thuộc đơn vị đã chọn."))
        data["agency_obj"], data["user_obj"] = agency, user
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"to_agency": data["agency_obj"], "to_user": data["user_obj"], "note": data["note"]}


class SupplementRequestForm(ItemsMixin, DossierActionForm):
    """Form 02: every missing item at once. ``override_reason`` exists only when this
    unit already asked once (a second request is audited and counted as late)."""

    action_name = "request_supplement"
    contact_name = forms.CharField(label=_("Cán bộ liên hệ"), max_length=255, required=False)
    contact_phone = forms.CharField(label=_("Điện thoại liên hệ"), max_length=30, required=False)
    override_reason = _text(_("Lý do yêu cầu bổ sung lần thứ hai (ngoại lệ, bị tính là trễ hạn)"))

    def __init__(self, *args: Any, earlier_request: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.earlier_request = earlier_request
        if not earlier_request:
            del self.fields["override_reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["items"] = self.clean_items()
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "items": data["items"],
            "contact_name": data.get("contact_name") or "",
            "contact_phone": data.get("contact_phone") or "",
            "override_reason": data.get("override_reason") or "",
        }


class SupplyForm(NoteForm):
    action_name = "supply"
    note = _text(_("Ghi chú (giấy tờ đã nhận bổ sung)"))


def parse_amount(value: str) -> Decimal:
    """ "50.000", "50,000", "50 000 đ" -> 50000 (whole đồng)."""
    digits = re.sub(r"[\s.,]|đồng|đ|vnđ|vnd", "", (value or "").strip().lower())
    if not digits.isdigit() or len(digits) > 14:
        raise ValidationError(
            _("Số tiền phải là số nguyên đồng, ví dụ 50.000."), code="invalid_amount"
        )
    return Decimal(digits)


class PaymentRequestForm(DossierActionForm):
    action_name = "request_payment"
    amount = forms.CharField(
        label=_("Số tiền phải nộp (đồng)"),
        max_length=30,
        error_messages={"required": _("Phải nhập số tiền.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    note = _text(_("Nội dung (phí, lệ phí, thuế)"))

    def clean_amount(self) -> Decimal:
        return parse_amount(self.cleaned_data["amount"])

    def service_kwargs(self) -> dict[str, Any]:
        return {"amount": self.cleaned_data["amount"], "note": self.cleaned_data["note"]}


class ConfirmPaymentForm(NoteForm):
    action_name = "confirm_payment"


class ApologyForm(DossierActionForm):
    action_name = "apologise"
    reason = _text(_("Lý do chậm trễ"), required=True, message=_("Phải ghi rõ lý do chậm trễ."))
    new_due_at = forms.DateTimeField(
        label=_("Ngày hẹn trả mới"),
        input_formats=["%d/%m/%Y %H:%M"],
        help_text=DATETIME_HELP,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy HH:MM", "inputmode": "numeric"}),
        error_messages={
            "required": _("Phải nhập ngày hẹn trả mới."),
            "invalid": _(
                "Ngày hẹn trả mới phải theo dạng ngày/tháng/năm giờ:phút, ví dụ 25/03/2026 16:00."
            ),
        },
    )

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "reason": self.cleaned_data["reason"],
            "new_due_at": self.cleaned_data["new_due_at"],
        }


class WithdrawalForm(DossierActionForm):
    action_name = "request_withdrawal"
    note = _text(_("Ngày, hình thức công dân đề nghị rút hồ sơ"))

    def service_kwargs(self) -> dict[str, Any]:
        return {"channel_note": self.cleaned_data["note"]}


class StopForm(DossierActionForm):
    action_name = "stop"
    reason = _text(_("Lý do dừng xử lý"), required=True, message=_("Phải ghi rõ lý do dừng xử lý."))

    def service_kwargs(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"]}


class CompleteForm(DossierActionForm):
    action_name = "complete"
    result_number = forms.CharField(
        label=_("Số, ký hiệu kết quả"),
        max_length=100,
        error_messages={"required": _("Phải nhập số, ký hiệu của kết quả.")},
    )
    result_signer = forms.CharField(
        label=_("Người ký kết quả"),
        max_length=255,
        error_messages={"required": _("Phải nhập người ký kết quả.")},
    )
    result_summary = _text(_("Tóm tắt kết quả giải quyết"))

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "result_number": data["result_number"],
            "result_signer": data["result_signer"],
            "result_summary": data["result_summary"],
        }


class ReturnForm(DossierActionForm):
    action_name = "return"
    identity_checked = forms.BooleanField(
        label=_("Đã kiểm tra giấy tờ tùy thân (và giấy ủy quyền nếu nhận thay)"),
        error_messages={
            "required": _(
                "Phải kiểm tra giấy tờ tùy thân (và giấy ủy quyền nếu nhận thay) trước khi trả kết quả."
            )
        },
    )
    delivery = forms.ChoiceField(label=_("Hình thức trả kết quả"), choices=Delivery.choices)
    note = _text(_("Ghi chú (thu bản chính, số vận đơn bưu chính…)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delivery"].initial = self.dossier.delivery

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"identity_checked": True, "delivery": data["delivery"], "note": data["note"]}


class CorrectForm(DossierActionForm):
    action_name = "correct"
    reason = _text(_("Lý do điều chỉnh"), required=True, message=_("Phải ghi rõ lý do điều chỉnh."))

    def service_kwargs(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"]}


PERIOD_FIELD_NAMES = {name for names in PERIOD_FIELDS.values() for name in names}


class DashboardFilterForm(forms.Form):
    """The dashboard's scope and period (GET). Bad values fall back to the defaults
    with a notice, never a 500: a bookmarked address keeps working."""

    agency = forms.TypedChoiceField(label=_("Cơ quan, đơn vị"), coerce=int, required=False)
    period = forms.ChoiceField(label=_("Kỳ"), required=False)
    month = forms.DateField(label=_("Tháng (mm/yyyy)"), required=False, input_formats=["%m/%Y"])
    quarter = forms.TypedChoiceField(
        label=_("Quý"),
        choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")],
        coerce=int,
        required=False,
    )
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False)
    start = DayMonthYearField(label=_("Từ ngày"), required=False)
    end = DayMonthYearField(label=_("Đến ngày"), required=False)

    def __init__(self, *args: Any, agencies: list[Agency], periods: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.pk, a.name) for a in agencies]
        self.fields["period"].choices = periods

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Only the chosen kind's fields count: the others may hold anything (they are
        # hidden, or left over from another choice) and are dropped, errors included.
        kind = data.get("period") or "12m"
        for name in PERIOD_FIELD_NAMES - set(PERIOD_FIELDS.get(kind, ())):
            data.pop(name, None)
            self._errors.pop(name, None)
        start, end = data.get("start"), data.get("end")
        if kind == "custom" and not (start and end):
            self.add_error("start", _("Kỳ tùy chọn cần cả ngày bắt đầu và ngày kết thúc."))
        if start and end and start > end:
            self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    def valid_data(self) -> dict[str, Any]:
        data = getattr(self, "cleaned_data", {})
        return {
            name: data[name] for name in self.fields if name in data and name not in self.errors
        }

    def ignored_labels(self) -> list[str]:
        return [str(self.fields[name].label or name) for name in self.errors if name in self.fields]
