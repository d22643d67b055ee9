"""Writes of the citizens' side: ratings, survey answers, feedback (PAKN) and its steps.

Each write is one transaction that locks the row two people could change at once
(the dossier for a rating, the feedback for its steps), validates, writes and
records what happened. Refusals raise ``SurveyError`` with a message for the user.

One module a concept: ``ratings`` (and the invitation to rate), ``kiosks``,
``templates`` (survey templates' answers), ``feedback`` (its steps, rules and
overdue scan); ``base`` holds the refusal they share. Callers import from here.
"""

from .base import (
    StaleFeedback,
    SurveyError,
)
from .feedback import (
    FEEDBACK_ACTIONS,
    FEEDBACK_DAYS,
    FEEDBACK_RULES,
    FEEDBACK_SCAN,
    HANDLERS,
    MAX_CATCH_UP,
    FeedbackAction,
    Sender,
    accept_feedback,
    feedback_recipients,
    feedback_refusal,
    forward_feedback,
    handle_feedback,
    new_feedback_code,
    publish_feedback,
    refuse_feedback,
    request_feedback_supplement,
    scan_feedback_deadlines,
    submit_feedback,
    supply_feedback,
)
from .kiosks import (
    claim_kiosk,
    kiosk_dossier,
)
from .ratings import (
    HANDLING_EVENTS,
    handling_officer_ids,
    handling_officers,
    invite_to_rate,
    rating_deadline,
    rating_link_closes,
    rating_refusal,
    rating_url,
    record_rating,
)
from .templates import (
    submit_survey,
)

__all__ = [
    "FEEDBACK_ACTIONS",
    "FEEDBACK_DAYS",
    "FEEDBACK_RULES",
    "FEEDBACK_SCAN",
    "HANDLERS",
    "HANDLING_EVENTS",
    "MAX_CATCH_UP",
    "FeedbackAction",
    "Sender",
    "StaleFeedback",
    "SurveyError",
    "accept_feedback",
    "claim_kiosk",
    "feedback_recipients",
    "feedback_refusal",
    "forward_feedback",
    "handle_feedback",
    "handling_officer_ids",
    "handling_officers",
    "invite_to_rate",
    "kiosk_dossier",
    "new_feedback_code",
    "publish_feedback",
    "rating_deadline",
    "rating_link_closes",
    "rating_refusal",
    "rating_url",
    "record_rating",
    "refuse_feedback",
    "request_feedback_supplement",
    "scan_feedback_deadlines",
    "submit_feedback",
    "submit_survey",
    "supply_feedback",
]
