"""What each legal form prints (docs/domain.md §7; Circular 03/2025/TT-VPCP, Annex I),
built from a dossier and its history (the tracking book is desk/tracking_book.py).

A builder returns the template context of one form or raises ``FormNotApplicable``
when the dossier's state or history does not call for that form (a refusal for a
dossier never refused, an apology without an approved letter): the view answers
404. Builders read; they never write.

Personal data (Decree 13/2023): a form shows the identification number, birth
date, address, phone and email in full only to staff of the agencies handling the
dossier (``full=True``); anyone else who may see the dossier (a leader browsing
the subtree) gets them masked.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from procedures.extensions import ExtensionPoint
from procedures.models import Agency, User

from .models import (
    ApologyStatus,
    Delivery,
    Dossier,
    DossierEvent,
    EventKind,
    State,
    Timeliness,
    mask_id_number,
    mask_name,
    mask_phone,
)
from .pdf import (
    place_name,
    qr_image,
    render_pdf,
    vn_clock,
    vn_date,
    vn_datetime,
    vn_long_date,
    vn_money,
    vn_weekday,
)

# Placeholder for the registry number an agency's clerical office (văn thư) gives
# an outgoing document when it is signed: the product keeps no such register.
BLANK_NUMBER = "......./......"


class FormNotApplicable(Exception):
    """The form does not apply to this dossier's state or history."""


# ---------------------------------------------------------------- people and letterheads


def staff_name(user: User | None) -> str:
    """A civil servant's name in Vietnamese order: family and middle names, then the given name."""
    if user is None:
        return ""
    return str(user)


def mask_address(address: str) -> str:
    """Keep the commune and province, drop the house number and street:
    "12 Lê Lợi, phường Nha Trang, tỉnh Khánh Hòa" -> "***, phường Nha Trang, tỉnh Khánh Hòa"."""
    parts = [part.strip() for part in address.split(",") if part.strip()]
    if not parts:
        return ""
    if len(parts) <= 2:
        return "***"
    return ", ".join(["***", *parts[-2:]])


def person(dossier: Dossier, *, full: bool) -> dict[str, str]:
    """The applicant and filer as printed on a form, masked unless ``full``.

    ``full`` is ``desk.permissions.can_see_personal_data``, the rule the dossier
    page applies: masked, a form shows what the page shows (the masked name, the
    last digits of the numbers) and no more.
    """
    d = dossier
    if full:
        return {
            "name": d.applicant_name,
            "id_number": d.applicant_id_number,
            "birth_date": vn_date(d.applicant_birth_date),
            "address": d.applicant_address,
            "phone": d.applicant_phone,
            "email": d.applicant_email,
            "filer_name": d.filer_name,
            "filer_id_number": d.filer_id_number,
            "filer_phone": d.filer_phone,
            "filer_address": d.filer_address,
            "power_of_attorney": d.power_of_attorney,
        }
    return {
        "name": d.masked_applicant_name,
        "id_number": d.masked_id_number,
        "birth_date": "**/**/****" if d.applicant_birth_date else "",
        "address": mask_address(d.applicant_address),
        "phone": d.masked_phone,
        "email": "***" if d.applicant_email else "",
        "filer_name": mask_name(d.filer_name),
        "filer_id_number": mask_id_number(d.filer_id_number),
        "filer_phone": mask_phone(d.filer_phone),
        "filer_address": mask_address(d.filer_address),
        "power_of_attorney": "",
    }


def signer(printed: dict[str, str]) -> str:
    """Who signs for the applicant: the filer if someone filed for them."""
    return printed["filer_name"] or printed["name"]


def letterhead(agency: Agency, *, desk: bool) -> dict[str, str]:
    """Top-left block of Decree 30/2020: the governing body above, the issuing body
    in bold below. A desk's forms are issued by its one-stop section under the agency."""
    if desk:
        upper, lower = agency.name, agency.desk_name or _("Bộ phận tiếp nhận và trả kết quả")
    else:
        upper, lower = (agency.parent.name if agency.parent_id else ""), agency.name
    return {"upper": upper, "lower": str(lower), "place": place_name(agency)}


def desk_label(agency: Agency) -> str:
    return str(agency.desk_name or agency.display_desk_name)


def _base(
    dossier: Dossier,
    *,
    form: str,
    title: str,
    agency: Agency,
    desk: bool,
    issued_at: dt.datetime | dt.date | None,
    full: bool,
) -> dict[str, Any]:
    head = letterhead(agency, desk=desk)
    variant = dossier.variant
    return {
        "form": form,
        "title": title,
        "dossier": dossier,
        "letterhead": head,
        "doc_number": BLANK_NUMBER,
        "dateline": f"{head['place']}, {vn_long_date(issued_at)}",
        "person": person(dossier, full=full),
        "procedure_name": dossier.procedure.name,
        "variant_name": variant.name if variant else "",
        "received": vn_clock(dossier.received_at),
        "received_date": vn_date(dossier.received_at),
        "desk_name": desk_label(dossier.receiving_agency),
    }


def _latest_event(dossier: Dossier, kind: str) -> DossierEvent | None:
    return (
        dossier.events.filter(kind=kind)
        .select_related("actor", "actor__agency")
        .order_by("-at", "-pk")
        .first()
    )


# ---------------------------------------------------------------- the forms


# Templates the apps built on the desk add to the receipt's lookup box, in order
# (surveys: the rating invitation), in their AppConfig.ready(): the desk names no
# later app.
RECEIPT_BLOCKS: ExtensionPoint[str] = ExtensionPoint(
    "desk.receipt_blocks", "Templates included in the receipt's lookup box"
)


def receipt(dossier: Dossier, *, full: bool) -> dict[str, Any]:
    """Form 01: receipt and appointment, the applicant's own paper."""
    if dossier.received_at is None or dossier.state in (State.REGISTERED, State.NOT_RECEIVED):
        raise FormNotApplicable
    desk = dossier.receiving_agency
    # The appointment of the receipt: the apology's new date is on its own letter.
    due = dossier.original_due_at or dossier.due_at
    documents = [
        {
            "name": doc.name,
            "originals": doc.originals,
            "certified_copies": doc.certified_copies,
            "copies": doc.copies,
        }
        for doc in dossier.documents.filter(supplied_later=False)
    ]
    url = dossier.public_lookup_url
    context = _base(
        dossier,
        form="receipt",
        title="Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        agency=desk,
        desk=True,
        issued_at=dossier.received_at,
        full=full,
    )
    context.update(
        {
            "documents": documents,
            "time_limit": dossier.variant.time_limit_display if dossier.variant else "",
            "appointment": vn_clock(due),
            "appointment_weekday": vn_weekday(due) if due else "",
            "appointment_date": vn_date(due),
            "delivery": Delivery(dossier.delivery).label,
            "collect_desk": desk_label(desk),
            "collect_address": desk.address,
            "field_name": dossier.procedure.field.name,
            "fee": vn_money(dossier.fee_amount) if dossier.fee_amount else "",
            "clerk_name": staff_name(dossier.received_by),
            "filer_signature": signer(context["person"]),
            "lookup_url": url,
            "lookup_address": settings.SITE_URL + reverse("surveys:lookup"),
            "receipt_blocks": list(RECEIPT_BLOCKS),
            "qr": mark_safe(qr_image(url)),  # markup built from the matrix, no input text
        }
    )
    return context


def _guidance_items(dossier: Dossier, event: DossierEvent | None) -> list[dict[str, str]]:
    if event is not None and event.data.get("items"):
        return event.data["items"]
    # Written before the event carried the items: "name: reason" per line.
    items = []
    for line in dossier.intake_guidance.splitlines():
        name, _sep, reason = line.partition(":")
        if name.strip():
            items.append({"name": name.strip(), "reason": reason.strip()})
    return items


def supplement(dossier: Dossier, *, full: bool) -> dict[str, Any]:
    """Form 02: every item to supply with its reason, at once (the latest request,
    or the written guidance given at intake to an online registration)."""
    request = (
        dossier.supplements.select_related("agency", "agency__parent", "requested_by")
        .order_by("-requested_at", "-pk")
        .first()
    )
    if request is not None:
        agency, issued_at, items = request.agency, request.requested_at, request.items
        contact, phone = request.contact_name, request.contact_phone
        signer = request.requested_by
    elif dossier.intake_guidance:
        event = _latest_event(dossier, EventKind.GUIDE)
        agency = dossier.receiving_agency
        issued_at = event.at if event else dossier.updated_at
        items = _guidance_items(dossier, event)
        signer = event.actor if event else None
        contact = staff_name(signer)
        phone = (signer.phone if signer else "") or agency.phone
    else:
        raise FormNotApplicable
    is_desk = agency.pk == dossier.receiving_agency_id
    context = _base(
        dossier,
        form="supplement",
        title="Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        agency=agency,
        desk=is_desk,
        issued_at=issued_at,
        full=full,
    )
    context.update(
        {
            "issuer": context["letterhead"]["lower"],
            "items": items,
            "contact_name": contact,
            "contact_phone": phone,
            "signer_name": staff_name(signer),
            "at_intake": request is None,
            "restarts": dossier.procedure.restart_term_after_supplement,
        }
    )
    return context


def refusal(dossier: Dossier, *, full: bool) -> dict[str, Any]:
    """Form 03: refused at intake, with the reasons."""
    if dossier.state != State.NOT_RECEIVED:
        raise FormNotApplicable
    event = _latest_event(dossier, EventKind.REFUSE)
    context = _base(
        dossier,
        form="refusal",
        title="Phiếu từ chối tiếp nhận, giải quyết hồ sơ",
        agency=dossier.receiving_agency,
        desk=True,
        issued_at=event.at if event else dossier.finished_at,
        full=full,
    )
    context.update(
        {
            "reasons": [line for line in dossier.refusal_reason.splitlines() if line.strip()],
            "clerk_name": staff_name(event.actor if event else None),
            "filer_signature": signer(context["person"]),
        }
    )
    return context


def apology(dossier: Dossier, *, full: bool) -> dict[str, Any]:
    """Form 04: apology and new appointment, signed by the head of the processing body."""
    letter = (
        dossier.apologies.filter(status=ApologyStatus.APPROVED)
        .select_related("agency", "agency__parent", "signed_by")
        .first()
    )
    if letter is None:
        raise FormNotApplicable
    context = _base(
        dossier,
        form="apology",
        title="Văn bản xin lỗi và hẹn lại ngày trả kết quả",
        agency=letter.agency,
        desk=False,
        issued_at=letter.signed_at,
        full=full,
    )
    signer = letter.signed_by
    context.update(
        {
            "issuer": letter.agency.name,
            "original_appointment": vn_clock(letter.original_due_at),
            "new_appointment": vn_clock(letter.new_due_at),
            "new_appointment_weekday": vn_weekday(letter.new_due_at) if letter.new_due_at else "",
            "reasons": [line for line in letter.reason.splitlines() if line.strip()],
            "signer_title": (signer.title if signer and signer.title else "Thủ trưởng đơn vị"),
            "signer_name": staff_name(signer),
        }
    )
    return context


def stop(dossier: Dossier, *, full: bool) -> dict[str, Any]:
    """Form 05: processing stopped, after a withdrawal or an unanswered supplement request."""
    if dossier.state != State.STOPPED:
        raise FormNotApplicable
    event = _latest_event(dossier, EventKind.STOP)
    withdrawal = _latest_event(dossier, EventKind.REQUEST_WITHDRAWAL)
    signer = event.actor if event else None
    agency = dossier.receiving_agency
    if signer is not None and signer.agency_id and signer.agency_id != agency.pk:
        agency = signer.agency
    state_at_stop = (event.data.get("state_at_stop") if event else None) or None
    unanswered = (
        None
        if withdrawal is not None
        else dossier.supplements.filter(supplied_at__isnull=True).order_by("-requested_at").first()
    )
    context = _base(
        dossier,
        form="stop",
        title="Thông báo dừng giải quyết hồ sơ",
        agency=agency,
        desk=agency.pk == dossier.receiving_agency_id,
        issued_at=event.at if event else dossier.finished_at,
        full=full,
    )
    context.update(
        {
            "issuer": context["letterhead"]["lower"],
            "withdrawal_date": vn_clock(withdrawal.at) if withdrawal else "",
            "withdrawal_channel": withdrawal.note if withdrawal else "",
            "supplement_date": vn_date(unanswered.requested_at) if unanswered else "",
            "reasons": [
                line for line in (event.note if event else "").splitlines() if line.strip()
            ],
            "state_at_stop": State(state_at_stop).label if state_at_stop else "",
            "fee": vn_money(dossier.fee_amount) if dossier.fee_amount else "",
            "fee_paid": vn_date(dossier.fee_paid_at),
            "signer_title": (signer.title if signer and signer.title else ""),
            "signer_name": staff_name(signer),
        }
    )
    return context


def _side(agency: Agency | None, user: User | None) -> dict[str, str]:
    return {"unit": agency.name if agency else "", "person": staff_name(user)}


def control_slip(dossier: Dossier, *, full: bool) -> dict[str, Any]:
    """Form 06: a row per hand-over, from the timeline (receive, hand-over, complete, return)."""
    if dossier.received_at is None:
        raise FormNotApplicable
    events = list(
        dossier.events.filter(
            kind__in=[EventKind.RECEIVE, EventKind.HAND_OVER, EventKind.COMPLETE, EventKind.RETURN]
        )
        .select_related("from_agency", "to_agency", "from_user", "to_user", "actor")
        .order_by("at", "pk")
    )
    desk = dossier.receiving_agency
    citizen = {"unit": "", "person": signer(person(dossier, full=full))}
    rows, holder = [], _side(desk, None)
    for event in events:
        if event.kind == EventKind.RECEIVE:
            giver, taker = citizen, _side(event.to_agency or desk, event.to_user or event.actor)
            result = event.step_timeliness
        elif event.kind == EventKind.HAND_OVER:
            giver = _side(event.from_agency, event.from_user or event.actor)
            taker = _side(event.to_agency, event.to_user)
            result = event.step_timeliness
        elif event.kind == EventKind.COMPLETE:
            giver = {"unit": holder["unit"], "person": staff_name(event.actor)}
            taker = _side(event.to_agency or desk, None)
            result = event.data.get("timeliness", "")
        else:  # the result handed to the citizen
            giver, taker = _side(desk, event.actor), citizen
            result = ""
        holder = taker
        rows.append(
            {
                "kind": EventKind(event.kind).label,
                "giver": giver,
                "taker": taker,
                "at": vn_datetime(event.at),
                "step_due": vn_datetime(event.step_due_at),
                "result": Timeliness(result).label if result else "",
                "note": event.note,
            }
        )
    handled = [e.to_agency for e in events if e.kind == EventKind.HAND_OVER and e.to_agency]
    lead = handled[0] if handled else dossier.current_agency
    cooperating = []
    for agency in handled[1:]:
        if agency.pk not in {lead.pk, desk.pk} and agency.name not in cooperating:
            cooperating.append(agency.name)
    context = _base(
        dossier,
        form="control-slip",
        title="Phiếu kiểm soát quá trình giải quyết hồ sơ",
        agency=desk,
        desk=True,
        issued_at=timezone.now(),
        full=full,
    )
    context.update(
        {
            "rows": rows,
            "lead_agency": lead.name,
            "cooperating": cooperating,
            "appointment": vn_clock(dossier.due_at),
            "original_appointment": (
                vn_clock(dossier.original_due_at)
                if dossier.extended and dossier.original_due_at
                else ""
            ),
        }
    )
    return context


@dataclass(frozen=True)
class LegalForm:
    slug: str
    template: str
    build: Callable[..., dict[str, Any]]
    # The law lays it out on one page (docs/domain.md §7): render_pdf shrinks it to fit.
    # The control slip grows a row per hand-over and may run on.
    one_page: bool = True

    def render(self, context: dict[str, Any]) -> bytes:
        """The PDF of a context ``build`` returned: what every caller prints
        (desk:pdf, the public lookup, the apology e-mailed to the applicant)."""
        return render_pdf(self.template, context, one_page=self.one_page)


# URL slug -> form; desk:pdf answers 404 for anything else.
FORMS: dict[str, LegalForm] = {
    form.slug: form
    for form in (
        LegalForm("receipt", "pdf/receipt.html", receipt),
        LegalForm("supplement", "pdf/supplement.html", supplement),
        LegalForm("refusal", "pdf/refusal.html", refusal),
        LegalForm("apology", "pdf/apology.html", apology),
        LegalForm("stop", "pdf/stop.html", stop),
        LegalForm("control-slip", "pdf/control_slip.html", control_slip, one_page=False),
    )
}


def applicable_forms(dossier: Dossier) -> list[str]:
    """Slugs of the forms that apply to ``dossier`` now: the dossier page's links
    (desk/views/dossier.py) and what the builders accept (tested against them).

    Cheap checks on the dossier and its history, mirroring the builders' guards;
    the supplements and apologies are read through ``.all()``, so a page that
    prefetched them asks nothing more.
    """
    slugs = []
    if dossier.received_at is not None and dossier.state not in (
        State.REGISTERED,
        State.NOT_RECEIVED,
    ):
        slugs.append("receipt")
    if dossier.intake_guidance or list(dossier.supplements.all()):
        slugs.append("supplement")
    if dossier.state == State.NOT_RECEIVED:
        slugs.append("refusal")
    if any(a.status == ApologyStatus.APPROVED for a in dossier.apologies.all()):
        slugs.append("apology")
    if dossier.state == State.STOPPED:
        slugs.append("stop")
    if dossier.received_at is not None:
        slugs.append("control-slip")
    return slugs
