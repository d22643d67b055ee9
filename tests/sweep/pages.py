"""Every URL of the project, filled from the demo data (`manage.py seed_demo`).

The sweep (tests/sweep/test_sweep.py), the Redis fault test and the browser sweep
visit these pages. ``patterns()`` walks the URL resolver (config/urls.py and every
app and admin pattern it includes); ``demo_pages()`` gives, for each pattern, one
or more real addresses filled from the demo data (a dossier in each state, the
kiosk's token, an inspection, a plan...). A pattern that cannot be filled is in
``UNFILLED`` with its reason: ``uncovered()`` names any pattern that is in neither,
and the sweep fails on it, so the next page added cannot escape.

``demo_pages()`` reads the database (call it after `seed_demo`, inside the test's
transaction) and adds the few rows the demo has none of (a scanned attachment, an
export, an import job, a tick's photo), so that their download pages are visited.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# The demo accounts (procedures/demo.py DEMO_USERS), anonymous as None.
PERSONAS: tuple[str | None, ...] = (
    None,
    "canbo",
    "xuly",
    "truongdonvi",
    "lanhdaoxa",
    "lanhdaotinh",
    "kiemtra",
    "quantri",
)
DEMO_PASSWORD = "motcua-demo"
LANGUAGES = ("vi", "en")

# The commune where canbo, xuly, truongdonvi and lanhdaoxa work, and one they do not.
HOME_AGENCY = "000.00.21.H56"
OTHER_AGENCY = "000.00.22.H56"


@dataclasses.dataclass(frozen=True)
class Pattern:
    """One URL pattern: ``key`` is "namespace:name", or the route when unnamed."""

    key: str
    route: str
    converters: dict[str, str]
    callback: Callable


@dataclasses.dataclass(frozen=True)
class Page:
    """One address to visit. ``what`` says which demo object fills it.

    ``heavy``: a PDF or a file download, whose bytes do not depend on the interface
    language: the sweep fetches it in one language only.
    """

    key: str
    url: str
    what: str = ""
    heavy: bool = False
    # The path parameters it was filled with.
    kwargs: dict = dataclasses.field(default_factory=dict, compare=False, hash=False)

    def __str__(self) -> str:
        return f"{self.key} {self.url}" + (f" ({self.what})" if self.what else "")


def patterns() -> list[Pattern]:
    """Every pattern of the resolver, depth first, in the order Django tries them."""
    found: list[Pattern] = []

    def walk(entries, prefix: str, namespace: str, converters: dict[str, str]) -> None:
        for entry in entries:
            route = prefix + str(entry.pattern)
            own = dict(converters)
            own.update(
                {
                    name: type(c).__name__
                    for name, c in getattr(entry.pattern, "converters", {}).items()
                }
            )
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, route, inner, own)
            elif isinstance(entry, URLPattern):
                if entry.name:
                    key = f"{namespace}:{entry.name}" if namespace else entry.name
                else:
                    key = route
                found.append(Pattern(key, route, own, entry.callback))

    walk(get_resolver().url_patterns, "", "", {})
    return found


# Patterns the sweep does not fill, with the reason. Keep it short: each entry is
# a page nobody visits in the sweep.
UNFILLED: dict[str, str] = {
    "admin:login": "shadowed by config/urls.py's admin/login/ (the throttled sign-in), swept",
}


# ---------------------------------------------------------------- demo values


@dataclasses.dataclass
class Demo:
    """Real values from the demo data, read once."""

    dossiers: dict[int, object]  # state -> a dossier of HOME_AGENCY
    other_dossier: object  # a dossier of OTHER_AGENCY, for the "not yours" answers
    unrated: object  # a returned dossier with no rating yet
    apology_dossier: object
    procedure: object  # a procedure the home desk receives
    kiosk: object
    feedback: list  # a feedback item in each state
    inspection_draft: object
    inspection_done: object
    plan: object
    plan_entry: object
    template: object
    version: object
    item: object
    follow_up: object
    officer: object  # xuly, whose year the conduct pages summarise
    notification: object
    attachment: object
    export: object
    import_job: object
    photo_result: object


def load_demo() -> Demo:
    from conduct.models import (
        ChecklistItem,
        ChecklistTemplate,
        ChecklistVersion,
        FollowUp,
        Inspection,
        InspectionPlan,
        ItemResult,
        PlannedInspection,
    )
    from desk.models import (
        ApologyLetter,
        Dossier,
        DossierAttachment,
        ExportJob,
        ExportStatus,
        Notification,
        State,
    )
    from procedures.models import ImportJob, ImportJobStatus, Procedure, User
    from surveys.models import Feedback, Kiosk

    home = Dossier.objects.filter(receiving_agency__identifier=HOME_AGENCY).order_by("code")
    dossiers = {}
    for state in State:
        dossier = home.filter(state=state).first()
        if dossier is not None:
            dossiers[state.value] = dossier
    feedback = []
    for state in Feedback.objects.order_by("state").values_list("state", flat=True).distinct():
        feedback.append(Feedback.objects.filter(state=state).order_by("pk").first())

    quantri = User.objects.get(username="quantri")
    leader = User.objects.get(username="lanhdaoxa")
    received = dossiers[State.PROCESSING]
    attachment = DossierAttachment.objects.filter(dossier=received).first()
    if attachment is None:
        attachment = DossierAttachment(
            dossier=received,
            original_name="ban-so-hoa.pdf",
            content_type="application/pdf",
            size=9,
            uploaded_by=User.objects.get(username="canbo"),
        )
        attachment.file.save("scan.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    export = ExportJob.objects.filter(user=leader).first()
    if export is None:
        export = ExportJob(
            user=leader,
            title="Hồ sơ quá hạn, Phường Nha Trang",
            status=ExportStatus.DONE,
            total=1,
            done=1,
        )
        export.file.save("danh-sach.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    import_job = ImportJob.objects.filter(created_by=quantri).first()
    if import_job is None:
        import_job = ImportJob(
            original_name="danh-muc.xlsx", created_by=quantri, status=ImportJobStatus.DONE
        )
        import_job.file.save("danh-muc.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    done = Inspection.objects.filter(status="completed").order_by("pk").first()
    photo_result = ItemResult.objects.filter(inspection=done).exclude(photo="").first()
    if photo_result is None:
        photo_result = ItemResult.objects.filter(inspection=done).order_by("pk").first()
        photo_result.photo_type = "image/png"
        photo_result.photo.save("anh.png", ContentFile(_PNG), save=True)
    return Demo(
        dossiers=dossiers,
        other_dossier=Dossier.objects.filter(receiving_agency__identifier=OTHER_AGENCY)
        .order_by("code")
        .first(),
        unrated=home.filter(state=State.RETURNED, rating__isnull=True).first(),
        apology_dossier=ApologyLetter.objects.filter(
            dossier__receiving_agency__identifier=HOME_AGENCY
        )
        .order_by("pk")
        .first()
        .dossier,
        procedure=Procedure.objects.filter(agencies__identifier=HOME_AGENCY)
        .order_by("code")
        .first(),
        kiosk=Kiosk.objects.order_by("pk").first(),
        feedback=feedback,
        inspection_draft=Inspection.objects.filter(status="draft").order_by("pk").first(),
        inspection_done=done,
        plan=InspectionPlan.objects.order_by("pk").first(),
        plan_entry=PlannedInspection.objects.order_by("pk").first(),
        template=ChecklistTemplate.objects.order_by("pk").first(),
        version=ChecklistVersion.objects.order_by("pk").first(),
        item=ChecklistItem.objects.order_by("pk").first(),
        follow_up=FollowUp.objects.order_by("pk").first(),
        officer=User.objects.get(username="xuly"),
        notification=Notification.objects.filter(recipient__username="truongdonvi").first(),
        attachment=attachment,
        export=export,
        import_job=import_job,
        photo_result=photo_result,
    )


# A 1x1 transparent PNG, for the tick's photo.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)


# ---------------------------------------------------------------- the fillers

# key -> function(demo) -> [(what, kwargs, query)]. Query is a dict of GET values.
Fill = list[tuple[str, dict, dict]]
FILLERS: dict[str, Callable[[Demo], Fill]] = {}
# Patterns whose answer is a PDF or a file (fetched in one language only).
HEAVY = {
    "surveys:lookup-pdf",
    "desk:pdf",
    "desk:attachment",
    "desk:dashboard-pdf",
    "desk:export-download",
    "procedures:import-example",
    "procedures:export",
    "conduct:record-pdf",
    "conduct:photo-view",
}


# Fragments that only htmx asks for (an hx-get inside a page); the sweep requests
# them with HX-Request, as the page does.
PARTIALS = {
    "desk:notification-badge": "the bell's unread count, refreshed by hx-get every 30 s",
    "desk:hand-over-officers": "the hand-over form's officer list for the unit picked (hx-get)",
}


def fills(*keys: str):
    def register(function):
        for key in keys:
            FILLERS[key] = function
        return function

    return register


def _plain(demo: Demo) -> Fill:
    return [("", {}, {})]


# Pages without a path parameter (their query parameters come from their forms).
for _key in (
    "home",
    "healthz",
    "favicon",
    "login",
    "logout",
    "set_language",
    "admin/login/",
    "surveys:feedback-published",
    "surveys:kiosks",
    "surveys:results",
    "surveys:dashboard-panel",
    "surveys:feedback-staff",
    "surveys:feedback-new",
    "procedures:import",
    "procedures:export",
    "desk:queue",
    "desk:intake-procedures",
    "desk:intake-preview",
    "desk:tracking-book",
    "desk:dashboard",
    "desk:dashboard-list",
    "desk:dashboard-officers",
    "desk:dashboard-pdf",
    "desk:dashboard-procedures",
    "desk:notifications",
    "desk:notification-badge",
    "desk:notifications-read-all",
    "conduct:inspections",
    "conduct:inspection-new",
    "conduct:follow-ups",
    "conduct:my-results",
    "conduct:scores",
    "conduct:dashboard-panel",
    "conduct:plans",
    "conduct:checklists",
):
    FILLERS[_key] = _plain


def _lookup(dossier) -> dict:
    return {"ma": dossier.code, "khoa": dossier.lookup_key}


@fills("choose-language")
def _languages(demo: Demo) -> Fill:
    return [(code, {"language": code}, {"next": "/thu-tuc/"}) for code in LANGUAGES]


@fills("surveys:lookup")
def _lookups(demo: Demo) -> Fill:
    from desk.models import State

    out: Fill = [("empty form", {}, {})]
    for state in (State.PROCESSING, State.SUPPLEMENT, State.RETURNED, State.STOPPED):
        dossier = demo.dossiers[state]
        out.append((f"dossier {state.label}", {}, _lookup(dossier)))
    out.append(("wrong key", {}, {"ma": demo.dossiers[State.PROCESSING].code, "khoa": "SAI"}))
    return out


@fills("surveys:lookup-pdf")
def _lookup_pdfs(demo: Demo) -> Fill:
    from desk.models import State

    return [
        ("supplement", {"form": "supplement"}, _lookup(demo.dossiers[State.SUPPLEMENT])),
        ("apology", {"form": "apology"}, _lookup(demo.apology_dossier)),
        ("stop", {"form": "stop"}, _lookup(demo.dossiers[State.STOPPED])),
        ("not public", {"form": "receipt"}, _lookup(demo.dossiers[State.PROCESSING])),
    ]


@fills("surveys:rate", "surveys:questionnaire")
def _rating(demo: Demo) -> Fill:
    from desk.models import State

    return [
        ("empty", {}, {}),
        ("returned, not rated", {}, _lookup(demo.unrated)),
        ("processing", {}, _lookup(demo.dossiers[State.PROCESSING])),
    ]


@fills("surveys:kiosk")
def _kiosk(demo: Demo) -> Fill:
    return [("demo kiosk", {"token": demo.kiosk.token}, {})]


@fills("surveys:feedback-submit")
def _feedback_submit(demo: Demo) -> Fill:
    from desk.models import State

    return [("", {}, {}), ("from a dossier", {}, {"ho_so": demo.dossiers[State.RETURNED].code})]


@fills("surveys:feedback-follow")
def _feedback_follow(demo: Demo) -> Fill:
    return [("empty", {}, {})] + [
        (f"feedback {f.state}", {}, {"ma": f.code, "khoa": f.lookup_key}) for f in demo.feedback
    ]


@fills("surveys:feedback-detail")
def _feedback_detail(demo: Demo) -> Fill:
    return [(f"feedback {f.state}", {"pk": f.pk}, {}) for f in demo.feedback]


@fills("surveys:evaluation")
def _evaluation(demo: Demo) -> Fill:
    from desk.models import State

    return [
        ("returned", {"code": demo.dossiers[State.RETURNED].code}, {}),
        ("other agency", {"code": demo.other_dossier.code}, {}),
    ]


@fills("procedures:catalog")
def _catalog(demo: Demo) -> Fill:
    return [("", {}, {}), ("search", {}, {"q": "khai sinh"})]


@fills("procedures:detail")
def _procedure(demo: Demo) -> Fill:
    return [(demo.procedure.name, {"code": demo.procedure.code}, {})]


@fills("procedures:import-job")
def _import_job(demo: Demo) -> Fill:
    return [("", {"pk": demo.import_job.pk}, {})]


@fills("procedures:import-example")
def _import_example(demo: Demo) -> Fill:
    return [(ext, {"extension": ext}, {}) for ext in ("xlsx", "csv")]


@fills("desk:intake")
def _intake(demo: Demo) -> Fill:
    return [("", {}, {}), ("a procedure chosen", {}, {"procedure": demo.procedure.code})]


def _each_dossier(demo: Demo) -> Iterator[tuple[str, object]]:
    from desk.models import State

    for state, dossier in demo.dossiers.items():
        yield State(state).label, dossier
    yield "other agency", demo.other_dossier


@fills("desk:detail")
def _dossiers(demo: Demo) -> Fill:
    return [(what, {"code": d.code}, {}) for what, d in _each_dossier(demo)]


@fills("desk:hand-over-officers")
def _hand_over_officers(demo: Demo) -> Fill:
    from desk.models import State

    return [("", {"code": demo.dossiers[State.RECEIVED].code}, {})]


@fills("desk:action")
def _action(demo: Demo) -> Fill:
    # GET: 405 (actions are POSTed); the sweep's forms part posts them.
    from desk.models import State

    return [("hand over", {"code": demo.dossiers[State.RECEIVED].code, "action": "hand_over"}, {})]


@fills("desk:attachment")
def _attachment(demo: Demo) -> Fill:
    return [("", {"code": demo.attachment.dossier.code, "pk": demo.attachment.pk}, {})]


@fills("desk:pdf")
def _pdfs(demo: Demo) -> Fill:
    from desk.models import State

    d = demo.dossiers
    return [
        ("receipt", {"code": d[State.RECEIVED].code, "form": "receipt"}, {}),
        ("supplement", {"code": d[State.SUPPLEMENT].code, "form": "supplement"}, {}),
        ("refusal", {"code": d[State.NOT_RECEIVED].code, "form": "refusal"}, {}),
        ("apology", {"code": demo.apology_dossier.code, "form": "apology"}, {}),
        ("stop", {"code": d[State.STOPPED].code, "form": "stop"}, {}),
        ("control slip", {"code": d[State.PROCESSING].code, "form": "control-slip"}, {}),
        ("not applicable", {"code": d[State.REGISTERED].code, "form": "stop"}, {}),
    ]


@fills("desk:export", "desk:export-download")
def _export(demo: Demo) -> Fill:
    return [("", {"pk": demo.export.pk}, {})]


@fills("desk:notification-open")
def _notification(demo: Demo) -> Fill:
    return [("", {"pk": demo.notification.pk}, {})]


@fills("conduct:follow-up-close")
def _follow_up(demo: Demo) -> Fill:
    return [("", {"pk": demo.follow_up.pk}, {})]


@fills("conduct:officer")
def _officer(demo: Demo) -> Fill:
    return [("xuly", {"pk": demo.officer.pk}, {})]


@fills("conduct:plan")
def _plan(demo: Demo) -> Fill:
    return [("", {"pk": demo.plan.pk}, {})]


@fills("conduct:plan-entry-delete")
def _plan_entry(demo: Demo) -> Fill:
    return [("", {"pk": demo.plan_entry.pk}, {})]


@fills("conduct:version-new")
def _template(demo: Demo) -> Fill:
    return [("", {"pk": demo.template.pk}, {})]


@fills("conduct:version", "conduct:version-publish", "conduct:item-save")
def _version(demo: Demo) -> Fill:
    return [("", {"pk": demo.version.pk}, {})]


@fills("conduct:item-delete")
def _item(demo: Demo) -> Fill:
    return [("", {"pk": demo.item.pk}, {})]


@fills(
    "conduct:inspection",
    "conduct:officers",
    "conduct:tick",
    "conduct:photo",
    "conduct:fill",
    "conduct:commend",
    "conduct:complete",
    "conduct:record-pdf",
)
def _inspections(demo: Demo) -> Fill:
    return [
        ("draft", {"public_id": demo.inspection_draft.public_id}, {}),
        ("completed", {"public_id": demo.inspection_done.public_id}, {}),
    ]


@fills("conduct:photo-view")
def _photo(demo: Demo) -> Fill:
    result = demo.photo_result
    return [("", {"public_id": result.inspection.public_id, "pk": result.pk}, {})]


# ---------------------------------------------------------------- the admin

# The admin's own pages, besides each model's (filled below from the registry).
ADMIN_PLAIN = (
    "admin:index",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:jsi18n",
    "admin:autocomplete",
)
for _key in ADMIN_PLAIN:
    FILLERS[_key] = _plain

_MODEL_ROUTE = re.compile(r"admin/(\w+)/(\w+)/")
_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def _admin_model(route: str):
    """The registered model whose admin pages ``route`` belongs to, or None."""
    match = _MODEL_ROUTE.match(route)
    if match is None:
        return None
    for model in admin.site._registry:
        if (model._meta.app_label, model._meta.model_name) == match.groups():
            return model
    return None


def _admin_pages(all_patterns: list[Pattern]) -> Iterator[Page]:
    """Each model's admin pages (changelist, add, change, history, delete, the
    password form...), the first row of its table filling the object's id; the
    admin's "does not exist" answer for an empty table."""
    first = {}
    for pattern in all_patterns:
        model = _admin_model(pattern.route)
        if model is None:
            continue
        if model not in first:
            first[model] = model._default_manager.order_by("pk").first()
        obj = first[model]
        url = "/" + _PARAMETER.sub(str(obj.pk) if obj is not None else "0", pattern.route)
        yield Page(
            pattern.key, url, "" if obj is not None or url == "/" + pattern.route else "none"
        )
    # Django's "view on site" redirect, for models with an address (404 for the others:
    # one of them is visited for the answer).
    shown = [(m, o) for m, o in first.items() if o is not None]
    with_address = [(m, o) for m, o in shown if hasattr(m, "get_absolute_url")]
    for model, obj in with_address or shown[:1]:
        content_type = ContentType.objects.get_for_model(model)
        yield Page(
            "admin:view_on_site",
            reverse("admin:view_on_site", args=[content_type.pk, obj.pk]),
            model._meta.label,
        )
    for app_label in sorted({m._meta.app_label for m in admin.site._registry}):
        yield Page("admin:app_list", reverse("admin:app_list", args=[app_label]), app_label)
    yield Page("admin/(?P<url>.*)$", "/admin/khong-co/", "the catch-all")


def _is_admin_model_key(pattern: Pattern) -> bool:
    """A pattern that ``_admin_pages`` fills from the admin registry."""
    if pattern.key in ("admin:view_on_site", "admin:app_list", "admin/(?P<url>.*)$"):
        return True
    return _admin_model(pattern.route) is not None


# ---------------------------------------------------------------- the whole map


def demo_pages(demo: Demo | None = None) -> list[Page]:
    """Every page of the project, filled from the demo data, in resolver order."""
    demo = demo or load_demo()
    pages: list[Page] = []
    for key, filler in FILLERS.items():
        for what, kwargs, query in filler(demo):
            if key.startswith("admin/") and not kwargs:  # unnamed: the route is the address
                url = "/" + key
            else:
                url = reverse(key, kwargs=kwargs)
            if query:
                url += "?" + urlencode(query)
            pages.append(Page(key, url, what, heavy=key in HEAVY, kwargs=kwargs))
    pages.extend(_admin_pages(patterns()))
    return pages


def uncovered() -> list[str]:
    """Patterns neither filled nor listed in ``UNFILLED``: each is a test failure."""
    return [
        p.key
        for p in patterns()
        if p.key not in FILLERS and p.key not in UNFILLED and not _is_admin_model_key(p)
    ]


def stale() -> list[str]:
    """Entries of ``FILLERS`` or ``UNFILLED`` that name no pattern any more."""
    keys = {p.key for p in patterns()}
    return sorted(k for k in (*FILLERS, *UNFILLED) if k not in keys)
