"""What every write of the citizens' side shares: its refusal and a setting's value."""

from django.conf import settings

from procedures.workflow import Refused, Stale


class SurveyError(Refused):
    """A refused write on a rating or a feedback (procedures/workflow.py)."""


class StaleFeedback(SurveyError, Stale):
    pass


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))
