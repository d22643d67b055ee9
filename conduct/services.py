"""Writes of conduct inspections: checklist versions, plans, inspections and their
ticks, completion (findings, follow-ups, tallies), follow-up closing and reminders.

Every function is atomic and refuses bad input with ``ConductError`` carrying a
Vietnamese message (the views show it); nothing is written then. Two inspectors
ticking the same inspection at once are serialised by a row lock on the
inspection, which completion takes too, so no tick slips in after the record.
"""

import datetime as dt
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from desk.alerts import notify_once
from desk.clock import working_days_after
from desk.models import Dossier, State
from procedures.models import Agency, User
from procedures.workflow import Refused

from .alert_kinds import AlertKind
from .checklist import TEMPLATE_CODE
from .models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    Finding,
    FindingKind,
    FollowUp,
    FollowUpAction,
    Inspection,
    InspectionKind,
    InspectionOfficer,
    InspectionPlan,
    InspectionSample,
    InspectionStatus,
    ItemResult,
    Outcome,
    PlannedInspection,
    Policy,
    Scope,
    ScoreTally,
    Section,
)

PREMISES_TARGET = "p"


class ConductError(Refused):
    """A refused action on an inspection (procedures/workflow.py); ``str(error)`` and
    ``message`` are the message for the user."""


# ---------------------------------------------------------------- checklists


@transaction.atomic
def start_draft_version(
    *, template: ChecklistTemplate, by: User, note: str = ""
) -> ChecklistVersion:
    """A new draft version holding a copy of the latest version's items."""
    ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    if template.draft() is not None:
        raise ConductError(_("Mẫu phiếu này đã có một bản dự thảo đang sửa; hãy sửa bản đó."))
    latest = template.versions.order_by("-number").first()
    version = ChecklistVersion(
        template=template,
        number=(latest.number + 1) if latest else 1,
        note=note[:500],
        created_by=by,
    )
    version.full_clean()
    version.save()
    if latest is not None:
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                version=version,
                section=item.section,
                scope=item.scope,
                code=item.code,
                text=item.text,
                order=item.order,
            )
            for item in latest.items.all()
        )
    return version


def _editable(version: ChecklistVersion) -> None:
    if version.is_published:
        raise ConductError(_("Phiên bản đã công bố không sửa được; hãy tạo bản sửa đổi mới."))


@transaction.atomic
def save_item(
    *,
    version: ChecklistVersion,
    section: str,
    scope: str,
    code: str,
    text: str,
    order: int,
    item: ChecklistItem | None = None,
) -> ChecklistItem:
    version = ChecklistVersion.objects.select_for_update().get(pk=version.pk)
    _editable(version)
    if item is not None and item.version_id != version.pk:
        raise ConductError(_("Tiêu chí không thuộc phiên bản này."))
    code, text = code.strip(), " ".join(text.split())
    if not code or not text:
        raise ConductError(_("Cần nhập mã và nội dung tiêu chí."))
    if section not in Section.values or scope not in Scope.values:
        raise ConductError(_("Nhóm tiêu chí hoặc đối tượng không hợp lệ."))
    if version.items.filter(code=code).exclude(pk=item.pk if item else None).exists():
        raise ConductError(_("Mã tiêu chí “%(code)s” đã có trong phiên bản này.") % {"code": code})
    item = item or ChecklistItem(version=version)
    item.section, item.scope, item.code, item.text, item.order = section, scope, code, text, order
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def delete_item(*, item: ChecklistItem) -> None:
    version = ChecklistVersion.objects.select_for_update().get(pk=item.version_id)
    _editable(version)
    item.delete()


@transaction.atomic
def publish_version(*, version: ChecklistVersion, by: User, now=None) -> ChecklistVersion:
    """From now on new inspections use this version; earlier ones keep theirs."""
    version = ChecklistVersion.objects.select_for_update().get(pk=version.pk)
    _editable(version)
    if not version.items.exists():
        raise ConductError(_("Phiên bản chưa có tiêu chí nào, không thể công bố."))
    version.published_at = now or timezone.now()
    version.published_by = by
    version.save(update_fields=["published_at", "published_by"])
    return version


def current_version() -> ChecklistVersion:
    template = ChecklistTemplate.objects.filter(code=TEMPLATE_CODE, is_active=True).first()
    template = template or ChecklistTemplate.objects.filter(is_active=True).first()
    version = template.latest_published() if template else None
    if version is None:
        raise ConductError(_("Chưa có mẫu phiếu kiểm tra nào được công bố."))
    return version


# ---------------------------------------------------------------- plans


def units_of(agency: Agency) -> set[int]:
    """The units an agency's plan must cover: its active subtree, itself excluded."""
    ids = Agency.objects.subtree_ids(agency.pk) - {agency.pk}
    return set(Agency.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))


@transaction.atomic
def create_plan(
    *,
    agency: Agency,
    year: int,
    by: User,
    title: str = "",
    required_coverage: Decimal | None = None,
) -> InspectionPlan:
    if not 2000 <= year <= 2100:
        raise ConductError(_("Năm kế hoạch không hợp lệ."))
    if InspectionPlan.objects.filter(agency=agency, year=year).exists():
        raise ConductError(
            _("%(agency)s đã có kế hoạch kiểm tra năm %(year)s.") % {"agency": agency, "year": year}
        )
    coverage = (
        Policy.current().required_coverage if required_coverage is None else required_coverage
    )
    if not Decimal(0) < Decimal(coverage) <= Decimal(1):
        raise ConductError(_("Tỷ lệ đơn vị phải kiểm tra phải lớn hơn 0 và không quá 100%."))
    plan = InspectionPlan(
        agency=agency,
        year=year,
        title=title.strip() or _("Kế hoạch kiểm tra công vụ năm %(year)s") % {"year": year},
        required_coverage=coverage,
        created_by=by,
    )
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def add_planned(
    *, plan: InspectionPlan, agency: Agency, planned_on: dt.date, kind: str, note: str = ""
) -> PlannedInspection:
    InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if agency.pk not in units_of(plan.agency):
        raise ConductError(
            _("Đơn vị “%(agency)s” không trực thuộc cơ quan lập kế hoạch.") % {"agency": agency}
        )
    if planned_on.year != plan.year:
        raise ConductError(_("Ngày dự kiến phải thuộc năm %(year)s.") % {"year": plan.year})
    if kind not in InspectionKind.values:
        raise ConductError(_("Hình thức kiểm tra không hợp lệ."))
    if plan.entries.filter(agency=agency).exists():
        raise ConductError(_("Đơn vị “%(agency)s” đã có trong kế hoạch.") % {"agency": agency})
    entry = PlannedInspection(
        plan=plan, agency=agency, planned_on=planned_on, kind=kind, note=note.strip()[:255]
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def remove_planned(*, entry: PlannedInspection) -> None:
    if entry.inspections.exists():
        raise ConductError(_("Đơn vị này đã được kiểm tra theo kế hoạch, không thể xóa."))
    entry.delete()


# ---------------------------------------------------------------- inspections


def unit_heads(agency_id: int) -> list[User]:
    return list(
        User.objects.filter(agency_id=agency_id, is_unit_head=True, is_active=True).order_by("pk")
    )


def draw_sample(
    agency: Agency, *, size: int, days: int, now: dt.datetime, rng=None
) -> list[Dossier]:
    """``size`` dossiers received or held at ``agency`` in the last ``days`` days,
    drawn at random (a system draw, so the unit cannot pick its best files)."""
    since = now - dt.timedelta(days=days)
    ids = list(
        Dossier.objects.filter(received_at__gte=since, received_at__lte=now)
        .filter(Q(receiving_agency=agency) | Q(current_agency=agency))
        .exclude(state=State.REGISTERED)
        .values_list("pk", flat=True)
    )
    ids.sort()
    chosen = (rng or secrets.SystemRandom()).sample(ids, min(size, len(ids)))
    by_id = Dossier.objects.in_bulk(chosen)
    return [by_id[pk] for pk in chosen]


def _check_officers(agency: Agency, officers: Iterable[User]) -> list[User]:
    officers = list(dict.fromkeys(officers))
    for officer in officers:
        if officer.agency_id != agency.pk or not officer.is_active:
            raise ConductError(
                _("%(name)s không phải cán bộ của %(agency)s.")
                % {"name": officer, "agency": agency}
            )
    return officers


@transaction.atomic
def start_inspection(
    *,
    agency: Agency,
    lead: User,
    inspected_on: dt.date,
    kind: str = InspectionKind.UNANNOUNCED,
    co_inspectors: Sequence[User] = (),
    officers: Sequence[User] = (),
    planned: PlannedInspection | None = None,
    now: dt.datetime | None = None,
    rng=None,
) -> Inspection:
    """Open an inspection record: the current checklist version, the officers
    present and a random sample of the agency's dossiers."""
    now = now or timezone.now()
    if kind not in InspectionKind.values:
        raise ConductError(_("Hình thức kiểm tra không hợp lệ."))
    if inspected_on > timezone.localdate(now):
        raise ConductError(_("Ngày kiểm tra không được sau ngày hôm nay."))
    if planned is not None and planned.agency_id != agency.pk:
        raise ConductError(_("Đơn vị được kiểm tra khác với đơn vị trong kế hoạch."))
    if lead.agency_id is None:
        raise ConductError(_("Trưởng đoàn chưa thuộc cơ quan nào."))
    officers = _check_officers(agency, officers)
    policy = Policy.current()
    inspection = Inspection(
        agency=agency,
        inspecting_agency_id=lead.agency_id,
        version=current_version(),
        planned=planned,
        kind=kind,
        inspected_on=inspected_on,
        started_at=now,
        lead=lead,
    )
    inspection.full_clean()
    inspection.save()
    inspection.inspectors.set([u for u in co_inspectors if u.pk != lead.pk and u.is_inspector])
    InspectionOfficer.objects.bulk_create(
        InspectionOfficer(inspection=inspection, officer=o, order=i) for i, o in enumerate(officers)
    )
    sample = draw_sample(agency, size=policy.sample_size, days=policy.sample_days, now=now, rng=rng)
    InspectionSample.objects.bulk_create(
        InspectionSample(inspection=inspection, dossier=d, order=i) for i, d in enumerate(sample)
    )
    return inspection


def _lock_draft(inspection: Inspection) -> Inspection:
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if not locked.is_draft:
        raise ConductError(_("Cuộc kiểm tra đã kết thúc; biên bản không sửa được nữa."))
    return locked


@transaction.atomic
def set_officers(*, inspection: Inspection, officers: Sequence[User]) -> None:
    """The officers present. Removing one also removes the ticks about them."""
    inspection = _lock_draft(inspection)
    officers = _check_officers(inspection.agency, officers)
    keep = {o.pk for o in officers}
    inspection.present.exclude(officer_id__in=keep).delete()
    inspection.results.filter(officer__isnull=False).exclude(officer_id__in=keep).delete()
    inspection.findings.filter(officer__isnull=False).exclude(officer_id__in=keep).delete()
    existing = set(inspection.present.values_list("officer_id", flat=True))
    start = inspection.present.count()
    InspectionOfficer.objects.bulk_create(
        InspectionOfficer(inspection=inspection, officer=o, order=start + i)
        for i, o in enumerate(o for o in officers if o.pk not in existing)
    )


def targets_of(inspection: Inspection) -> dict[str, list[str]]:
    """Target keys per scope: "o<officer id>" per officer present, "p", "d<sample id>"."""
    return {
        Scope.OFFICER: [f"o{pk}" for pk in inspection.present.values_list("officer_id", flat=True)],
        Scope.PREMISES: [PREMISES_TARGET],
        Scope.DOSSIER: [f"d{pk}" for pk in inspection.samples.values_list("pk", flat=True)],
    }


def _resolve(inspection: Inspection, item_id: int, target: str) -> tuple[ChecklistItem, dict]:
    item = ChecklistItem.objects.filter(pk=item_id, version_id=inspection.version_id).first()
    if item is None:
        raise ConductError(_("Tiêu chí không thuộc mẫu phiếu của cuộc kiểm tra này."))
    if target not in targets_of(inspection)[item.scope]:
        raise ConductError(_("Đối tượng đánh giá không hợp lệ cho tiêu chí này."))
    links: dict = {"officer_id": None, "sample_id": None}
    if target.startswith("o"):
        links["officer_id"] = int(target[1:])
    elif target.startswith("d"):
        links["sample_id"] = int(target[1:])
    return item, links


@transaction.atomic
def record_tick(
    *,
    inspection: Inspection,
    item_id: int,
    target: str,
    outcome: str,
    note: str,
    by: User,
    stamp: int | None = None,
    now: dt.datetime | None = None,
) -> ItemResult:
    """Save one tick at once (the draft is saved as the inspector goes).

    ``stamp`` is the client's clock in ms when the tick was made; a tick that
    arrives late (resent after the connection dropped) never overwrites a newer
    one. ``outcome`` may be "" to clear a tick.
    """
    now = now or timezone.now()
    inspection = _lock_draft(inspection)
    if outcome not in (*Outcome.values, ""):
        raise ConductError(_("Kết quả phải là Đạt, Không đạt hoặc Không áp dụng."))
    item, links = _resolve(inspection, item_id, target)
    stamp = int(stamp) if stamp else int(now.timestamp() * 1000)
    result, created = ItemResult.objects.select_for_update().get_or_create(
        inspection=inspection, item=item, target=target, defaults=links
    )
    if not created and result.stamp > stamp:
        return result  # a newer tick is already saved
    result.outcome = outcome
    result.note = " ".join(note.split())[:1000]
    result.stamp = stamp
    result.updated_at = now
    result.updated_by = by
    result.save()
    return result


@transaction.atomic
def attach_photo(
    *,
    inspection: Inspection,
    item_id: int,
    target: str,
    upload: UploadedFile,
    content_type: str,
    by: User,
) -> ItemResult:
    """The photo of one tick (its type and size already checked by the form)."""
    inspection = _lock_draft(inspection)
    item, links = _resolve(inspection, item_id, target)
    result, _created = ItemResult.objects.select_for_update().get_or_create(
        inspection=inspection, item=item, target=target, defaults=links
    )
    old = result.photo.name if result.photo else ""
    result.photo.save(upload.name or "anh.jpg", upload, save=False)
    result.photo_type = content_type
    result.updated_by = by
    result.updated_at = timezone.now()
    result.save()
    if old:
        storage = result.photo.storage
        transaction.on_commit(lambda: storage.delete(old))
    return result


@transaction.atomic
def fill_remaining(
    *, inspection: Inspection, target: str, by: User, outcome: str = Outcome.MET
) -> int:
    """Tick every item still empty for ``target`` (inspectors tick the exceptions,
    then this). Returns how many ticks it made."""
    inspection = _lock_draft(inspection)
    scope = next((s for s, keys in targets_of(inspection).items() if target in keys), None)
    if scope is None:
        raise ConductError(_("Đối tượng đánh giá không hợp lệ."))
    done = set(
        inspection.results.filter(target=target)
        .exclude(outcome="")
        .values_list("item_id", flat=True)
    )
    count = 0
    for item in inspection.version.items.filter(scope=scope):
        if item.pk not in done:
            _tick_quiet(inspection, item, target, outcome, by)
            count += 1
    return count


def _tick_quiet(
    inspection: Inspection, item: ChecklistItem, target: str, outcome: str, by: User
) -> None:
    now = timezone.now()
    links = {"officer_id": None, "sample_id": None}
    if target.startswith("o"):
        links["officer_id"] = int(target[1:])
    elif target.startswith("d"):
        links["sample_id"] = int(target[1:])
    ItemResult.objects.update_or_create(
        inspection=inspection,
        item=item,
        target=target,
        defaults={
            **links,
            "outcome": outcome,
            "stamp": int(now.timestamp() * 1000),
            "updated_at": now,
            "updated_by": by,
        },
    )


@transaction.atomic
def add_commendation(*, inspection: Inspection, officer: User | None, description: str) -> Finding:
    inspection = _lock_draft(inspection)
    description = " ".join(description.split())
    if not description:
        raise ConductError(_("Cần nhập nội dung biểu dương."))
    if officer is not None and not inspection.present.filter(officer=officer).exists():
        raise ConductError(_("Chỉ biểu dương cán bộ có mặt trong buổi kiểm tra."))
    finding = Finding(
        inspection=inspection,
        agency_id=inspection.agency_id,
        inspected_on=inspection.inspected_on,
        kind=FindingKind.COMMENDATION,
        officer=officer,
        description=description[:1000],
    )
    finding.full_clean()
    finding.save()
    return finding


def missing_ticks(inspection: Inspection) -> int:
    targets = targets_of(inspection)
    expected = sum(
        len(targets[scope]) for scope in inspection.version.items.values_list("scope", flat=True)
    )
    answered = inspection.results.exclude(outcome="").count()
    return expected - answered


def is_repeat(officer_id: int, on: dt.date, window_days: int, exclude_inspection: int) -> bool:
    """Another violation by the same officer within ``window_days`` before ``on``."""
    return (
        Finding.objects.filter(
            officer_id=officer_id,
            kind=FindingKind.VIOLATION,
            inspected_on__gte=on - dt.timedelta(days=window_days),
            inspected_on__lte=on,
        )
        .exclude(inspection_id=exclude_inspection)
        .exists()
    )


@transaction.atomic
def complete_inspection(
    *, inspection: Inspection, by: User, conclusion: str = "", now: dt.datetime | None = None
) -> Inspection:
    """End the inspection: number the record, freeze the tallies, turn every
    "not met" into a violation with its follow-ups, detect repeats, notify."""
    now = now or timezone.now()
    inspection = _lock_draft(inspection)
    missing = missing_ticks(inspection)
    if missing:
        raise ConductError(
            _("Còn %(count)s tiêu chí chưa đánh giá; hãy đánh giá hết trước khi kết thúc.")
            % {"count": missing}
        )
    # The record number: next in the inspecting agency's year, under its row lock.
    Agency.objects.select_for_update().get(pk=inspection.inspecting_agency_id)
    last = Inspection.objects.filter(
        inspecting_agency_id=inspection.inspecting_agency_id,
        inspected_on__year=inspection.inspected_on.year,
    ).aggregate(n=Max("number"))["n"]
    inspection.number = (last or 0) + 1
    inspection.status = InspectionStatus.COMPLETED
    inspection.completed_at = now
    inspection.conclusion = conclusion.strip()[:5000]
    inspection.save(update_fields=["number", "status", "completed_at", "conclusion"])

    results = list(
        inspection.results.select_related("item", "sample__dossier").order_by(
            "item__order", "target"
        )
    )
    tallies: dict[int | None, dict[str, int]] = defaultdict(
        lambda: {Outcome.MET: 0, Outcome.NOT_MET: 0, Outcome.NOT_APPLICABLE: 0}
    )
    for result in results:
        tallies[result.officer_id][result.outcome] += 1
    ScoreTally.objects.bulk_create(
        ScoreTally(
            inspection=inspection,
            agency_id=inspection.agency_id,
            officer_id=officer_id,
            inspected_on=inspection.inspected_on,
            met=counts[Outcome.MET],
            not_met=counts[Outcome.NOT_MET],
            not_applicable=counts[Outcome.NOT_APPLICABLE],
        )
        for officer_id, counts in tallies.items()
    )

    policy = Policy.current()
    heads = unit_heads(inspection.agency_id)
    head = heads[0] if heads else inspection.lead
    due = working_days_after(now, policy.follow_up_working_days, inspection.agency)
    repeat_officers: set[int] = set()
    created: list[FollowUp] = []
    for result in results:
        if result.outcome != Outcome.NOT_MET:
            continue
        text = f"{result.item.code}. {result.item.text}"
        if result.sample_id:
            text += f" (hồ sơ {result.sample.dossier.code})"
        if result.note:
            text += f": {result.note}"
        repeat = bool(result.officer_id) and is_repeat(
            result.officer_id, inspection.inspected_on, policy.repeat_window_days, inspection.pk
        )
        finding = Finding.objects.create(
            inspection=inspection,
            agency_id=inspection.agency_id,
            inspected_on=inspection.inspected_on,
            kind=FindingKind.VIOLATION,
            officer_id=result.officer_id,
            item=result.item,
            description=text[:1000],
            is_repeat=repeat,
            created_at=now,
        )
        if repeat:
            repeat_officers.add(result.officer_id)
            actions = [
                (FollowUpAction.WRITTEN_RECORD, inspection.lead),
                (FollowUpAction.REPORT_TO_HEAD, head),
            ]
        else:
            actions = [(FollowUpAction.REMINDER, head)]
        for action, owner in actions:
            created.append(
                FollowUp.objects.create(
                    finding=finding,
                    agency_id=inspection.agency_id,
                    action=action,
                    owner=owner,
                    due_at=due,
                    created_at=now,
                )
            )
    _notify_new(inspection, created, repeat_officers, heads, now)
    return inspection


def _notify_new(
    inspection: Inspection,
    follow_ups: list[FollowUp],
    repeat_officers: set[int],
    heads: list[User],
    now: dt.datetime,
) -> None:
    link = reverse("conduct:follow-ups")
    by_owner: dict[int, list[FollowUp]] = defaultdict(list)
    for follow_up in follow_ups:
        by_owner[follow_up.owner_id].append(follow_up)
    for owner_id, items in by_owner.items():
        owner = items[0].owner
        notify_once(
            subject=f"conduct.inspection:{inspection.pk}:owner:{owner_id}",
            kind=AlertKind.CONDUCT_FOLLOW_UP,
            deadline_at=items[0].due_at,
            recipients=[owner],
            title=_("Kiểm tra công vụ tại %(agency)s: %(count)s việc cần khắc phục")
            % {"agency": inspection.agency.name, "count": len(items)},
            body="\n".join(f"- {f.get_action_display()}: {f.finding.description}" for f in items),
            link=link,
            now=now,
        )
    if repeat_officers:
        names = ", ".join(
            str(u) for u in User.objects.filter(pk__in=repeat_officers).order_by("last_name")
        )
        notify_once(
            subject=f"conduct.inspection:{inspection.pk}:repeat",
            kind=AlertKind.CONDUCT_FOLLOW_UP,
            deadline_at=now,
            recipients=heads or [inspection.lead],
            title=_("Cán bộ tái phạm quy định văn hóa công sở: %(names)s") % {"names": names},
            body=_(
                "Vi phạm lặp lại được phát hiện khi kiểm tra ngày %(day)s. Đề nghị lập biên bản "
                "và xử lý theo quy định; thủ trưởng đơn vị liên đới chịu trách nhiệm."
            )
            % {"day": inspection.inspected_on.strftime("%d/%m/%Y")},
            link=link,
            now=now,
        )


# ---------------------------------------------------------------- follow-ups


@transaction.atomic
def close_follow_up(
    *, follow_up: FollowUp, by: User, resolution: str, now: dt.datetime | None = None
) -> FollowUp:
    resolution = " ".join(resolution.split())
    if not resolution:
        raise ConductError(_("Cần ghi kết quả khắc phục."))
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.done_at is not None:
        raise ConductError(_("Việc này đã được ghi nhận hoàn thành."))
    follow_up.done_at = now or timezone.now()
    follow_up.done_by = by
    follow_up.resolution = resolution[:1000]
    follow_up.save(update_fields=["done_at", "done_by", "resolution"])
    return follow_up


def remind_overdue_follow_ups(*, now: dt.datetime | None = None) -> int:
    """Notify the owner (and the lead inspector) of each open follow-up past its
    deadline, once per follow-up and deadline (desk.alerts.notify_once). Returns
    how many follow-ups were newly reported; running it twice reports nothing more."""
    now = now or timezone.now()
    reported = 0
    overdue = (
        FollowUp.objects.overdue(now)
        .select_related("owner", "finding", "finding__inspection__lead", "agency")
        .order_by("due_at", "pk")
    )
    for follow_up in overdue:
        lead = follow_up.finding.inspection.lead
        recipients = [follow_up.owner] + ([lead] if lead.pk != follow_up.owner_id else [])
        ids = notify_once(
            subject=f"conduct.followup:{follow_up.pk}:overdue",
            kind=AlertKind.CONDUCT_FOLLOW_UP,
            deadline_at=follow_up.due_at,
            recipients=recipients,
            title=_("Quá hạn khắc phục sau kiểm tra công vụ: %(agency)s")
            % {"agency": follow_up.agency.name},
            body=_("%(action)s: %(finding)s. Hạn: %(due)s.")
            % {
                "action": follow_up.get_action_display(),
                "finding": follow_up.finding.description,
                "due": timezone.localtime(follow_up.due_at).strftime("%H:%M %d/%m/%Y"),
            },
            link=reverse("conduct:follow-ups"),
            now=now,
        )
        if ids:
            reported += 1
    return reported
