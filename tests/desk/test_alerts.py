"""The clock scan and the email outbox (desk/alerts/): never misses, never repeats."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from desk import alerts
from desk.models import Alert, AlertKind, ApologyLetter, DeliveryAttempt, EmailStatus, Notification
from desk.services import apology_deadline
from tests import factories
from tests.factories import make_dossier, make_user

TZ = timezone.get_default_timezone()


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


@pytest.fixture
def processing(clerk, officer, unit_head, commune):
    """Received Monday 2 March 2026 09:00 with 5 working days: due Monday 9 March 09:00."""
    procedure = factories.make_procedure(agencies=(commune,))
    dossier = factories.processing(clerk, officer, procedure, "2026-03-02 09:00")
    assert dossier.due_at == at(2026, 3, 9, 9, 0)
    return dossier


def scan(now):
    with time_machine.travel(now, tick=False):
        return alerts.scan_clocks(now=now)


def test_due_soon_alerts_the_holder_and_unit_head_once_and_drafts_the_apology(
    processing, officer, unit_head
):
    # Two working days before 09:00 Monday: the apology is drafted while it can still
    # be signed on time (at least one working day before the due time).
    first = scan(at(2026, 3, 5, 9, 0))
    assert first.drafts == 1
    assert first.until < apology_deadline(processing)
    result = scan(at(2026, 3, 6, 9, 1))  # one working day before 09:00 Monday has passed
    kinds = set(Alert.objects.filter(dossier=processing).values_list("kind", flat=True))
    assert kinds == {AlertKind.DUE_SOON, AlertKind.APOLOGY_DRAFT}
    assert result.drafts == 0
    assert ApologyLetter.objects.filter(dossier=processing, status="draft").count() == 1
    recipients = set(
        Notification.objects.filter(kind=AlertKind.DUE_SOON).values_list("recipient", flat=True)
    )
    assert recipients == {officer.pk, unit_head.pk}
    assert set(
        Notification.objects.filter(kind=AlertKind.APOLOGY_DRAFT).values_list(
            "recipient", flat=True
        )
    ) == {unit_head.pk}

    # The same window scanned again, and a later scan: nothing new.
    again = scan(at(2026, 3, 6, 9, 1))
    later = scan(at(2026, 3, 6, 9, 30))
    assert again.alerts == later.alerts == 0
    assert Notification.objects.filter(kind=AlertKind.DUE_SOON).count() == 2


def test_overdue_alert_then_escalation_to_the_leader_next_working_day(processing, commune_leader):
    scan(at(2026, 3, 9, 8, 0))
    scan(at(2026, 3, 9, 9, 5))
    assert Alert.objects.filter(dossier=processing, kind=AlertKind.OVERDUE).count() == 1
    assert not Notification.objects.filter(recipient=commune_leader).exists()
    scan(at(2026, 3, 10, 7, 1))  # opening of the next working day
    leader_notes = Notification.objects.filter(
        recipient=commune_leader, kind=AlertKind.OVERDUE_ESCALATED
    )
    assert leader_notes.count() == 1
    assert processing.code in leader_notes.get().body


def test_a_paused_dossier_raises_no_overdue_alert(processing, officer):
    from desk.services import request_supplement

    request_supplement(
        dossier=processing,
        version=processing.version,
        user=officer,
        items=[{"name": "Bản sao sổ hộ khẩu", "reason": "Thiếu"}],
        at=at(2026, 3, 3, 9, 0),
    )
    scan(at(2026, 3, 9, 8, 0))
    scan(at(2026, 3, 9, 10, 0))
    assert not Alert.objects.filter(dossier=processing).exists()


def test_alerts_found_at_night_wait_for_opening(processing):
    scan(at(2026, 3, 8, 20, 0))  # Sunday evening
    scan(at(2026, 3, 9, 9, 5))
    note = Notification.objects.filter(kind=AlertKind.OVERDUE).first()
    assert note is not None
    # Monday 09:05 is working time: released at once.
    assert note.deliver_after == at(2026, 3, 9, 9, 5)
    assert alerts.release_time(
        at(2026, 3, 9, 20, 0), alerts.WorkingHours(), alerts.WorkCalendar()
    ) == at(2026, 3, 10, 7, 0)


def test_emails_wait_for_the_recipients_own_opening_hours(processing, officer, commune, province):
    commune.morning_start = dt.time(9, 30)  # a commune that opens late
    commune.save()
    scan(at(2026, 3, 8, 20, 0))
    scan(at(2026, 3, 9, 9, 5))  # overdue since 09:00; the commune is still closed
    note = Notification.objects.get(kind=AlertKind.OVERDUE, recipient=officer)
    assert note.deliver_after == at(2026, 3, 9, 9, 30)
    # Someone at the province (default hours, open since 07:00) is told at once.
    leader = make_user(agency=province, username="tinh")
    times = alerts.release_times([officer, leader], at(2026, 3, 9, 9, 5), alerts.WorkCalendar())
    assert times == {officer.pk: at(2026, 3, 9, 9, 30), leader.pk: at(2026, 3, 9, 9, 5)}


def test_many_dossiers_crossing_at_once_make_one_notification_per_person(clerk, officer, commune):
    dossiers = [make_dossier(clerk=clerk, received_at=at(2026, 3, 2, 9, 0)) for _ in range(3)]
    scan(at(2026, 3, 9, 8, 0))
    scan(at(2026, 3, 9, 9, 5))
    notes = Notification.objects.filter(recipient=clerk, kind=AlertKind.OVERDUE)
    assert notes.count() == 1
    note = notes.get()
    assert note.title.startswith("3 ")
    assert all(d.code in note.body for d in dossiers)


def test_email_is_claimed_once_and_every_attempt_is_logged(processing, officer):
    officer.email = "officer@example.vn"
    officer.save()
    scan(at(2026, 3, 9, 8, 0))
    scan(at(2026, 3, 9, 9, 5))
    note = Notification.objects.get(recipient=officer, kind=AlertKind.OVERDUE)
    assert note.email_status == EmailStatus.PENDING
    now = at(2026, 3, 9, 9, 6)
    assert alerts.deliver_email(note.pk, now=now) == EmailStatus.SENT
    assert alerts.deliver_email(note.pk, now=now) == "not-claimed"  # a retried task
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["officer@example.vn"]
    assert processing.code in mail.outbox[0].body
    assert DeliveryAttempt.objects.filter(notification=note, status=EmailStatus.SENT).count() == 1


def test_a_stuck_claim_is_taken_over_after_the_timeout(processing, officer):
    officer.email = "officer@example.vn"
    officer.save()
    scan(at(2026, 3, 9, 8, 0))
    scan(at(2026, 3, 9, 9, 5))
    note = Notification.objects.get(recipient=officer, kind=AlertKind.OVERDUE)
    Notification.objects.filter(pk=note.pk).update(
        email_status=EmailStatus.SENDING, email_claimed_at=at(2026, 3, 9, 9, 6)
    )
    assert note.pk not in alerts.pending_email_ids(now=at(2026, 3, 9, 9, 10))
    assert note.pk in alerts.pending_email_ids(now=at(2026, 3, 9, 9, 20))
    assert alerts.deliver_email(note.pk, now=at(2026, 3, 9, 9, 20)) == EmailStatus.SENT


def test_notification_centre_shows_and_marks_read(client, processing, officer):
    scan(at(2026, 3, 9, 8, 0))
    scan(at(2026, 3, 9, 9, 5))
    client.force_login(officer)
    page = client.get("/thong-bao/").content.decode()
    assert "quá hạn" in page
    note = Notification.objects.get(recipient=officer, kind=AlertKind.OVERDUE)
    response = client.post(f"/thong-bao/{note.pk}/mo/")
    assert response.status_code == 302
    assert response["Location"] == f"/ho-so/{processing.code}/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_nobody_opens_another_persons_notification(client, processing, officer, outsider):
    scan(at(2026, 3, 9, 8, 0))
    scan(at(2026, 3, 9, 9, 5))
    note = Notification.objects.get(recipient=officer, kind=AlertKind.OVERDUE)
    client.force_login(outsider)
    assert client.post(f"/thong-bao/{note.pk}/mo/").status_code == 404


def test_the_first_scan_catches_up_on_what_is_already_due(processing, officer):
    """A new install (or the demo) alerts at once on dossiers already due soon or overdue."""
    scan(at(2026, 3, 9, 10, 0))
    kinds = set(Alert.objects.filter(dossier=processing).values_list("kind", flat=True))
    assert kinds == {AlertKind.OVERDUE, AlertKind.DUE_TODAY}
    assert Notification.objects.filter(recipient=officer, kind=AlertKind.OVERDUE).count() == 1
