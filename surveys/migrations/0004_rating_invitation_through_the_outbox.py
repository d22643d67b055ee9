# The rating invitation's email moves to the desk's outbox (desk.Notification):
# RatingInvitation stays as the record "this dossier's applicant was invited" and
# points at its notification; the claim columns go.

from django.db import migrations, models
import django.db.models.deletion


def to_outbox(apps, schema_editor):
    """A sent invitation becomes a sent notification with its attempt. One not sent
    yet is dropped: its task (still retrying) records it again through the outbox,
    as a task that gave up before would never have sent it either."""
    RatingInvitation = apps.get_model("surveys", "RatingInvitation")
    Notification = apps.get_model("desk", "Notification")
    DeliveryAttempt = apps.get_model("desk", "DeliveryAttempt")
    RatingInvitation.objects.filter(sent_at__isnull=True).delete()
    for invitation in RatingInvitation.objects.select_related("dossier").iterator():
        notification = Notification.objects.create(
            recipient=None,
            kind="rating_invitation",
            title=f"Mời đánh giá mức độ hài lòng về hồ sơ {invitation.dossier.code}",
            created_at=invitation.created_at,
            deliver_after=invitation.created_at,
            email_to=invitation.email,
            email_status="sent",
            email_claimed_at=invitation.claimed_at,
            email_sent_at=invitation.sent_at,
            email_attempts=invitation.attempts,
        )
        DeliveryAttempt.objects.create(
            notification=notification, at=invitation.sent_at, status="sent"
        )
        invitation.notification = notification
        invitation.save(update_fields=["notification"])


class Migration(migrations.Migration):

    dependencies = [
        ("desk", "0014_alert_kinds_from_apps"),
        ("surveys", "0003_alter_feedback_closed_at_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="ratinginvitation",
            name="notification",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="desk.notification",
                verbose_name="thông báo",
            ),
        ),
        migrations.RunPython(to_outbox, migrations.RunPython.noop),
        migrations.RemoveField(model_name="ratinginvitation", name="attempts"),
        migrations.RemoveField(model_name="ratinginvitation", name="claimed_at"),
        migrations.RemoveField(model_name="ratinginvitation", name="email"),
        migrations.RemoveField(model_name="ratinginvitation", name="error"),
        migrations.RemoveField(model_name="ratinginvitation", name="sent_at"),
        migrations.AlterField(
            model_name="ratinginvitation",
            name="notification",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="desk.notification",
                verbose_name="thông báo",
            ),
        ),
    ]
