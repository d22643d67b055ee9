from .feedback import (
    OPEN_FEEDBACK_STATES,
    Feedback,
    FeedbackChannel,
    FeedbackClassification,
    FeedbackEvent,
    FeedbackQuerySet,
    FeedbackState,
    FeedbackTopic,
)
from .ratings import Kiosk, Rating, RatingChannel, RatingChoice, RatingInvitation, RatingQuerySet
from .templates import SurveyKind, SurveyQuestion, SurveyResponse, SurveyTemplate

__all__ = [
    "OPEN_FEEDBACK_STATES",
    "Feedback",
    "FeedbackChannel",
    "FeedbackClassification",
    "FeedbackEvent",
    "FeedbackQuerySet",
    "FeedbackState",
    "FeedbackTopic",
    "Kiosk",
    "Rating",
    "RatingChannel",
    "RatingChoice",
    "RatingInvitation",
    "RatingQuerySet",
    "SurveyKind",
    "SurveyQuestion",
    "SurveyResponse",
    "SurveyTemplate",
]
