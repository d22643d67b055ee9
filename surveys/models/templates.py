"""Survey templates an administrator edits (mẫu phiếu khảo sát), and their answers.

Three kinds (docs/domain.md §9):
- the quick rating: its prompt, shown at the kiosk and on the rating page;
- the nine-criterion evaluation of a dossier's handling, each criterion scored
  2/1/0 (max 18), graded by configurable bands (xuất sắc / tốt / khá / trung bình / yếu);
- a questionnaire in the national satisfaction index's style (SIPAS): questions
  grouped in five factors, each answered on a 5-point scale.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desk.models import Dossier
from procedures.models import Agency
from procedures.models.fields import staff_reference


class SurveyKind(models.TextChoices):
    QUICK = "quick", _("Đánh giá nhanh")
    NINE_CRITERIA = "nine", _("Đánh giá theo 9 tiêu chí")
    SIPAS = "sipas", _("Khảo sát 5 yếu tố (thang 5 điểm)")


class SipasFactor(models.TextChoices):
    ACCESS = "access", _("Tiếp cận dịch vụ")
    PROCEDURE = "procedure", _("Thủ tục hành chính")
    CIVIL_SERVANT = "civil_servant", _("Công chức giải quyết")
    RESULT = "result", _("Kết quả giải quyết")
    FEEDBACK = "feedback", _("Tiếp nhận, xử lý phản ánh, kiến nghị")


# The default bands of the nine-criterion evaluation: (lowest total, grade).
DEFAULT_GRADE_BANDS = [
    {"min": 17, "label": "Xuất sắc"},
    {"min": 14, "label": "Tốt"},
    {"min": 10, "label": "Khá"},
    {"min": 7, "label": "Trung bình"},
    {"min": 0, "label": "Yếu"},
]


def default_grade_bands() -> list[dict]:
    return [dict(band) for band in DEFAULT_GRADE_BANDS]


class SurveyTemplate(models.Model):
    """A survey form; one active template per kind is used."""

    kind = models.CharField(_("loại phiếu"), max_length=10, choices=SurveyKind.choices)
    name = models.CharField(_("tên phiếu"), max_length=255)
    intro = models.TextField(_("lời dẫn"), blank=True)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    # Nine-criterion evaluation only: [{"min": 17, "label": "Xuất sắc"}, ...].
    grade_bands = models.JSONField(_("xếp loại theo tổng điểm"), default=default_grade_bands)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("thời điểm cập nhật"))

    class Meta:
        verbose_name = _("mẫu phiếu khảo sát")
        verbose_name_plural = _("mẫu phiếu khảo sát")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(is_active=True), name="one_active_template_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def active(cls, kind: str) -> "SurveyTemplate | None":
        return cls.objects.filter(kind=kind, is_active=True).first()

    def clean(self) -> None:
        if self.kind != SurveyKind.NINE_CRITERIA:
            return
        bands = self.grade_bands
        ok = isinstance(bands, list) and bands
        if ok:
            try:
                mins = [int(band["min"]) for band in bands]
                ok = all(str(band["label"]).strip() for band in bands) and 0 in mins
            except (KeyError, TypeError, ValueError):
                ok = False
        if not ok:
            raise ValidationError(
                {
                    "grade_bands": _(
                        'Xếp loại phải là danh sách {"min": điểm thấp nhất, "label": tên loại}, '
                        "có một mức bắt đầu từ 0."
                    )
                }
            )

    def grade(self, total: int) -> str:
        """The band whose lowest total is the highest one not above ``total``."""
        bands = sorted(self.grade_bands, key=lambda band: int(band["min"]), reverse=True)
        for band in bands:
            if total >= int(band["min"]):
                return str(band["label"])
        return ""

    @property
    def max_score(self) -> int:
        return 2 if self.kind == SurveyKind.NINE_CRITERIA else 5


class SurveyQuestion(models.Model):
    template = models.ForeignKey(
        SurveyTemplate, on_delete=models.CASCADE, related_name="questions", verbose_name=_("mẫu")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    text = models.CharField(_("câu hỏi"), max_length=500)
    help_text = models.CharField(_("hướng dẫn chấm"), max_length=500, blank=True)
    # SIPAS questions belong to one of the five factors.
    factor = models.CharField(_("yếu tố"), max_length=20, choices=SipasFactor.choices, blank=True)

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    """A filled form: a citizen's questionnaire or an officer's nine-criterion evaluation."""

    template = models.ForeignKey(
        SurveyTemplate, on_delete=models.PROTECT, related_name="responses", verbose_name=_("mẫu")
    )
    dossier = models.ForeignKey(
        Dossier,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_responses",
        verbose_name=_("hồ sơ liên quan"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="survey_responses", verbose_name=_("cơ quan")
    )
    # {"<question id>": score}
    answers = models.JSONField(default=dict, verbose_name=_("câu trả lời"))
    total = models.PositiveSmallIntegerField(default=0, verbose_name=_("tổng"))
    grade = models.CharField(_("xếp loại"), max_length=50, blank=True)
    created_by = staff_reference(_("người tạo"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("thời điểm tạo"))

    class Meta:
        verbose_name = _("phiếu khảo sát đã trả lời")
        verbose_name_plural = _("phiếu khảo sát đã trả lời")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "dossier"], name="one_response_per_template_dossier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template_id} {self.dossier_id} {self.total}"

    def factor_means(self) -> dict[str, Decimal]:
        """SIPAS: mean score per factor (one decimal)."""
        sums: dict[str, list[int]] = {}
        for question in self.template.questions.all():
            score = self.answers.get(str(question.pk))
            if score is not None and question.factor:
                sums.setdefault(question.factor, []).append(int(score))
        return {
            factor: (Decimal(sum(scores)) / len(scores)).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
            for factor, scores in sums.items()
        }
