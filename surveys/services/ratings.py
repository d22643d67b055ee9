"""Ratings (đánh giá mức độ hài lòng): who may rate, the one rating per dossier, the
officers it counts for, and the invitation mailed after the return."""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from desk.models import Dossier, DossierEvent, EventKind, State

from ..models import Kiosk, Rating, RatingChoice, RatingInvitation
from .base import SurveyError, _setting


def rating_deadline(dossier: Dossier) -> dt.datetime | None:
    """Until when the rating link works: ``RATING_LINK_DAYS`` after the return."""
    if dossier.returned_at is None:
        return None
    return dossier.returned_at + dt.timedelta(days=_setting("RATING_LINK_DAYS", 30))


def rating_link_closes(returned_at: dt.datetime) -> dt.datetime:
    """When the rating link of a dossier returned at ``returned_at`` stops working
    (the lookup page's test, without a model instance)."""
    return returned_at + dt.timedelta(days=_setting("RATING_LINK_DAYS", 30))


def rating_refusal(dossier: Dossier, *, now: dt.datetime | None = None) -> str | None:
    """Why this dossier cannot be rated now, or None."""
    now = now or timezone.now()
    if dossier.state != State.RETURNED or dossier.returned_at is None:
        return _("Hồ sơ chưa được trả kết quả nên chưa thể đánh giá.")
    deadline = rating_deadline(dossier)
    if deadline is not None and now > deadline:
        return _(
            "Đường dẫn đánh giá đã hết hạn: chỉ đánh giá được trong %(days)s ngày kể từ ngày "
            "trả kết quả."
        ) % {"days": _setting("RATING_LINK_DAYS", 30)}
    return None


# Timeline steps whose people "handled" the dossier (docs/domain.md §9).
HANDLING_EVENTS = (
    EventKind.RECEIVE,
    EventKind.HAND_OVER,
    EventKind.REQUEST_SUPPLEMENT,
    EventKind.SUPPLY,
    EventKind.COMPLETE,
    EventKind.RETURN,
)


def handling_officer_ids(dossier: Dossier) -> set[int]:
    """The receiving clerk, everyone a step was handed to, and whoever acted on it."""
    return handling_officers([dossier])[dossier.pk]


def handling_officers(dossiers) -> dict[int, set[int]]:
    """``handling_officer_ids`` of many dossiers in one query: dossier id -> user ids."""
    found: dict[int, set[int]] = {d.pk: {d.received_by_id} - {None} for d in dossiers}
    for dossier_id, actor, to_user in DossierEvent.objects.filter(
        dossier_id__in=list(found), kind__in=HANDLING_EVENTS
    ).values_list("dossier_id", "actor_id", "to_user_id"):
        found[dossier_id].update(pk for pk in (actor, to_user) if pk)
    return found


@transaction.atomic
def record_rating(
    *,
    dossier: Dossier,
    choice: str,
    reason: str = "",
    channel: str,
    kiosk: Kiosk | None = None,
    now: dt.datetime | None = None,
) -> Rating:
    """One rating per dossier. The dossier row is locked so two taps (kiosk and
    phone at once) cannot both pass the "not rated yet" check; the unique
    constraint stands behind it."""
    now = now or timezone.now()
    locked = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    refusal = rating_refusal(locked, now=now)
    if refusal:
        raise SurveyError(refusal)
    if choice not in RatingChoice.values:
        raise SurveyError(_("Xin chọn một mức độ hài lòng."))
    reason = (reason or "").strip()
    if len(reason) > 2000:
        raise SurveyError(_("Lý do dài quá 2.000 ký tự."))
    if choice == RatingChoice.DISSATISFIED and not reason:
        raise SurveyError(_("Xin cho biết lý do Ông/Bà không hài lòng."))
    if Rating.objects.filter(dossier=locked).exists():
        raise SurveyError(
            _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần. Xin cảm ơn!")
        )
    rating = Rating(
        dossier=locked,
        agency_id=locked.receiving_agency_id,
        choice=choice,
        reason=reason,
        channel=channel,
        kiosk=kiosk,
        created_at=now,
    )
    rating.full_clean(exclude=["dossier"])
    rating.save()
    rating.officers.set(handling_officer_ids(locked))
    return rating


def rating_url(dossier: Dossier) -> str:
    """The rating address mailed after the return (the receipt prints the same)."""
    query = urlencode({"ma": dossier.code, "khoa": dossier.lookup_key})
    return f"{settings.SITE_URL}{reverse('surveys:rate')}?{query}"


def invite_to_rate(*, dossier_id: int, now: dt.datetime | None = None) -> str:
    """Email the rating link to the applicant after the return, at most once.

    The first call records the invitation and its email in the desk's outbox
    (desk/alerts/delivery.py), then sends it as the outbox does. Returns "sent",
    "no-email", "not-claimed" (sent already, or another worker is sending), "failed"
    (the outbox gave up) or "gone" (no such dossier: the task is queued after the
    return commits, so the row will not appear later; retrying would only keep the
    worker busy). A failed send leaves the email pending and raises the mailer's
    error, so the task retries (and the outbox sweep also tries it).
    """
    from desk.alerts import TransientEmailError, deliver_email

    now = now or timezone.now()
    dossier = (
        Dossier.objects.select_related("procedure", "receiving_agency")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        return "gone"
    if not dossier.applicant_email or dossier.state != State.RETURNED:
        return "no-email"
    notification_id = _rating_invitation(dossier, now)
    try:
        return deliver_email(notification_id, now=now)
    except TransientEmailError as exc:
        raise (exc.__cause__ or exc) from None  # the mailer's own error, for the retry


@transaction.atomic
def _rating_invitation(dossier: Dossier, now: dt.datetime) -> int:
    """The outbox row of the dossier's invitation, written once: the dossier is
    locked, so two workers with the same task wait for each other."""
    from desk.alerts import make_notification

    from ..alert_kinds import AlertKind

    Dossier.objects.select_for_update(of=("self",)).filter(pk=dossier.pk).exists()
    existing = RatingInvitation.objects.filter(dossier=dossier).values_list(
        "notification_id", flat=True
    )
    if existing:
        return existing[0]
    with override(settings.LANGUAGE_CODE):
        subject = _("Mời đánh giá mức độ hài lòng về hồ sơ %(code)s") % {"code": dossier.code}
        body = _(
            "Kính gửi Ông/Bà %(name)s,\n\n%(desk)s đã trả kết quả hồ sơ %(code)s (%(procedure)s).\n"
            "Mời Ông/Bà dành một phút đánh giá mức độ hài lòng (trong %(days)s ngày):\n%(link)s\n\n"
            "Xin cảm ơn."
        ) % {
            "name": dossier.masked_applicant_name,
            "desk": dossier.receiving_agency.desk_name or dossier.receiving_agency.name,
            "code": dossier.code,
            "procedure": dossier.procedure.name,
            "days": _setting("RATING_LINK_DAYS", 30),
            "link": rating_url(dossier),
        }
    notification = make_notification(
        recipient=None,
        email_to=dossier.applicant_email,
        kind=AlertKind.RATING_INVITATION,
        title=subject,
        body=body,
        now=now,
    )
    notification.save()
    RatingInvitation.objects.create(dossier=dossier, notification=notification, created_at=now)
    return notification.pk
