"""Alerts about deadlines and the email outbox (the alerts' room in the desk).

- ``scan``: the clock scan, what crossed a threshold and the apology drafts;
- ``notify``: an alert recorded once, and the notifications that carry it
  (``notify_once`` for other apps' alerts, ``tell_applicant``);
- ``recipients``: who is told of a dossier's alert;
- ``times``: thresholds and email release in each agency's working hours;
- ``digest``: the leaders' daily digest;
- ``apology``: finishing a signed form 04;
- ``delivery``: the one email outbox (claim, send, retry), for staff and citizens;
- ``kinds``: the kinds of alerts, the desk's and those other apps add.
"""

from ..deadlines import WorkCalendar, WorkingHours
from .apology import (
    APOLOGY_FINISH_GRACE,
    finalize_apology,
    unfinished_apology_ids,
)
from .delivery import (
    EMAIL_CLAIM_TIMEOUT,
    EMAIL_MAX_ATTEMPTS,
    TransientEmailError,
    deliver_email,
    enqueue_emails,
    make_notification,
    pending_email_ids,
    save_notification,
)
from .digest import send_daily_digests
from .kinds import ALERT_KINDS, AlertKindSpec
from .notify import notify_once, record_alerts, record_subject_alert, tell_applicant
from .scan import CLOCK_SCAN, LIST_LIMIT, MAX_CATCH_UP, ScanResult, _crossings, scan_clocks
from .times import release_time, release_times

__all__ = [
    "ALERT_KINDS",
    "APOLOGY_FINISH_GRACE",
    "CLOCK_SCAN",
    "EMAIL_CLAIM_TIMEOUT",
    "EMAIL_MAX_ATTEMPTS",
    "LIST_LIMIT",
    "MAX_CATCH_UP",
    "AlertKindSpec",
    "ScanResult",
    "TransientEmailError",
    "WorkCalendar",
    "WorkingHours",
    "_crossings",
    "deliver_email",
    "enqueue_emails",
    "finalize_apology",
    "make_notification",
    "notify_once",
    "pending_email_ids",
    "record_alerts",
    "record_subject_alert",
    "release_time",
    "release_times",
    "save_notification",
    "scan_clocks",
    "send_daily_digests",
    "tell_applicant",
    "unfinished_apology_ids",
]
