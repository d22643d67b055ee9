"""Who is told of a dossier's alert: its holder and the unit heads of the agency
holding it; the leaders (or the parent agency's) for an escalation."""

from collections import defaultdict

from django.db.models import Q

from procedures.models import Agency, User

from ..models import AlertKind, Dossier


def recipients(dossier: Dossier, kind: str, staff: dict) -> list[User]:
    heads = staff["unit_heads"].get(dossier.current_agency_id, [])
    if kind == AlertKind.OVERDUE_ESCALATED:
        leaders = staff["leaders"].get(dossier.current_agency_id) or staff["leaders"].get(
            staff["parents"].get(dossier.current_agency_id), []
        )
        return leaders or heads
    if kind == AlertKind.APOLOGY_DRAFT:
        return heads
    holder = [dossier.current_holder] if dossier.current_holder_id else []
    if kind == AlertKind.STEP_DUE_SOON:
        return holder or heads
    return holder + [h for h in heads if h.pk != dossier.current_holder_id]


def staff_index(agency_ids: set[int]) -> dict:
    """Unit heads and leaders of the agencies involved, in two queries."""
    parents = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "parent_id"))
    wanted = agency_ids | {p for p in parents.values() if p}
    unit_heads: dict[int, list[User]] = defaultdict(list)
    leaders: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(agency_id__in=wanted, is_active=True).filter(
        Q(is_unit_head=True) | Q(is_leader=True)
    ):
        if user.is_unit_head:
            unit_heads[user.agency_id].append(user)
        if user.is_leader:
            leaders[user.agency_id].append(user)
    return {"unit_heads": unit_heads, "leaders": leaders, "parents": parents}
