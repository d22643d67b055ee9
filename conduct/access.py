"""Who sees and does what in conduct inspections: the one place views ask.

- Inspectors see and record inspections in their agency's subtree.
- Leaders (and administrators) see their subtree's inspections, findings, scores.
- A unit head sees their own unit's inspections, findings and follow-ups.
- Every member of staff sees the findings about themselves.
Everything else is a 404 (a 403 would confirm that an inspection exists).
"""

from enum import StrEnum

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from procedures.models import Role, User
from procedures.permissions import ANYONE, ANYWHERE, Place, Rule, Table

from .models import Finding, FollowUp, Inspection, InspectionPlan


def scope_ids(user: User) -> set[int] | None:
    """Agencies whose inspections ``user`` may read; None = every agency."""
    if not user.is_authenticated or not user.is_active:
        return set()
    ids: set[int] = set()
    if any(user.has_role(role) for role in (Role.INSPECTOR, Role.LEADER, Role.ADMINISTRATOR)):
        visible = user.visible_agency_ids()
        if visible is None:
            return None
        ids |= visible
    if user.has_role(Role.UNIT_HEAD) and user.agency_id:
        ids.add(user.agency_id)
    if user.is_superuser:
        return None
    return ids


def record_scope_ids(user: User) -> set[int] | None:
    """Agencies ``user`` may inspect (record inspections, plan them)."""
    if not user.is_authenticated or not user.has_role(Role.INSPECTOR):
        return set()
    return user.visible_agency_ids()


def _in(ids: set[int] | None, agency_id: int | None) -> bool:
    return ids is None or agency_id in ids


def _filter(qs: QuerySet, ids: set[int] | None, field: str = "agency_id") -> QuerySet:
    if ids is None:
        return qs
    return qs.filter(**{f"{field}__in": ids}) if ids else qs.none()


def inspections_for(user: User) -> QuerySet[Inspection]:
    return _filter(Inspection.objects.all(), scope_ids(user))


def findings_for(user: User) -> QuerySet[Finding]:
    """The findings of the user's scope, plus the ones about the user."""
    ids = scope_ids(user)
    if ids is None:
        return Finding.objects.all()
    return Finding.objects.filter(Q(agency_id__in=ids) | Q(officer_id=user.pk))


def follow_ups_for(user: User) -> QuerySet[FollowUp]:
    ids = scope_ids(user)
    if ids is None:
        return FollowUp.objects.all()
    return FollowUp.objects.filter(
        Q(agency_id__in=ids) | Q(owner_id=user.pk) | Q(finding__officer_id=user.pk)
    )


def plans_for(user: User) -> QuerySet[InspectionPlan]:
    ids = scope_ids(user)
    if user.has_role(Role.UNIT_HEAD) and not (
        user.has_role(Role.INSPECTOR) or user.has_role(Role.LEADER)
    ):
        return InspectionPlan.objects.none()
    return _filter(InspectionPlan.objects.all(), ids)


class ConductAction(StrEnum):
    RECORD = "record"  # record or plan inspections of the object's agency
    CLOSE_FOLLOW_UP = "close_follow_up"
    SEE_OFFICER = "see_officer"  # an officer's page: their findings and follow-ups
    EDIT_CHECKLISTS = "edit_checklists"  # no object: the checklists are the province's


OPEN = "open"  # a follow-up not yet done, the state closing starts from

# The inspector's subtree: the agencies an inspector may inspect (record_scope_ids).
SUBTREE = Place("subtree", lambda user, obj: _in(user.visible_agency_ids(), obj.agency_id))
OWN_AGENCY = Place("own agency", lambda user, obj: obj.agency_id == user.agency_id)
OWNER = Place("owner", lambda user, follow_up: follow_up.owner_id == user.pk)
SELF = Place("self", lambda user, officer: officer.pk == user.pk)
READ_SCOPE = Place(  # the agencies whose inspections the user reads (scope_ids)
    "read scope",
    lambda user, officer: officer.agency_id is not None and _in(scope_ids(user), officer.agency_id),
)

# What each conduct page may offer and each write requires, beyond reading
# (inspections_for and the other querysets above): a refused one is a 403.
CONDUCT: Table[ConductAction] = Table(
    {
        ConductAction.RECORD: Rule(None, ((Role.INSPECTOR, SUBTREE),)),
        ConductAction.CLOSE_FOLLOW_UP: Rule(
            (OPEN,), ((ANYONE, OWNER), (Role.UNIT_HEAD, OWN_AGENCY), (Role.INSPECTOR, SUBTREE))
        ),
        ConductAction.SEE_OFFICER: Rule(None, ((ANYONE, SELF), (ANYONE, READ_SCOPE))),
        ConductAction.EDIT_CHECKLISTS: Rule(
            None, ((Role.INSPECTOR, ANYWHERE), (Role.ADMINISTRATOR, ANYWHERE))
        ),
    },
    state=lambda follow_up: OPEN if follow_up.done_at is None else "done",
)


def get_inspection_for_user(request: HttpRequest, public_id: str) -> Inspection:
    """The inspection if the signed-in user may read it; 404 otherwise."""
    qs = inspections_for(request.user).select_related(
        "agency", "agency__parent", "inspecting_agency", "lead", "version", "version__template"
    )
    try:
        return qs.get(public_id=public_id)
    except Inspection.DoesNotExist:
        raise Http404 from None
