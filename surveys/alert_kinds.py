"""The alerts and emails surveys owns, added to the desk's ``desk.alert_kinds``
extension point in ``SurveysConfig.ready()``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from desk.alerts import AlertKindSpec


class AlertKind(models.TextChoices):
    # A feedback's legal deadline passed (services.scan_feedback_deadlines).
    FEEDBACK_OVERDUE = "feedback_overdue", _("Phản ánh, kiến nghị quá hạn")
    # The email inviting the applicant to rate, after the return (services.invite_to_rate).
    RATING_INVITATION = "rating_invitation", _("Thư mời đánh giá")


SPECS = (
    AlertKindSpec(AlertKind.FEEDBACK_OVERDUE.value, AlertKind.FEEDBACK_OVERDUE.label),
    AlertKindSpec(
        AlertKind.RATING_INVITATION.value, AlertKind.RATING_INVITATION.label, letter=True
    ),
)
