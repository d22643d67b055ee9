from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Đánh giá, phản ánh của người dân")

    def ready(self) -> None:
        from desk.alerts import ALERT_KINDS
        from desk.hooks import ON_RESULT_RETURNED
        from procedures.context_processors import (
            PUBLIC_NAVIGATION,
            STAFF_NAVIGATION,
            add_menu_entries,
        )
        from procedures.models import Role

        from . import alert_kinds

        ON_RESULT_RETURNED.add(enqueue_rating_invitation)
        # Overdue feedback (desk.alerts.notify_once) and the rating invitation (the outbox).
        for spec in alert_kinds.SPECS:
            ALERT_KINDS.add(spec, key=spec.value)
        connect_lookup_cache()
        from desk import dashboard, legal_forms

        from . import results

        # The leaders' dashboard: this app's panel, the dissatisfied dossiers and the
        # feedback handled on time for the satisfaction indicators, officers' ratings.
        # The receipt's rating invitation (templates/pdf/receipt.html's lookup box).
        legal_forms.RECEIPT_BLOCKS.add("surveys/pdf_rating_block.html")
        dashboard.PANELS.add(
            ("surveys:dashboard-panel", _("Mức độ hài lòng")), key="surveys:dashboard-panel"
        )
        dashboard.DISSATISFIED_SOURCES.add(results.dissatisfied_dossiers)
        dashboard.FEEDBACK_SOURCES.add(results.feedback_on_time)
        dashboard.OFFICER_SOURCES.add((_("Hài lòng"), results.officer_satisfaction), key="surveys")
        # The public header (templates/base.html: home page, catalog): where a citizen
        # looks a dossier up and sends feedback.
        add_menu_entries(
            PUBLIC_NAVIGATION,
            [
                ("surveys:lookup", _("Tra cứu hồ sơ")),
                ("surveys:feedback-submit", _("Gửi phản ánh, kiến nghị")),
            ],
        )
        add_menu_entries(
            STAFF_NAVIGATION,
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
            ],
        )


def enqueue_rating_invitation(dossier_id: int) -> None:
    """After a return commits: queue the rating invitation email. A broker that is
    down only loses the email, never the return (the citizen has the printed link)."""
    from config.redis import enqueue

    from .tasks import invite_to_rate

    enqueue(invite_to_rate, dossier_id, what=f"rating invitation for {dossier_id}")


def connect_lookup_cache() -> None:
    """Forget the cached lookup pages a commit changes (surveys/lookup_cache.py):
    the dossier's row, anything of it the page shows (timeline, supplement list,
    rating), and the catalogue (agencies, procedures) for every page at once."""
    from django.db.models.signals import post_delete, post_save

    from desk.models import Dossier, DossierEvent, SupplementRequest
    from procedures.models import Agency, Procedure

    from .models import Rating

    for signal in (post_save, post_delete):
        signal.connect(_dossier_changed, sender=Dossier, dispatch_uid=f"lookup-{signal}-dossier")
        for model in (DossierEvent, SupplementRequest, Rating):
            signal.connect(
                _dossier_part_changed,
                sender=model,
                dispatch_uid=f"lookup-{signal}-{model.__name__}",
            )
        for model in (Agency, Procedure):
            signal.connect(
                _catalog_changed, sender=model, dispatch_uid=f"lookup-{signal}-{model.__name__}"
            )


def _forget_after_commit(code: str, key: str) -> None:
    from django.db import transaction

    from . import lookup_cache

    if lookup_cache.enabled():
        transaction.on_commit(lambda: lookup_cache.forget(code, key))


def _dossier_changed(sender, instance, **kwargs) -> None:
    deferred = instance.get_deferred_fields()
    if "code" in deferred or "lookup_key" in deferred:
        if "created" not in kwargs:  # deleted: nothing left to read, nothing to show
            return
        instance.refresh_from_db(fields=["code", "lookup_key"])
    _forget_after_commit(instance.code, instance.lookup_key)


def _dossier_part_changed(sender, instance, **kwargs) -> None:
    """A timeline event, a supplement request or a rating: the services save them
    with their dossier at hand (no query); anything else reads its two codes."""
    from desk.models import Dossier

    if sender._meta.get_field("dossier").is_cached(instance):
        dossier = instance.dossier
        _forget_after_commit(dossier.code, dossier.lookup_key)
        return
    found = Dossier.objects.filter(pk=instance.dossier_id).values_list("code", "lookup_key")
    for code, key in found:
        _forget_after_commit(code, key)


def _catalog_changed(sender, **kwargs) -> None:
    from django.db import transaction

    from . import lookup_cache

    if lookup_cache.enabled():
        transaction.on_commit(lookup_cache.forget_all)
