"""Every write to a dossier: intake, hand-overs, the one supplement request,
payment, apology, withdrawal, result, return, correction.

Each service locks the dossier row, checks the version the user saw (two people
acting at once: one wins, the other gets ``StaleDossier`` and a refreshed view),
asks desk/permissions.py whether this user may take this action in this state,
writes, appends a timeline event and bumps the version, all in one transaction
(``common.acting_on``, procedures/workflow.py's ``save_versioned``).

One module per concept:

- ``common``: the desk's refusals, the locked read with its permission check, the
  timeline event, a dossier's term (``deadline_for``, ``preview_deadline``);
- ``intake``: codes and numbers, the desk's intake, online registrations;
- ``processing``: hand-overs, step deadlines (``step_due``), the result signed;
- ``supplement``, ``payment``, ``apology``, ``endings`` (withdrawal, stop, return,
  correction) and ``recompute`` (after a calendar change).

The clock's rules (``judge``, ``desk_step_due``, ``apology_deadline``,
``calendar_for``) are desk/clock.py's and are named here too, for the callers
that have always found them here.
"""

from ..clock import HAND_OVER_CUTOFF, apology_deadline, calendar_for, desk_step_due, judge
from .apology import DRAFTABLE_STATES, approve_apology, draft_apology
from .common import ActionRefused, DossierError, StaleDossier, deadline_for, preview_deadline
from .endings import correct_returned, request_withdrawal, return_result, stop_dossier
from .intake import (
    ApplicantData,
    ReceivedDocument,
    guide_registered,
    new_dossier_code,
    next_number,
    receive_dossier,
    receive_registered,
    refuse_registered,
    register_online,
)
from .payment import confirm_payment, request_payment
from .processing import complete_dossier, hand_over, hand_over_targets, step_due
from .recompute import calendar_changed, recompute_open_due_dates
from .supplement import record_supplement, request_supplement

__all__ = [
    "DRAFTABLE_STATES",
    "HAND_OVER_CUTOFF",
    "ActionRefused",
    "ApplicantData",
    "DossierError",
    "ReceivedDocument",
    "StaleDossier",
    "apology_deadline",
    "approve_apology",
    "calendar_changed",
    "calendar_for",
    "complete_dossier",
    "confirm_payment",
    "correct_returned",
    "deadline_for",
    "desk_step_due",
    "draft_apology",
    "guide_registered",
    "hand_over",
    "hand_over_targets",
    "judge",
    "new_dossier_code",
    "next_number",
    "preview_deadline",
    "receive_dossier",
    "receive_registered",
    "recompute_open_due_dates",
    "record_supplement",
    "refuse_registered",
    "register_online",
    "request_payment",
    "request_supplement",
    "request_withdrawal",
    "return_result",
    "step_due",
    "stop_dossier",
]
