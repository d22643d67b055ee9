"""The signed apology (form 04): the desk is told to relay it, the applicant is
emailed, its PDF is stored; and the sweep's list of those left unfinished."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from procedures.models import User

from ..models import AlertKind, ApologyLetter, ApologyStatus, Dossier
from .notify import notify_once, tell_applicant
from .scan import MAX_CATCH_UP

# A signed apology whose finishing task has not run this long after signing (broker
# down when it was signed, or the worker died) is finished by the outbox sweep.
APOLOGY_FINISH_GRACE = dt.timedelta(minutes=2)


def finalize_apology(*, letter_id: int) -> None:
    """Tell the desk and email the applicant about a signed form 04, then store its PDF.

    Safe to run twice: both messages are keyed by the letter, so a retry never sends
    them again, and the PDF is written once. The PDF comes last: a letter without
    one is unfinished, and the outbox sweep (``unfinished_apology_ids``) finishes it.
    """
    from django.core.files.base import ContentFile

    from ..legal_forms import FORMS

    letter = ApologyLetter.objects.select_related("dossier", "agency").get(pk=letter_id)
    if letter.status != ApologyStatus.APPROVED:
        return
    dossier = letter.dossier
    _tell_desk(letter, dossier)
    _tell_applicant_of_apology(letter, dossier)
    if not letter.pdf:
        form = FORMS["apology"]
        pdf = form.render(form.build(dossier, full=True))
        with transaction.atomic():
            locked = ApologyLetter.objects.select_for_update().get(pk=letter_id)
            if not locked.pdf:
                locked.pdf.save(f"{dossier.code}-xin-loi.pdf", ContentFile(pdf), save=True)


def unfinished_apology_ids(*, now: dt.datetime | None = None, limit: int = 100) -> list[int]:
    """Signed apologies whose finishing task never ran (the broker was down when the
    unit head signed) or died, signed within the catch-up window; oldest first."""
    now = now or timezone.now()
    return list(
        ApologyLetter.objects.filter(
            status=ApologyStatus.APPROVED,
            pdf="",
            signed_at__gte=now - MAX_CATCH_UP,
            signed_at__lte=now - APOLOGY_FINISH_GRACE,
        )
        .order_by("signed_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def _tell_desk(letter: ApologyLetter, dossier: Dossier) -> None:
    """The desk relays the apology to the applicant (email, SMS, phone): the clerk who
    received the dossier, or every clerk of the receiving desk if she is gone."""
    clerks = list(
        User.objects.filter(agency_id=dossier.receiving_agency_id, is_clerk=True, is_active=True)
    )
    recipients = [u for u in clerks if u.pk == dossier.received_by_id] or clerks
    if not recipients:
        return
    with override(settings.LANGUAGE_CODE):
        title = _("Hồ sơ %(code)s đã có văn bản xin lỗi, hẹn trả mới %(due)s") % {
            "code": dossier.code,
            "due": timezone.localtime(letter.new_due_at).strftime("%H:%M %d/%m/%Y"),
        }
        body = _(
            "%(agency)s đã ký văn bản xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s "
            "(%(procedure)s).\nLý do: %(reason)s\nĐề nghị thông báo cho người yêu cầu "
            "(thư điện tử, tin nhắn hoặc điện thoại)."
        ) % {
            "agency": letter.agency.name,
            "code": dossier.code,
            "procedure": dossier.procedure.name,
            "reason": letter.reason,
        }
    notify_once(
        subject=f"apology:{letter.pk}",
        kind=AlertKind.APOLOGY_ISSUED,
        deadline_at=letter.new_due_at,
        recipients=recipients,
        title=title,
        body=body,
        link=reverse("desk:detail", args=[dossier.code]),
    )


def _tell_applicant_of_apology(letter: ApologyLetter, dossier: Dossier) -> None:
    with override(settings.LANGUAGE_CODE):
        subject = _("Thông báo hẹn lại ngày trả kết quả hồ sơ %(code)s") % {"code": dossier.code}
        body = _(
            "Kính gửi Ông/Bà %(name)s,\n\n%(agency)s thành thật xin lỗi vì hồ sơ %(code)s "
            "(%(procedure)s) chưa được giải quyết đúng hẹn.\nLý do: %(reason)s\n"
            "Ngày hẹn trả kết quả mới: %(due)s.\n\nTra cứu hồ sơ: %(link)s"
        ) % {
            "name": dossier.applicant_name,
            "agency": letter.agency.name,
            "code": dossier.code,
            "procedure": dossier.procedure.name,
            "reason": letter.reason,
            "due": timezone.localtime(letter.new_due_at).strftime("%H:%M %d/%m/%Y"),
            "link": dossier.public_lookup_url,
        }
    tell_applicant(dossier=dossier, subject=subject, body=body, key=f"apology:{letter.pk}")
