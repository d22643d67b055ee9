"""Answers to a survey template: a citizen's questionnaire or the staff's
nine-criterion evaluation."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from desk.models import Dossier
from procedures.models import User

from ..models import SurveyKind, SurveyResponse, SurveyTemplate
from .base import SurveyError


@transaction.atomic
def submit_survey(
    *,
    template: SurveyTemplate,
    dossier: Dossier,
    answers: dict[int, int],
    user: User | None = None,
    now: dt.datetime | None = None,
) -> SurveyResponse:
    """A filled questionnaire (citizen) or nine-criterion evaluation (staff), once per
    dossier and template. Every question must be answered within the scale."""
    Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    if template.kind == SurveyKind.QUICK:
        raise SurveyError(_("Phiếu đánh giá nhanh dùng trang đánh giá."))
    if SurveyResponse.objects.filter(template=template, dossier=dossier).exists():
        raise SurveyError(_("Hồ sơ này đã có phiếu trả lời theo mẫu này."))
    allowed = range(0, 3) if template.kind == SurveyKind.NINE_CRITERIA else range(1, 6)
    clean: dict[str, int] = {}
    for question in template.questions.all():
        score = answers.get(question.pk)
        if score is None or score not in allowed:
            raise SurveyError(
                _("Xin trả lời đủ mọi câu hỏi (câu “%(question)s” chưa có câu trả lời hợp lệ).")
                % {"question": question.text}
            )
        clean[str(question.pk)] = score
    if not clean:
        raise SurveyError(_("Mẫu phiếu chưa có câu hỏi."))
    total = sum(clean.values())
    response = SurveyResponse.objects.create(
        template=template,
        dossier=dossier,
        agency_id=dossier.receiving_agency_id,
        answers=clean,
        total=total,
        grade=template.grade(total) if template.kind == SurveyKind.NINE_CRITERIA else "",
        created_by=user if user is not None and user.is_authenticated else None,
        created_at=now or timezone.now(),
    )
    return response
