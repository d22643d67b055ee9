from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Đánh giá, phản ánh của người dân")

    def ready(self) -> None:
        from desk.signals import result_returned
        from procedures.context_processors import STAFF_NAVIGATION
        from procedures.models import Role

        result_returned.connect(enqueue_rating_invitation, dispatch_uid="surveys-rating-invite")
        from desk import dashboard

        from . import results

        # The leaders' dashboard: this app's panel, the dissatisfied dossiers and the
        # feedback handled on time for the satisfaction indicators, officers' ratings.
        if results.dissatisfied_dossiers not in dashboard.DISSATISFIED_SOURCES:
            dashboard.PANELS.append(("surveys:dashboard-panel", _("Mức độ hài lòng")))
            dashboard.DISSATISFIED_SOURCES.append(results.dissatisfied_dossiers)
            dashboard.FEEDBACK_SOURCES.append(results.feedback_on_time)
            dashboard.OFFICER_SOURCES.append((_("Hài lòng"), results.officer_satisfaction))
        STAFF_NAVIGATION.extend(
            [
                (
                    "surveys:feedback-staff",
                    _("Phản ánh, kiến nghị"),
                    (Role.CLERK, Role.OFFICER, Role.UNIT_HEAD, Role.LEADER),
                ),
                ("surveys:kiosks", _("Quầy đánh giá"), (Role.CLERK,)),
                (
                    "surveys:results",
                    _("Mức độ hài lòng"),
                    (Role.UNIT_HEAD, Role.LEADER, Role.ADMINISTRATOR),
                ),
            ]
        )


def enqueue_rating_invitation(sender, dossier_id: int, **kwargs) -> None:
    """After a return commits: queue the rating invitation email. A broker that is
    down only loses the email, never the return (the citizen has the printed link)."""
    from .tasks import invite_to_rate

    try:
        invite_to_rate.delay(dossier_id)
    except Exception:  # broker unreachable
        import logging

        logging.getLogger(__name__).warning("rating invitation for %s not queued", dossier_id)
