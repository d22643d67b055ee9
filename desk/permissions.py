"""Who may do what to a dossier, in which state: one table, read by the services
(which refuse) and by the dossier page (which offers only what is allowed).

A rule (procedures/permissions.py) names the states an action starts from and who
may take it: a role held in a given agency of the dossier (the receiving desk or
the unit now holding it).
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from procedures.models import Role
from procedures.permissions import Place, Rule, Table

from .models import Dossier, State


class Action(StrEnum):
    RECEIVE = "receive"
    GUIDE = "guide"
    REFUSE = "refuse"
    HAND_OVER = "hand_over"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUPPLY = "supply"
    REQUEST_PAYMENT = "request_payment"
    CONFIRM_PAYMENT = "confirm_payment"
    APOLOGISE = "apologise"
    REQUEST_WITHDRAWAL = "request_withdrawal"
    STOP = "stop"
    COMPLETE = "complete"
    RETURN = "return"
    CORRECT = "correct"


ACTION_LABELS = {
    Action.RECEIVE: _("Tiếp nhận"),
    Action.GUIDE: _("Hướng dẫn hoàn thiện hồ sơ"),
    Action.REFUSE: _("Từ chối tiếp nhận"),
    Action.HAND_OVER: _("Chuyển xử lý"),
    Action.REQUEST_SUPPLEMENT: _("Yêu cầu bổ sung"),
    Action.SUPPLY: _("Nhận hồ sơ bổ sung"),
    Action.REQUEST_PAYMENT: _("Thông báo nghĩa vụ tài chính"),
    Action.CONFIRM_PAYMENT: _("Xác nhận đã nộp phí, thuế"),
    Action.APOLOGISE: _("Xin lỗi, hẹn lại ngày trả"),
    Action.REQUEST_WITHDRAWAL: _("Ghi nhận yêu cầu rút hồ sơ"),
    Action.STOP: _("Dừng xử lý"),
    Action.COMPLETE: _("Hoàn thành xử lý"),
    Action.RETURN: _("Trả kết quả"),
    Action.CORRECT: _("Điều chỉnh về trạng thái đã xử lý"),
}

DESK = Place(  # the receiving agency
    "desk", lambda user, dossier: user.agency_id == dossier.receiving_agency_id
)
HOLDER = Place(  # the agency now holding the dossier
    "holder", lambda user, dossier: user.agency_id == dossier.current_agency_id
)
ANY = Place(  # any agency of the dossier's the user may see
    "any",
    lambda user, dossier: (
        user.can_see_agency(dossier.receiving_agency_id)
        or user.can_see_agency(dossier.current_agency_id)
    ),
)

RULES: Table[Action] = Table(
    {
        Action.RECEIVE: Rule((State.REGISTERED,), ((Role.CLERK, DESK),)),
        Action.GUIDE: Rule((State.REGISTERED,), ((Role.CLERK, DESK),)),
        Action.REFUSE: Rule((State.REGISTERED,), ((Role.CLERK, DESK),)),
        Action.HAND_OVER: Rule(
            (State.RECEIVED, State.PROCESSING),
            ((Role.CLERK, DESK), (Role.OFFICER, HOLDER), (Role.UNIT_HEAD, HOLDER)),
        ),
        Action.REQUEST_SUPPLEMENT: Rule(
            (State.PROCESSING,), ((Role.OFFICER, HOLDER), (Role.UNIT_HEAD, HOLDER))
        ),
        Action.SUPPLY: Rule(
            (State.SUPPLEMENT,),
            ((Role.CLERK, DESK), (Role.OFFICER, HOLDER), (Role.UNIT_HEAD, HOLDER)),
        ),
        Action.REQUEST_PAYMENT: Rule(
            (State.PROCESSING,), ((Role.OFFICER, HOLDER), (Role.UNIT_HEAD, HOLDER))
        ),
        Action.CONFIRM_PAYMENT: Rule(
            (State.AWAITING_PAYMENT,),
            ((Role.CLERK, DESK), (Role.OFFICER, HOLDER), (Role.UNIT_HEAD, HOLDER)),
        ),
        Action.APOLOGISE: Rule((State.PROCESSING,), ((Role.UNIT_HEAD, HOLDER),)),
        Action.REQUEST_WITHDRAWAL: Rule(
            (State.REGISTERED, State.RECEIVED, State.PROCESSING, State.SUPPLEMENT),
            ((Role.CLERK, DESK),),
        ),
        Action.STOP: Rule(
            (State.SUPPLEMENT, State.WITHDRAWAL_REQUESTED),
            ((Role.CLERK, DESK), (Role.UNIT_HEAD, HOLDER)),
        ),
        Action.COMPLETE: Rule(
            (State.PROCESSING,), ((Role.OFFICER, HOLDER), (Role.UNIT_HEAD, HOLDER))
        ),
        Action.RETURN: Rule((State.PROCESSED,), ((Role.CLERK, DESK),)),
        Action.CORRECT: Rule((State.RETURNED,), ((Role.ADMINISTRATOR, ANY),)),
    },
    state_label=lambda state: State(state).label,
    labels=ACTION_LABELS,
    wrong_state=_("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(state)s”."),
    refused=_("Bạn không có quyền “%(action)s” đối với hồ sơ này."),
)


def refusal(user, dossier: Dossier, action: Action) -> str | None:
    """Why ``user`` may not take ``action`` on ``dossier`` now, or None if they may."""
    return RULES.refusal(user, dossier, action)


def allowed_actions(user, dossier: Dossier) -> list[Action]:
    return RULES.allowed(user, dossier)


def can_see_personal_data(user, dossier: Dossier) -> bool:
    """Full identification numbers, addresses and phones: only staff of the agencies
    handling the dossier (docs/domain.md §12), not leaders browsing a subtree."""
    return user.is_active and user.agency_id in {
        dossier.receiving_agency_id,
        dossier.current_agency_id,
    }
