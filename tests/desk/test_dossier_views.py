"""The dossier page, its actions, the law's guards, concurrent edits, the scans."""

import datetime as dt
import threading
import zoneinfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from desk import services
from desk.models import (
    ApologyLetter,
    Dossier,
    DossierAttachment,
    DossierEvent,
    PersonalDataAccess,
    State,
    SupplementRequest,
)
from desk.services import StaleDossier
from tests.factories import dossier_in_state, make_agency, make_dossier, make_procedure, make_user

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
HTMX = {"HTTP_HX_REQUEST": "true"}
ITEMS = {"item_name": ["Giấy chứng sinh"], "item_reason": ["Bản chụp mờ"]}


@pytest.fixture
def procedure(commune):
    return make_procedure(
        name="Đăng ký khai sinh", agencies=(commune,), documents=("Tờ khai", "Giấy chứng sinh")
    )


@pytest.fixture
def dossier(clerk, procedure):
    return make_dossier(clerk=clerk, procedure=procedure)


@pytest.fixture
def processing(clerk, officer, procedure):
    return dossier_in_state(State.PROCESSING, clerk=clerk, officer=officer, procedure=procedure)


def detail(dossier) -> str:
    return reverse("desk:detail", args=[dossier.code])


def action(dossier, name: str) -> str:
    return reverse("desk:action", args=[dossier.code, name])


def as_user(client, user):
    client.force_login(user)
    return client


def notes(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def fresh(dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


# ---------------------------------------------------------------- who sees what


@pytest.mark.django_db
def test_anonymous_is_sent_to_the_login_page(client, dossier):
    response = client.get(detail(dossier))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.post(action(dossier, "hand_over"), {"version": "1"})
    assert response.status_code == 302
    assert fresh(dossier).state == State.RECEIVED


@pytest.mark.django_db
def test_an_outsider_gets_404_for_a_dossier_of_another_agency(client, outsider, dossier):
    as_user(client, outsider)
    assert client.get(detail(dossier)).status_code == 404
    assert client.post(action(dossier, "hand_over"), {"version": "1"}).status_code == 404
    attachment = DossierAttachment.objects.create(
        dossier=dossier, original_name="a.pdf", content_type="application/pdf", size=1
    )
    url = reverse("desk:attachment", args=[dossier.code, attachment.pk])
    assert client.get(url).status_code == 404
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
def test_the_clerk_sees_full_personal_data_and_the_view_is_logged(client, clerk, dossier):
    html = as_user(client, clerk).get(detail(dossier)).content.decode()
    assert "Nguyễn Văn An" in html
    assert "079201001234" in html
    assert "0912345678" in html
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.dossier, access.action) == (clerk, dossier, "view")


@pytest.mark.django_db
def test_the_provincial_leader_sees_the_page_masked_and_nothing_is_logged(
    client, provincial_leader, dossier
):
    response = as_user(client, provincial_leader).get(detail(dossier))
    html = response.content.decode()
    assert response.status_code == 200
    assert dossier.code in html
    assert "Nguyễn Văn An" not in html
    assert dossier.masked_applicant_name in html
    assert "079201001234" not in html and "********1234" in html
    assert "0912345678" not in html
    assert "12 Lê Lợi" not in html
    assert not PersonalDataAccess.objects.exists()
    # A leader browsing the province has no action on the dossier.
    assert 'action="/ho-so/' not in html


@pytest.mark.django_db
def test_the_page_shows_dates_holder_explanation_documents_and_timeline(
    client, clerk, officer, processing
):
    html = as_user(client, clerk).get(detail(processing)).content.decode()
    assert "Đang xử lý" in html
    assert "Lê Văn Minh" in html  # the officer holding it
    due = processing.due_at.astimezone(TZ).strftime("%H:%M %d/%m/%Y")
    assert due in html
    for line in services.deadline_for(processing).explain():
        assert line in html
    assert "Tờ khai" in html and "Giấy chứng sinh" in html
    assert html.count('<tr data-event="') == 2
    assert "Tiếp nhận hồ sơ" in html and "Chuyển xử lý" in html
    assert "Đã tiếp nhận → Đang xử lý" in html


@pytest.mark.django_db
def test_paused_moved_and_overdue_dossiers_say_so(client, clerk, officer, unit_head, processing):
    services.request_supplement(
        dossier=processing,
        version=processing.version,
        user=officer,
        items=[{"name": "Giấy chứng sinh", "reason": "Bản mờ"}],
    )
    html = as_user(client, clerk).get(detail(processing)).content.decode()
    assert "đang tạm dừng" in html and "Chờ bổ sung" in html

    other = dossier_in_state(State.PROCESSING, clerk=clerk, officer=officer)
    new_due = other.due_at + dt.timedelta(days=7)
    while new_due.astimezone(TZ).weekday() >= 5:
        new_due += dt.timedelta(days=1)
    services.approve_apology(
        dossier=other,
        version=other.version,
        user=unit_head,
        reason="Cần xác minh",
        new_due_at=new_due,
    )
    html = client.get(detail(other)).content.decode()
    assert "Hẹn trả ban đầu" in html
    assert other.due_at.astimezone(TZ).strftime("%H:%M %d/%m/%Y") in html

    with time_machine.travel(new_due + dt.timedelta(days=1)):
        html = as_user(client, clerk).get(detail(other)).content.decode()
    assert "Hồ sơ đã quá hạn trả kết quả" in html


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_timeline(
    client, clerk, officer, procedure, django_assert_max_num_queries
):
    short = dossier_in_state(State.PROCESSING, clerk=clerk, officer=officer, procedure=procedure)
    long = dossier_in_state(State.PROCESSING, clerk=clerk, officer=officer, procedure=procedure)
    for _ in range(15):  # thirty more timeline rows, each with agencies and people
        for user in (officer, clerk):
            current = fresh(long)
            services.hand_over(
                dossier=current,
                version=current.version,
                user=user,
                to_agency=clerk.agency,
                to_user=officer,
            )
    assert DossierEvent.objects.filter(dossier=long).count() == 32
    DossierAttachment.objects.create(
        dossier=long, original_name="a.pdf", content_type="application/pdf", size=1
    )
    as_user(client, clerk)
    client.get(detail(short))  # warm the session and the calendar's first read
    with django_assert_max_num_queries(30) as few:
        client.get(detail(short))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(detail(long))
    assert response.content.decode().count('<tr data-event="') == 32


# ---------------------------------------------------------------- acting, with and without htmx


@pytest.mark.django_db
def test_hand_over_without_htmx_redirects_back_with_a_message(client, clerk, officer, dossier):
    data = {"version": dossier.version, "to_agency": clerk.agency_id, "to_user": officer.pk}
    response = as_user(client, clerk).post(action(dossier, "hand_over"), data)
    assert response.status_code == 302
    assert response["Location"] == detail(dossier)
    assert "Đã chuyển hồ sơ." in notes(response)
    after = fresh(dossier)
    assert after.state == State.PROCESSING and after.current_holder == officer


@pytest.mark.django_db
def test_hand_over_with_htmx_returns_the_rerendered_dossier(client, clerk, officer, dossier):
    data = {"version": dossier.version, "to_agency": clerk.agency_id, "to_user": officer.pk}
    response = as_user(client, clerk).post(action(dossier, "hand_over"), data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="dossier-main"')
    assert "Đã chuyển hồ sơ." in html
    assert "Đang xử lý" in html
    # The forms now carry the new version.
    assert f'name="version" value="{fresh(dossier).version}"' in html
    assert html.count('<tr data-event="') == 2


@pytest.mark.django_db
def test_an_officer_of_another_unit_cannot_be_chosen(client, clerk, dossier, province):
    stranger = make_user(agency=province, roles=("officer",))
    data = {"version": dossier.version, "to_agency": clerk.agency_id, "to_user": stranger.pk}
    response = as_user(client, clerk).post(action(dossier, "hand_over"), data, **HTMX)
    assert response.status_code == 400
    assert "Cán bộ đã chọn không nhận được hồ sơ này." in response.content.decode()
    assert fresh(dossier).state == State.RECEIVED


@pytest.mark.django_db
def test_a_unit_under_the_commune_is_offered_with_its_officers(client, clerk, dossier, commune):
    unit = make_agency(name="Phòng Văn hóa - Xã hội", parent=commune)
    unit_officer = make_user(agency=unit, roles=("officer",), first_name="Tư", last_name="Hồ")
    html = as_user(client, clerk).get(detail(dossier)).content.decode()
    assert f'<option value="{unit.pk}">Phòng Văn hóa - Xã hội</option>' in html
    # Only the holding unit's officers are listed at first; picking the unit
    # loads its officers (htmx), and only those.
    assert str(unit_officer) not in html
    officers = client.get(
        reverse("desk:hand-over-officers", args=[dossier.code]), {"to_agency": unit.pk}
    ).content.decode()
    assert officers.startswith('<select name="to_user" id="id_hand_over_to_user"')
    assert f'<option value="{unit_officer.pk}">{unit_officer}</option>' in officers
    assert officers.count("<option") == 2  # "not assigned" and the unit's one officer
    data = {"version": dossier.version, "to_agency": unit.pk, "to_user": unit_officer.pk}
    assert client.post(action(dossier, "hand_over"), data).status_code == 302
    after = fresh(dossier)
    assert (after.current_agency, after.current_holder) == (unit, unit_officer)


@pytest.mark.django_db
def test_the_officer_list_is_only_for_who_may_hand_over(
    client, clerk, dossier, outsider, commune_leader
):
    url = reverse("desk:hand-over-officers", args=[dossier.code])
    assert as_user(client, outsider).get(url, {"to_agency": clerk.agency_id}).status_code == 404
    # The leader sees the dossier but does not hand dossiers over.
    assert (
        as_user(client, commune_leader).get(url, {"to_agency": clerk.agency_id}).status_code == 403
    )
    response = as_user(client, clerk).get(url, {"to_agency": "nonsense"})
    assert response.status_code == 200  # the holding unit's officers, never a 500


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True])
def test_handing_a_dossier_out_of_sight_goes_back_to_the_queue(
    client, clerk, commune, department, procedure, dossier, htmx
):
    procedure.agencies.add(department)
    department_officer = make_user(agency=department, roles=("officer",))
    services.hand_over(dossier=dossier, version=dossier.version, user=clerk, to_agency=department)
    seen = fresh(dossier)
    data = {"version": seen.version, "to_agency": commune.pk, "to_user": ""}
    response = as_user(client, department_officer).post(
        action(dossier, "hand_over"), data, **(HTMX if htmx else {})
    )
    queue = reverse("desk:queue")
    if htmx:
        assert response["HX-Redirect"] == queue
    else:
        assert response.status_code == 302 and response["Location"] == queue
    assert fresh(dossier).current_agency == commune


@pytest.mark.django_db
def test_unknown_action_is_404_and_get_is_refused(client, clerk, dossier):
    as_user(client, clerk)
    assert client.post(action(dossier, "delete"), {"version": "1"}).status_code == 404
    assert client.get(action(dossier, "hand_over")).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True])
def test_a_badly_typed_date_is_a_form_error_not_a_500(
    client, unit_head, officer, clerk, procedure, htmx
):
    dossier = dossier_in_state(State.PROCESSING, clerk=clerk, officer=officer, procedure=procedure)
    before = fresh(dossier)
    data = {"version": dossier.version, "reason": "Cần xác minh", "new_due_at": "31/02/2026 25:99"}
    response = as_user(client, unit_head).post(
        action(dossier, "apologise"), data, **(HTMX if htmx else {})
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ngày hẹn trả mới phải theo dạng ngày/tháng/năm giờ:phút" in html
    assert "Cần xác minh" in html  # the reason typed is kept
    assert ("<html" in html) is not htmx
    assert fresh(dossier).version == before.version
    assert not ApologyLetter.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"version": "abc"}, "Thiếu phiên bản hồ sơ"),
        ({}, "Thiếu phiên bản hồ sơ"),
        ({"version": "1", "to_agency": "không-phải-số"}, "Không thể chuyển hồ sơ đến đơn vị này."),
        ({"version": "1", "to_agency": ""}, "Phải chọn đơn vị nhận hồ sơ."),
    ],
)
def test_garbage_input_is_refused_with_a_message(client, clerk, dossier, data, message):
    response = as_user(client, clerk).post(action(dossier, "hand_over"), data, **HTMX)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert fresh(dossier).state == State.RECEIVED


@pytest.mark.django_db
def test_a_payment_amount_accepts_vietnamese_thousands_and_refuses_words(
    client, officer, processing
):
    as_user(client, officer)
    bad = client.post(
        action(processing, "request_payment"),
        {"version": processing.version, "amount": "năm chục"},
        **HTMX,
    )
    assert bad.status_code == 400
    assert "Số tiền phải là số nguyên đồng" in bad.content.decode()
    good = client.post(
        action(processing, "request_payment"),
        {"version": processing.version, "amount": "1.250.000 đ"},
    )
    assert good.status_code == 302
    assert fresh(processing).fee_amount == 1250000


@pytest.mark.django_db
def test_a_refused_action_without_htmx_comes_back_on_the_page_with_the_reason(
    client, clerk, processing
):
    """The clerk may not complete a dossier: the page says why, nothing changes."""
    before = fresh(processing)
    data = {"version": processing.version, "result_number": "1", "result_signer": "A"}
    response = as_user(client, clerk).post(action(processing, "complete"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert '<header class="site-header">' in html and "css/site.css" in html
    assert "Bạn không có quyền “Hoàn thành xử lý”" in html
    assert fresh(processing).version == before.version


def _second_supplement(client, clerk, officer, procedure):
    dossier = dossier_in_state(State.PROCESSING, clerk=clerk, officer=officer, procedure=procedure)
    client.force_login(officer)
    client.post(action(dossier, "request_supplement"), {"version": dossier.version, **ITEMS})
    supplied = fresh(dossier)
    client.post(action(supplied, "supply"), {"version": supplied.version, "note": "Đủ"})
    typed = {"item_name": ["Trích lục bản đồ thửa đất"], "item_reason": ["Thiếu dấu giáp lai"]}
    kept = ["Trích lục bản đồ thửa đất", "Thiếu dấu giáp lai"]
    return dossier, officer, "request_supplement", typed, "chỉ được yêu cầu bổ sung một lần", kept


def _return_unchecked(client, clerk, officer, procedure):
    dossier = dossier_in_state(State.PROCESSED, clerk=clerk, officer=officer, procedure=procedure)
    typed = {"delivery": "post", "note": "Vận đơn EMS-4471"}
    return dossier, clerk, "return", typed, "Phải kiểm tra giấy tờ tùy thân", ["Vận đơn EMS-4471"]


def _hand_over_without_unit(client, clerk, officer, procedure):
    dossier = make_dossier(clerk=clerk, procedure=procedure)
    typed = {"to_agency": "", "to_user": "", "note": "Chuyển gấp cho chị Lan"}
    kept = ["Chuyển gấp cho chị Lan"]
    return dossier, clerk, "hand_over", typed, "Phải chọn đơn vị nhận hồ sơ.", kept


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
@pytest.mark.parametrize(
    "refusal", [_second_supplement, _return_unchecked, _hand_over_without_unit]
)
def test_a_refused_action_comes_back_in_the_layout_with_the_message_and_the_input(
    client, clerk, officer, procedure, refusal, htmx
):
    """What the walk met as a bare 400 page: the dossier page again (the partial
    with htmx), the message next to the form that was sent, what was typed kept."""
    dossier, user, name, typed, message, kept = refusal(client, clerk, officer, procedure)
    client.force_login(user)
    seen = fresh(dossier)
    response = client.post(
        action(seen, name), {"version": seen.version, **typed}, **(HTMX if htmx else {})
    )
    html = response.content.decode()
    assert response.status_code == 400
    if htmx:
        assert "<html" not in html and html.lstrip().startswith('<div id="dossier-main"')
        assert "data-swap-errors" in html
    else:
        assert html.startswith("<!doctype html>")
        assert '<header class="site-header">' in html and "css/site.css" in html
    box = html.split(f'id="action-{name}"', 1)[1].split("</details>", 1)[0]
    assert box.startswith(" open>")
    assert message in box
    for text in kept:
        assert text in box
    assert fresh(dossier).version == seen.version


@pytest.mark.django_db
def test_the_english_page_names_one_dossier(client, clerk, dossier):
    client.cookies["motcua_language"] = "en"
    html = as_user(client, clerk).get(detail(dossier)).content.decode()
    assert f"<title>Dossier {dossier.code} ·" in html
    assert f'<h1>Dossier <span class="dossier__code">{dossier.code}</span></h1>' in html
    assert "Dossiers " + dossier.code not in html


@pytest.mark.django_db
def test_the_page_never_loads_the_debug_helper_that_replaces_it_with_error_answers(
    client, clerk, dossier, settings
):
    """django-htmx's debug script (added by {% htmx_script %} when DEBUG is on)
    replaced the whole document with any 400 answer to htmx: the refused action's
    partial became a bare page. The layout loads htmx alone."""
    settings.DEBUG = True
    html = as_user(client, clerk).get(detail(dossier)).content.decode()
    assert "django_htmx/htmx-2.min.js" in html
    assert "django-htmx.js" not in html


# ---------------------------------------------------------------- printed forms after actions


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True])
def test_a_supplement_request_offers_form_02(client, officer, processing, htmx):
    data = {"version": processing.version, **ITEMS}
    response = as_user(client, officer).post(
        action(processing, "request_supplement"), data, **(HTMX if htmx else {})
    )
    pdf = reverse("desk:pdf", args=[processing.code, "supplement"])
    if htmx:
        html = response.content.decode()
    else:
        assert response["Location"] == detail(processing) + "?in=supplement"
        html = client.get(response["Location"]).content.decode()
    assert f'class="button button--primary button--print" href="{pdf}"' in html
    assert "In phiếu yêu cầu bổ sung" in html


@pytest.mark.django_db
def test_refusing_a_registration_offers_form_03(client, clerk, officer, procedure):
    registered = dossier_in_state(
        State.REGISTERED, clerk=clerk, officer=officer, procedure=procedure
    )
    data = {"version": registered.version, "reason": "Không thuộc thẩm quyền"}
    response = as_user(client, clerk).post(action(registered, "refuse"), data, **HTMX)
    assert reverse("desk:pdf", args=[registered.code, "refusal"]) in response.content.decode()
    assert fresh(registered).state == State.NOT_RECEIVED


@pytest.mark.django_db
def test_a_printable_form_that_does_not_exist_is_not_offered(client, clerk, dossier):
    html = as_user(client, clerk).get(detail(dossier) + "?in=apology").content.decode()
    assert "button--print" not in html


# ---------------------------------------------------------------- the guards of the law


@pytest.mark.django_db
def test_second_supplement_request_is_refused_then_allowed_with_an_override(
    client, clerk, officer, processing
):
    as_user(client, officer)
    first = client.post(
        action(processing, "request_supplement"), {"version": processing.version, **ITEMS}
    )
    assert first.status_code == 302
    supplied = fresh(processing)
    client.post(action(supplied, "supply"), {"version": supplied.version, "note": "Đủ"})
    again = fresh(processing)
    assert again.state == State.PROCESSING

    # The form now offers the override field, because a request exists.
    html = client.get(detail(again)).content.decode()
    assert 'name="override_reason"' in html

    refused = client.post(
        action(again, "request_supplement"), {"version": again.version, **ITEMS}, **HTMX
    )
    assert refused.status_code == 400
    assert "chỉ được yêu cầu bổ sung một lần" in refused.content.decode()
    assert SupplementRequest.objects.count() == 1
    assert fresh(processing).version == again.version

    reason = "Phát hiện thêm thiếu sót sau khi xác minh thực địa"
    allowed = client.post(
        action(again, "request_supplement"),
        {"version": again.version, "override_reason": reason, **ITEMS},
        **HTMX,
    )
    html = allowed.content.decode()
    assert allowed.status_code == 200
    assert "tính là trễ hạn" in html
    second = SupplementRequest.objects.latest("pk")
    assert second.is_override and second.override_reason == reason
    assert fresh(processing).supplement_count == 2
    assert DossierEvent.objects.filter(kind="request_supplement", data__override=True).count() == 1


@pytest.mark.django_db
def test_apology_only_once(client, clerk, officer, unit_head, processing):
    as_user(client, unit_head)
    due = processing.due_at.astimezone(TZ)
    first_date = due + dt.timedelta(days=7)
    while first_date.weekday() >= 5:
        first_date += dt.timedelta(days=1)
    data = {
        "version": processing.version,
        "reason": "Cần xác minh",
        "new_due_at": first_date.strftime("%d/%m/%Y %H:%M"),
    }
    assert client.post(action(processing, "apologise"), data).status_code == 302
    moved = fresh(processing)
    assert moved.extended and moved.original_due_at == processing.due_at
    data = {
        "version": moved.version,
        "reason": "Lần nữa",
        "new_due_at": (first_date + dt.timedelta(days=7)).strftime("%d/%m/%Y %H:%M"),
    }
    response = client.post(action(moved, "apologise"), data, **HTMX)
    assert response.status_code == 400
    assert "không gia hạn lần thứ hai" in response.content.decode()
    assert ApologyLetter.objects.count() == 1
    assert fresh(processing).due_at == moved.due_at


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("issued", "late"),
    [
        (dt.datetime(2026, 3, 16, 10, 0, tzinfo=TZ), False),  # Monday, two working days ahead
        (dt.datetime(2026, 3, 17, 9, 0, tzinfo=TZ), False),  # exactly one working day ahead
        (dt.datetime(2026, 3, 17, 14, 0, tzinfo=TZ), True),  # less than one working day ahead
    ],
)
def test_apology_later_than_one_working_day_before_due_is_flagged_late(
    client, clerk, officer, unit_head, procedure, issued, late
):
    with time_machine.travel(dt.datetime(2026, 3, 11, 9, 0, tzinfo=TZ), tick=False):
        dossier = dossier_in_state(
            State.PROCESSING, clerk=clerk, officer=officer, procedure=procedure
        )
    assert dossier.due_at == dt.datetime(2026, 3, 18, 9, 0, tzinfo=TZ)
    data = {
        "version": dossier.version,
        "reason": "Chờ ý kiến cơ quan phối hợp",
        "new_due_at": "25/03/2026 16:00",
    }
    with time_machine.travel(issued, tick=False):
        response = as_user(client, unit_head).post(action(dossier, "apologise"), data, **HTMX)
    assert response.status_code == 200
    letter = ApologyLetter.objects.get()
    assert letter.is_late is late
    assert ("ban hành muộn" in response.content.decode()) is late
    assert fresh(dossier).due_at == dt.datetime(2026, 3, 25, 16, 0, tzinfo=TZ)


@pytest.mark.django_db
def test_withdrawal_only_before_a_result(client, clerk, officer, procedure):
    processed = dossier_in_state(State.PROCESSED, clerk=clerk, officer=officer, procedure=procedure)
    as_user(client, clerk)
    response = client.post(
        action(processed, "request_withdrawal"), {"version": processed.version}, **HTMX
    )
    assert response.status_code == 400
    assert "Không thể “Ghi nhận yêu cầu rút hồ sơ”" in response.content.decode()
    assert fresh(processed).state == State.PROCESSED

    open_one = dossier_in_state(State.PROCESSING, clerk=clerk, officer=officer, procedure=procedure)
    response = client.post(
        action(open_one, "request_withdrawal"), {"version": open_one.version, "note": "Đơn rút"}
    )
    assert response.status_code == 302
    assert fresh(open_one).state == State.WITHDRAWAL_REQUESTED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state", [State.RECEIVED, State.PROCESSING, State.SUPPLEMENT, State.RETURNED]
)
def test_return_only_of_a_processed_dossier(client, clerk, officer, procedure, state):
    dossier = dossier_in_state(state, clerk=clerk, officer=officer, procedure=procedure)
    data = {"version": dossier.version, "identity_checked": "on", "delivery": "desk"}
    response = as_user(client, clerk).post(action(dossier, "return"), data, **HTMX)
    assert response.status_code == 400
    assert "Không thể “Trả kết quả”" in response.content.decode()
    assert fresh(dossier).state == state


@pytest.mark.django_db
def test_return_needs_the_identity_checked(client, clerk, officer, procedure):
    dossier = dossier_in_state(State.PROCESSED, clerk=clerk, officer=officer, procedure=procedure)
    data = {"version": dossier.version, "delivery": "desk"}
    response = as_user(client, clerk).post(action(dossier, "return"), data, **HTMX)
    assert response.status_code == 400
    assert "Phải kiểm tra giấy tờ tùy thân" in response.content.decode()
    assert fresh(dossier).state == State.PROCESSED


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["clerk", "unit_head", "provincial_leader", "inspector"])
def test_correction_only_by_an_administrator(
    client, request, clerk, officer, administrator, procedure, persona
):
    returned = dossier_in_state(State.RETURNED, clerk=clerk, officer=officer, procedure=procedure)
    as_user(client, request.getfixturevalue(persona))
    response = client.post(
        action(returned, "correct"), {"version": returned.version, "reason": "Nhầm"}, **HTMX
    )
    assert response.status_code == 400
    assert "Bạn không có quyền “Điều chỉnh về trạng thái đã xử lý”" in response.content.decode()
    assert fresh(returned).state == State.RETURNED

    as_user(client, administrator)
    response = client.post(
        action(returned, "correct"), {"version": returned.version, "reason": "Trả nhầm người"}
    )
    assert response.status_code == 302
    after = fresh(returned)
    assert after.state == State.PROCESSED and after.returned_at is None
    event = DossierEvent.objects.filter(dossier=returned, kind="correct").get()
    assert (event.actor, event.note) == (administrator, "Trả nhầm người")


# ---------------------------------------------------------------- two people at once


@pytest.mark.django_db
def test_the_second_of_two_clerks_on_the_same_version_gets_409_and_the_fresh_dossier(
    client, clerk, officer, commune, dossier
):
    other_clerk = make_user(agency=commune, roles=("clerk",), username="clerk2")
    seen = dossier.version
    first = Client()
    first.force_login(clerk)
    response = first.post(
        action(dossier, "hand_over"),
        {"version": seen, "to_agency": commune.pk, "to_user": officer.pk},
        **HTMX,
    )
    assert response.status_code == 200

    response = as_user(client, other_clerk).post(
        action(dossier, "hand_over"),
        {"version": seen, "to_agency": commune.pk, "to_user": ""},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "vừa được người khác cập nhật" in html
    assert "Đang xử lý" in html and "Lê Văn Minh" in html  # the refreshed dossier
    assert f'name="version" value="{seen + 1}"' in html
    after = fresh(dossier)
    assert after.current_holder == officer  # the first update is not lost
    assert after.version == seen + 1
    assert DossierEvent.objects.filter(dossier=dossier, kind="hand_over").count() == 1


@pytest.mark.django_db
def test_a_stale_version_without_htmx_redirects_with_the_message(
    client, clerk, officer, processing
):
    response = as_user(client, officer).post(
        action(processing, "request_supplement"), {"version": processing.version - 1, **ITEMS}
    )
    assert response.status_code == 302
    assert response["Location"] == detail(processing)
    assert any("vừa được người khác cập nhật" in n for n in notes(response))
    assert fresh(processing).state == State.PROCESSING


@pytest.mark.django_db(transaction=True)
def test_two_connections_racing_on_hand_over_lose_no_update(clerk, officer, commune):
    procedure = make_procedure(agencies=(commune,))
    dossier = make_dossier(clerk=clerk, procedure=procedure)
    other_clerk = make_user(agency=commune, roles=("clerk",), username="clerk-race")
    unit_head = make_user(agency=commune, roles=("unit_head",), username="head-race")
    seen = dossier.version
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def act(user, to_user):
        try:
            start.wait(timeout=30)
            services.hand_over(
                dossier=Dossier.objects.get(pk=dossier.pk),
                version=seen,
                user=user,
                to_agency=commune,
                to_user=to_user,
            )
            outcomes[user.username] = "ok"
        except StaleDossier as error:
            outcomes[user.username] = f"stale: {error.message}"
        except Exception as error:  # reported by the assertion below
            outcomes[user.username] = repr(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(clerk, officer)),
        threading.Thread(target=act, args=(other_clerk, unit_head)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(o.split(":")[0] for o in outcomes.values()) == ["ok", "stale"], outcomes
    winner = next(name for name, outcome in outcomes.items() if outcome == "ok")
    after = fresh(dossier)
    assert after.version == seen + 1
    assert after.current_holder == (officer if winner == clerk.username else unit_head)
    events = DossierEvent.objects.filter(dossier=dossier, kind="hand_over")
    assert events.count() == 1
    assert events.get().actor.username == winner


# ---------------------------------------------------------------- scans


@pytest.fixture
def scan(settings, tmp_path, dossier, clerk):
    settings.MEDIA_ROOT = tmp_path
    attachment = DossierAttachment(
        dossier=dossier,
        original_name="Giấy chứng sinh - Nguyễn Văn An.pdf",
        content_type="application/pdf",
        size=9,
        uploaded_by=clerk,
    )
    attachment.file.save("giay.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return attachment


@pytest.mark.django_db
def test_the_clerk_downloads_a_scan_under_its_original_name_and_it_is_logged(
    client, clerk, dossier, scan
):
    url = reverse("desk:attachment", args=[dossier.code, scan.pk])
    page = as_user(client, clerk).get(detail(dossier)).content.decode()
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n"
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Gi%E1%BA%A5y%20ch%E1%BB%A9ng%20sinh" in disposition
    assert "no-store" in response["Cache-Control"]
    assert (
        PersonalDataAccess.objects.filter(user=clerk, dossier=dossier, action="download").count()
        == 1
    )


@pytest.mark.django_db
def test_a_masked_viewer_neither_sees_nor_downloads_scans(client, provincial_leader, dossier, scan):
    url = reverse("desk:attachment", args=[dossier.code, scan.pk])
    page = as_user(client, provincial_leader).get(detail(dossier)).content.decode()
    assert url not in page and "Nguyễn Văn An.pdf" not in page
    assert client.get(url).status_code == 403
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
def test_a_scan_of_another_dossier_is_404(client, clerk, procedure, scan):
    other = make_dossier(clerk=clerk, procedure=procedure)
    url = reverse("desk:attachment", args=[other.code, scan.pk])
    assert as_user(client, clerk).get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["²", "١", str(10**30), "abc", ""])
def test_a_version_that_is_not_a_number_is_refused_with_a_message(client, clerk, dossier, version):
    as_user(client, clerk)
    response = client.post(action(dossier, "hand_over"), {"version": version})
    assert response.status_code == 400
    assert "Thiếu phiên bản hồ sơ" in response.content.decode()
    assert fresh(dossier).state == State.RECEIVED
