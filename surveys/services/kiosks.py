"""The rating kiosk at a counter: the dossier it shows and the clerk serving there."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from desk.models import Dossier, DossierEvent, EventKind, State
from procedures.models import User

from ..models import Kiosk
from .base import SurveyError, _setting


def kiosk_dossier(kiosk: Kiosk, *, now: dt.datetime | None = None) -> Dossier | None:
    """The dossier just returned at this kiosk's counter and not yet rated: returned
    at its desk within ``KIOSK_WINDOW_MINUTES``, by the clerk serving there if one
    has claimed the counter."""
    now = now or timezone.now()
    since = now - dt.timedelta(minutes=_setting("KIOSK_WINDOW_MINUTES", 30))
    dossiers = Dossier.objects.filter(
        receiving_agency_id=kiosk.agency_id,
        state=State.RETURNED,
        returned_at__gte=since,
        returned_at__lte=now,
        rating__isnull=True,
    )
    if kiosk.clerk_id:
        returned_by_clerk = DossierEvent.objects.filter(
            kind=EventKind.RETURN, actor_id=kiosk.clerk_id, at__gte=since
        ).values("dossier_id")
        dossiers = dossiers.filter(pk__in=returned_by_clerk)
    return dossiers.select_related("procedure").order_by("-returned_at", "-pk").first()


@transaction.atomic
def claim_kiosk(*, kiosk: Kiosk, clerk: User) -> Kiosk:
    """The clerk now serving at this counter: the kiosk shows her returns."""
    locked = Kiosk.objects.select_for_update().get(pk=kiosk.pk)
    if not clerk.is_clerk or clerk.agency_id != locked.agency_id:
        raise SurveyError(_("Chỉ cán bộ tiếp nhận của bộ phận này mới nhận quầy được."))
    Kiosk.objects.filter(clerk=clerk).exclude(pk=locked.pk).update(clerk=None)
    locked.clerk = clerk
    locked.save(update_fields=["clerk"])
    return locked
