"""Demo data of the citizens' side, after the desk's demo dossiers exist: a kiosk at
Phường Nha Trang's counter with a dossier just returned there, ratings for the
returned dossiers, feedback in every state; prints one lookup and one kiosk link.

Safe to run twice: ratings and feedback are created only when none exist.
"""

import datetime as dt
import random
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from desk.models import Dossier, State
from desk.services import DossierError, return_result
from procedures.models import Agency, User

from . import lookup_cache
from .models import Feedback, FeedbackClassification, Kiosk, Rating, RatingChannel, RatingChoice
from .services import (
    Sender,
    accept_feedback,
    forward_feedback,
    handle_feedback,
    handling_officers,
    publish_feedback,
    rating_refusal,
    refuse_feedback,
    request_feedback_supplement,
    submit_feedback,
)

DESK = "000.00.21.H56"  # Phường Nha Trang, where canbo works
REASONS = [
    "Phải đi lại nhiều lần mới đủ giấy tờ",
    "Chờ lâu, không có số thứ tự",
    "Cán bộ hướng dẫn chưa rõ ràng",
    "Trả kết quả trễ hẹn",
]


def load(stdout: TextIO) -> None:
    desk = Agency.objects.filter(identifier=DESK).first()
    clerk = User.objects.filter(username="canbo").first()
    if desk is None or clerk is None:
        stdout.write("Citizens: no demo desk, skipped")
        return
    kiosk, _created = Kiosk.objects.get_or_create(
        agency=desk, name="Quầy số 1", defaults={"clerk": clerk}
    )
    if not Rating.objects.exists():
        # First load only: a dossier handed back now, for the kiosk to show.
        just_returned = _return_one_now(desk, clerk)
        _ratings(exclude=just_returned)
    if not Feedback.objects.exists():
        _feedback(desk)
    stdout.write(
        f"Citizens: {Rating.objects.count()} ratings, {Feedback.objects.count()} feedback items"
    )
    sample = (
        Dossier.objects.filter(receiving_agency=desk, state=State.SUPPLEMENT).first()
        or Dossier.objects.filter(receiving_agency=desk, state=State.PROCESSING).first()
        or Dossier.objects.filter(receiving_agency=desk).first()
    )
    if sample is not None:
        stdout.write(f"Public lookup (no sign-in): {sample.public_lookup_url}")
    stdout.write(f"Rating kiosk at the counter: {kiosk.public_url}")


def _return_one_now(desk: Agency, clerk: User) -> Dossier | None:
    """A dossier canbo hands back now, so that the kiosk has something to show."""
    dossier = (
        Dossier.objects.filter(receiving_agency=desk, state=State.PROCESSED)
        .order_by("finished_at")
        .first()
    )
    if dossier is None:
        return None
    try:
        return return_result(
            dossier=dossier,
            version=dossier.version,
            user=clerk,
            identity_checked=True,
            delivery=dossier.delivery,
            note="Trả kết quả tại quầy số 1",
        )
    except DossierError:
        return None


def _ratings(*, exclude: Dossier | None) -> None:
    """About four in five returned dossiers rated, written in bulk (one service call
    per rating took a minute and a half): each passes the rules ``record_rating``
    applies (``rating_refusal``, a reason when dissatisfied) and lists the officers
    ``handling_officers`` names; the lookup pages cached before are forgotten."""
    rng = random.Random(2026)
    returned = Dossier.objects.filter(state=State.RETURNED, returned_at__isnull=False)
    if exclude is not None:
        returned = returned.exclude(pk=exclude.pk)
    ratings: list[Rating] = []
    for dossier in returned.order_by("returned_at", "pk"):
        if rng.random() < 0.2:  # not everyone rates
            continue
        choice = rng.choices(
            [RatingChoice.VERY_SATISFIED, RatingChoice.SATISFIED, RatingChoice.DISSATISFIED],
            weights=[55, 35, 10],
        )[0]
        reason = rng.choice(REASONS) if choice == RatingChoice.DISSATISFIED else ""
        channel = rng.choice([RatingChannel.KIOSK, RatingChannel.LINK])
        now = dossier.returned_at + dt.timedelta(minutes=rng.randint(1, 600))
        if rating_refusal(dossier, now=now) is None:
            ratings.append(
                Rating(
                    dossier=dossier,
                    agency_id=dossier.receiving_agency_id,
                    choice=choice,
                    reason=reason,
                    channel=channel,
                    created_at=now,
                )
            )
    with transaction.atomic():
        Rating.objects.bulk_create(ratings, batch_size=1000)
        officers = handling_officers([r.dossier for r in ratings])
        Through = Rating.officers.through
        Through.objects.bulk_create(
            [
                Through(rating_id=rating.pk, user_id=user_id)
                for rating in ratings
                for user_id in sorted(officers[rating.dossier_id])
            ],
            batch_size=5000,
        )
    if lookup_cache.enabled():
        lookup_cache.forget_all()


def _sender(n: int) -> Sender:
    names = ["Trần Văn Bình", "Lê Thị Hoa", "Phạm Minh Tuấn", "Nguyễn Thị Lan", "Võ Văn Nam"]
    return Sender(
        name=names[n % len(names)],
        address=f"{10 + n} Yersin, phường Nha Trang, tỉnh Khánh Hòa",
        phone=f"09051234{n:02d}",
    )


def _feedback(desk: Agency) -> None:
    now = timezone.now()
    head = User.objects.filter(agency=desk, is_unit_head=True).first()
    officer = User.objects.filter(agency=desk, is_officer=True).first()
    clerk = User.objects.filter(agency=desk, is_clerk=True).first()
    leader = head or User.objects.filter(agency=desk, is_leader=True).first()
    other = Agency.objects.exclude(pk=desk.pk).filter(parent_id=desk.parent_id).first()
    returned = Dossier.objects.filter(receiving_agency=desk, state=State.RETURNED).first()

    def new(n: int, days_ago: int, title: str, content: str, **extra) -> Feedback:
        return submit_feedback(
            agency=desk,
            topic=extra.pop("topic", "procedure"),
            title=title,
            content=content,
            sender=_sender(n),
            now=now - dt.timedelta(days=days_ago),
            **extra,
        )

    # Awaiting intake, one of them already past its 2-working-day intake deadline.
    new(1, 0, "Niêm yết phí chứng thực", "Đề nghị niêm yết rõ mức phí chứng thực bản sao tại quầy.")
    new(
        2,
        6,
        "Giờ làm việc buổi chiều",
        "Đề nghị mở cửa tiếp nhận hồ sơ đến 17 giờ các ngày thứ Sáu.",
    )
    # In handling: a behaviour complaint about the officer on a returned dossier.
    f = new(
        3,
        3,
        "Cán bộ hướng dẫn nhiều lần",
        "Tôi phải bổ sung giấy tờ ba lần vì mỗi lần chỉ được hướng dẫn một phần.",
        topic="behaviour",
        dossier_code=returned.code if returned else "",
    )
    if clerk and officer:
        accept_feedback(
            feedback=f,
            user=clerk,
            classification=FeedbackClassification.BEHAVIOUR,
            officer=officer,
            now=now - dt.timedelta(days=2),
        )
    # Awaiting the sender's supplement.
    f = new(4, 4, "Thủ tục đăng ký thường trú", "Thời hạn giải quyết trên cổng khác với tại quầy.")
    if clerk:
        accept_feedback(
            feedback=f, user=clerk, classification="own", now=now - dt.timedelta(days=4)
        )
        request_feedback_supplement(
            feedback=f,
            user=clerk,
            request_text="Xin cho biết mã thủ tục và ngày Ông/Bà xem trên cổng dịch vụ công.",
            now=now - dt.timedelta(days=3),
        )
    # Handled, awaiting publication; and two published.
    for n, title, content, publish in [
        (5, "Bãi đỗ xe", "Đề nghị bố trí chỗ để xe cho người dân đến nộp hồ sơ.", False),
        (6, "Ghế chờ", "Khu vực chờ thiếu ghế ngồi vào buổi sáng.", True),
        (7, "Mẫu tờ khai", "Đề nghị để sẵn mẫu tờ khai đăng ký khai sinh tại quầy.", True),
    ]:
        f = new(n, 10, title, content)
        if clerk and leader:
            accept_feedback(
                feedback=f, user=clerk, classification="own", now=now - dt.timedelta(days=9)
            )
            handle_feedback(
                feedback=f,
                user=leader,
                answer="Đã bố trí theo đề nghị của Ông/Bà từ tuần này.",
                now=now - dt.timedelta(days=2),
            )
            if publish:
                publish_feedback(
                    feedback=f,
                    user=leader,
                    public_question=content,
                    public_answer="Trung tâm đã bố trí theo đề nghị từ tuần này. Cảm ơn người dân đã góp ý.",
                    now=now - dt.timedelta(days=1),
                )
    # Refused and forwarded.
    f = new(8, 2, "Quảng cáo", "Nội dung không liên quan đến thủ tục hành chính nào cả.")
    if clerk:
        refuse_feedback(
            feedback=f,
            user=clerk,
            reason="Không thuộc phạm vi phản ánh, kiến nghị về quy định hành chính.",
            now=now - dt.timedelta(days=1),
        )
    f = new(9, 2, "Cấp phép xây dựng", "Thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ kéo dài.")
    if clerk and other:
        forward_feedback(feedback=f, user=clerk, to_agency=other, now=now - dt.timedelta(days=1))
