"""The one supplement request (form 02; docs/domain.md §5): asked once, in writing,
for everything missing, the clock stopped until the applicant supplies it."""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.models import User
from procedures.workflow import save_versioned

from .. import stats
from ..models import Dossier, EventKind, State, SupplementRequest
from ..permissions import Action
from .common import ActionRefused, acting_on, clean_items, deadline_for, record_event
from .processing import apply_deadline


@transaction.atomic
def request_supplement(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    items: list[dict[str, str]],
    contact_name: str = "",
    contact_phone: str = "",
    override_reason: str = "",
    at: dt.datetime | None = None,
) -> SupplementRequest:
    """Ask once, in writing, for everything missing (4 -> 5, form 02); the clock stops.

    A second request from the same processing body is refused unless an override
    reason is given: then it is recorded, audited and counted as late.
    """
    dossier = acting_on(dossier, version, user, Action.REQUEST_SUPPLEMENT)
    items = clean_items(items)
    earlier = dossier.supplements.filter(agency=dossier.current_agency).exists()
    override_reason = (override_reason or "").strip()
    if earlier and not override_reason:
        raise ActionRefused(
            _(
                "Đơn vị đã yêu cầu bổ sung hồ sơ này một lần. Theo quy định chỉ được yêu cầu "
                "bổ sung một lần; nếu buộc phải yêu cầu lại, ghi rõ lý do ngoại lệ (sẽ bị tính "
                "là trễ hạn trong đánh giá)."
            )
        )
    at = at or timezone.now()
    supplement = SupplementRequest.objects.create(
        dossier=dossier,
        agency=dossier.current_agency,
        requested_by=user,
        requested_at=at,
        items=items,
        contact_name=contact_name.strip() or str(user),
        contact_phone=contact_phone.strip() or user.phone,
        is_override=earlier,
        override_reason=override_reason if earlier else "",
    )
    dossier.state = State.SUPPLEMENT
    dossier.paused_at = at
    # Counted in the UPDATE itself, so two requests at once both count.
    dossier.supplement_count = F("supplement_count") + 1
    save_versioned(dossier, "state", "paused_at", "supplement_count")
    dossier.refresh_from_db(fields=["supplement_count"])
    if dossier.supplement_count == 2:
        stats.second_supplement(dossier)
    record_event(
        dossier,
        EventKind.REQUEST_SUPPLEMENT,
        user,
        State.PROCESSING,
        at=at,
        note=override_reason if earlier else "",
        data={"items": items, "supplement_id": supplement.pk, "override": earlier},
    )
    return supplement


@transaction.atomic
def record_supplement(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """The applicant supplied what was asked (5 -> 4): the clock resumes and the due
    date moves by the paused working time (or the term restarts, per procedure)."""
    dossier = acting_on(dossier, version, user, Action.SUPPLY)
    at = at or timezone.now()
    supplement = (
        dossier.supplements.filter(supplied_at__isnull=True).order_by("-requested_at").first()
    )
    if supplement is None:  # state 5 without an open request: data repaired by hand
        raise ActionRefused(_("Không tìm thấy yêu cầu bổ sung đang chờ."))
    supplement.supplied_at = at
    supplement.save(update_fields=["supplied_at"])
    deadline = deadline_for(dossier, now=at)
    dossier.state = State.PROCESSING
    dossier.paused_at = None
    moved = apply_deadline(dossier, deadline)
    save_versioned(
        dossier, "state", "paused_at", "due_at", "original_due_at", "current_step_due_at"
    )
    record_event(
        dossier, EventKind.SUPPLY, user, State.SUPPLEMENT, at=at, note=note.strip(), data=moved
    )
    return dossier
