"""Work queues (desk:queue): what each tab lists, for whom, masked, searchable,
filterable, and paged by cursor with a fixed number of queries."""

import datetime as dt
import re
from html import unescape as html_unescape
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from desk import services
from desk.models import Dossier, State
from desk.queues import CURSOR_SALT, Cursor
from procedures.models import TimeUnit
from tests.factories import make_applicant, make_dossier, make_procedure, make_user

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# A Wednesday in March 2026, away from holidays.
NOW = dt.datetime(2026, 3, 11, 9, 0, tzinfo=VN)
URL = reverse("desk:queue")
ROW_CODE = re.compile(r'<th scope="row" class="queue-table__code"><a href="[^"]*">([^<]+)</a>')


def codes(response) -> list[str]:
    assert response.status_code == 200
    return ROW_CODE.findall(response.content.decode())


def tab(client, view: str, **params) -> list[str]:
    return codes(client.get(URL, {"view": view, **params}))


@pytest.fixture
def frozen(db):
    # No holiday near these dates, so the weekends-only calendar gives the same
    # answers as a seeded one (and the tests skip the holidays package's 1 s).
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(frozen, commune, other_commune, clerk, officer):
    """One dossier per situation at the commune desk, plus one at another commune."""
    procedure = make_procedure(agencies=(commune,), time_value=5)
    quick = make_procedure(agencies=(commune,), time_value=4, time_unit=TimeUnit.WORKING_HOURS)

    def receive(name, id_number, **extra):
        applicant = make_applicant(name=name, id_number=id_number)
        return make_dossier(
            clerk=clerk, procedure=extra.pop("procedure", procedure), applicant=applicant, **extra
        )

    d = {}
    d["fresh"] = receive("Nguyễn Văn An", "079201001234")
    d["overdue"] = receive(
        "Trần Thị Bình", "079301005678", received_at=dt.datetime(2026, 2, 2, 9, 0, tzinfo=VN)
    )
    d["due_soon"] = receive("Lê Hoàng Cường", "079201009999", procedure=quick)
    d["handed"] = receive("Phạm Minh Dũng", "079201002222")
    services.hand_over(
        dossier=d["handed"], version=None, user=clerk, to_agency=commune, to_user=officer
    )
    d["supplement"] = receive("Võ Thị Em", "079301003333")
    services.hand_over(
        dossier=d["supplement"], version=None, user=clerk, to_agency=commune, to_user=officer
    )
    services.request_supplement(
        dossier=d["supplement"],
        version=None,
        user=officer,
        items=[{"name": "Bản sao giấy khai sinh", "reason": "Chưa có chứng thực"}],
    )
    d["ready"] = receive("Đỗ Văn Giang", "079201004444")
    services.hand_over(
        dossier=d["ready"], version=None, user=clerk, to_agency=commune, to_user=officer
    )
    services.complete_dossier(
        dossier=d["ready"],
        version=None,
        user=officer,
        result_number="15/GCN",
        result_signer="Phạm Văn Hùng",
    )
    d["registered"] = services.register_online(
        agency=commune,
        procedure=procedure,
        variant=None,
        applicant=make_applicant(name="Hồ Thị Hạnh", id_number="079301005555"),
        documents=[services.ReceivedDocument(name="Tờ khai", originals=1)],
    )
    other_clerk = make_user(agency=other_commune, roles=("clerk",))
    d["elsewhere"] = make_dossier(
        clerk=other_clerk,
        procedure=make_procedure(agencies=(other_commune,)),
        applicant=make_applicant(name="Ngô Văn Khoa", id_number="079201006666"),
    )
    return {key: Dossier.objects.get(pk=dossier.pk).code for key, dossier in d.items()}


def named(world, *keys) -> set[str]:
    return {world[key] for key in keys}


# ---------------------------------------------------------------- tabs


@pytest.mark.parametrize(
    ("language", "caption"),
    [
        ("vi", "Của tôi — Hồ sơ đang mở do tôi giữ."),
        ("en", "Mine — Open dossiers I hold."),
    ],
)
def test_the_table_caption_keeps_the_tabs_wording(client, clerk, world, language, caption):
    """Not lower-cased: English read "open dossiers i hold"."""
    client.force_login(clerk)
    client.cookies["motcua_language"] = language
    html = client.get(URL, {"view": "mine"}).content.decode()
    caption_text = html.split("<caption>", 1)[1].split("<span", 1)[0]
    assert " ".join(html_unescape(caption_text).split()) == caption


def test_each_tab_lists_exactly_its_dossiers_for_the_clerk(client, clerk, world):
    client.force_login(clerk)
    assert set(tab(client, "mine")) == named(world, "fresh", "overdue", "due_soon")
    assert set(tab(client, "unit")) == named(
        world, "fresh", "overdue", "due_soon", "handed", "supplement"
    )
    assert set(tab(client, "due_soon")) == named(world, "due_soon")
    assert set(tab(client, "overdue")) == named(world, "overdue")
    assert set(tab(client, "supplement")) == named(world, "supplement")
    assert set(tab(client, "ready")) == named(world, "ready")
    assert set(tab(client, "registered")) == named(world, "registered")
    assert set(tab(client, "all")) == set(world.values()) - named(world, "elsewhere")


def test_mine_is_what_the_officer_holds(client, officer, world):
    client.force_login(officer)
    assert set(tab(client, "mine")) == named(world, "handed", "supplement")


def test_default_tab_is_mine_for_clerks_and_all_for_leaders(
    client, clerk, provincial_leader, world
):
    client.force_login(clerk)
    assert set(codes(client.get(URL))) == named(world, "fresh", "overdue", "due_soon")
    client.force_login(provincial_leader)
    assert set(codes(client.get(URL))) == set(world.values())


def test_tab_counts_are_shown(client, clerk, world):
    client.force_login(clerk)
    html = client.get(URL, {"view": "all"}).content.decode()
    counts = dict(
        re.findall(
            r'data-tab="(\w+)".*?<span class="queue-tab__count[^"]*">([^<]+)</span>', html, re.S
        )
    )
    assert counts == {
        "mine": "3",
        "unit": "5",
        "due_soon": "1",
        "overdue": "1",
        "supplement": "1",
        "ready": "1",
        "registered": "1",
    }  # "all" has no count: it would read "1 000+" at any real desk


def test_overdue_and_due_soon_are_marked_in_words_not_only_colour(client, clerk, world):
    client.force_login(clerk)
    html = client.get(URL, {"view": "mine"}).content.decode()
    assert "Quá hạn</span>" in html
    assert "Sắp đến hạn</span>" in html


# ---------------------------------------------------------------- scope and masking


def test_commune_clerk_never_sees_another_communes_dossiers(client, clerk, world):
    client.force_login(clerk)
    for view in ("mine", "unit", "due_soon", "overdue", "supplement", "ready", "registered", "all"):
        assert world["elsewhere"] not in tab(client, view)
    assert tab(client, "all", q=world["elsewhere"]) == []


def test_provincial_leader_sees_every_communes_dossiers(client, provincial_leader, world):
    client.force_login(provincial_leader)
    assert set(tab(client, "all")) == set(world.values())
    assert tab(client, "all", q=world["elsewhere"]) == [world["elsewhere"]]


def test_lists_mask_names_and_never_show_id_numbers(client, clerk, world):
    client.force_login(clerk)
    html = client.get(URL, {"view": "all"}).content.decode()
    assert world["fresh"] in html
    assert "N***** V** An" in html
    for full in ("Nguyễn Văn An", "Trần Thị Bình", "Võ Thị Em", "079201001234", "079301005678"):
        assert full not in html


# ---------------------------------------------------------------- search and filters


def test_search_by_exact_code(client, clerk, world):
    client.force_login(clerk)
    assert tab(client, "all", q=world["overdue"]) == [world["overdue"]]
    assert tab(client, "all", q=world["overdue"].lower()) == [world["overdue"]]
    assert tab(client, "all", q=world["overdue"][:-1]) == []  # no partial-code matches


def test_search_by_identification_number_shows_it_masked(client, clerk, world):
    client.force_login(clerk)
    response = client.get(URL, {"view": "all", "q": "079301005678"})
    assert codes(response) == [world["overdue"]]
    rows = response.content.decode().split("<tbody>", 1)[1]
    assert "079301005678" not in rows
    assert tab(client, "all", q="079301005679") == []


def test_the_search_form_keeps_the_text_out_of_every_address(client, clerk, world):
    client.force_login(clerk)

    response = client.post(URL, {"view": "all", "q": " 079301005678 ", "field": ""})

    assert response.status_code == 303
    address = response["Location"]
    assert "079301005678" not in address
    assert re.fullmatch(r"/ho-so/\?view=all&tim=[\w-]{8}", address)
    page = client.get(address)
    assert codes(page) == [world["overdue"]]
    html = page.content.decode()
    assert 'value="079301005678"' in html  # still in the box, on the clerk's own screen
    assert not re.search(r'href="[^"]*079301005678', html)
    # The same text gets the same token; htmx gets the results and the address to push.
    again = client.post(URL, {"view": "all", "q": "079301005678"}, headers={"HX-Request": "true"})
    assert codes(again) == [world["overdue"]]
    assert again["HX-Push-Url"] == address


def test_a_search_token_means_nothing_in_another_session(client, clerk, world):
    client.force_login(clerk)
    address = client.post(URL, {"view": "all", "q": "tran thi binh"})["Location"]

    other = Client()
    other.force_login(clerk)
    response = other.get(address)

    assert "Tìm kiếm trước đó đã hết hiệu lực" in response.content.decode()
    assert len(codes(response)) > 1  # the unsearched tab, not someone else's search


def test_search_by_name_without_diacritics(client, clerk, world):
    client.force_login(clerk)
    assert tab(client, "all", q="tran thi binh") == [world["overdue"]]
    assert tab(client, "all", q="TRẦN THỊ bình") == [world["overdue"]]
    assert tab(client, "all", q="nguyen van") == [world["fresh"]]
    assert tab(client, "all", q="van an") == [world["fresh"]]  # from a word inside
    assert tab(client, "all", q="binh") == [world["overdue"]]  # the given name
    assert tab(client, "all", q="inh") == []  # not the middle of a word
    assert tab(client, "all", q="ngo van khoa") == []  # another commune's applicant


def test_search_stays_inside_the_tab_and_offers_all(client, clerk, world):
    client.force_login(clerk)
    response = client.get(URL, {"view": "ready", "q": "tran thi binh"})
    assert codes(response) == []
    assert "Tìm trong tất cả hồ sơ" in response.content.decode()


def test_filters_by_state_channel_field_and_received_dates(client, clerk, world):
    client.force_login(clerk)
    assert tab(client, "all", state=State.PROCESSED) == [world["ready"]]
    assert tab(client, "all", channel="online") == [world["registered"]]
    field_id = Dossier.objects.get(code=world["due_soon"]).procedure.field_id
    assert tab(client, "all", field=field_id) == [world["due_soon"]]
    assert tab(client, "all", received_from="01/02/2026", received_to="28/02/2026") == [
        world["overdue"]
    ]
    assert world["overdue"] not in tab(client, "all", received_from="11/03/2026")
    assert world["overdue"] in tab(client, "all", received_to="02/02/2026")


@pytest.mark.parametrize(
    "params",
    [
        {"received_from": "2026-02-01"},
        {"received_from": "31/02/2026"},
        {"state": "99"},
        {"field": "abc"},
        {"view": "nonsense"},
        {"per_page": "7"},
        {"received_from": "10/03/2026", "received_to": "01/03/2026"},
    ],
)
def test_bad_filters_are_ignored_with_a_notice_not_an_error(client, clerk, world, params):
    client.force_login(clerk)
    response = client.get(URL, params)
    assert response.status_code == 200
    if params.get("view") != "nonsense":
        assert "Giá trị lọc không hợp lệ" in response.content.decode()


# ---------------------------------------------------------------- keyset pagination


@pytest.fixture
def many(frozen, clerk, commune):
    """55 dossiers; 30 of them received at the very same instant."""
    procedure = make_procedure(agencies=(commune,))
    same = dt.datetime(2026, 3, 10, 10, 0, tzinfo=VN)
    for i in range(55):
        received_at = same if i < 30 else same - dt.timedelta(hours=i)
        make_dossier(clerk=clerk, procedure=procedure, received_at=received_at)
    return list(Dossier.objects.order_by("-received_at", "-pk").values_list("code", flat=True))


def cursor_link(html: str, rel: str) -> str | None:
    match = re.search(rf'rel="{rel}" href="[^"?]*\?([^"]*)"', html)
    if not match:
        return None
    return parse_qs(html_unescape(match.group(1)))["cursor"][0]


def test_walking_all_pages_forward_and_back_has_no_gaps_or_duplicates(client, clerk, many):
    client.force_login(clerk)
    pages, cursor = [], None
    while True:
        params = {"view": "all"} | ({"cursor": cursor} if cursor else {})
        html = client.get(URL, params).content.decode()
        pages.append(ROW_CODE.findall(html))
        cursor = cursor_link(html, "next")
        if cursor is None:
            break
    assert [len(p) for p in pages] == [25, 25, 5]
    assert [code for page in pages for code in page] == many

    backwards = [pages[-1]]
    cursor = cursor_link(html, "prev")
    while cursor is not None:
        html = client.get(URL, {"view": "all", "cursor": cursor}).content.decode()
        backwards.insert(0, ROW_CODE.findall(html))
        cursor = cursor_link(html, "prev")
    assert backwards == pages
    assert 'rel="next"' in html  # the first page reached backwards still links forward


def test_page_size_can_be_chosen(client, clerk, many):
    client.force_login(clerk)
    assert tab(client, "all", per_page=50) == many[:50]
    assert tab(client, "all", per_page=100) == many


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        signing.dumps(["2026-03-10T10:00:00+07:00", 5, "n"], salt="another.salt"),
        signing.dumps(["not a date", 5, "n"], salt=CURSOR_SALT),
        signing.dumps(["2026-03-10T10:00:00", 5, "n"], salt=CURSOR_SALT),  # naive
        signing.dumps(["2026-03-10T10:00:00+07:00", "5", "n"], salt=CURSOR_SALT),
        signing.dumps(["2026-03-10T10:00:00+07:00", 5, "sideways"], salt=CURSOR_SALT),
        signing.dumps({"a": 1}, salt=CURSOR_SALT),
        Cursor(received_at=None, pk=1).sign()[:-3] + "xyz",
    ],
    # Signed values carry a timestamp: ids by position keep test ids the same in
    # every pytest-xdist process.
    ids=["garbage", "other-salt", "not-a-date", "naive", "text-pk", "sideways", "dict", "forged"],
)
def test_a_bad_cursor_shows_the_first_page(client, clerk, many, cursor):
    client.force_login(clerk)
    assert tab(client, "all", cursor=cursor) == many[:25]


def test_registrations_without_receipt_time_page_too(client, clerk, commune, frozen):
    procedure = make_procedure(agencies=(commune,))
    for _ in range(30):
        services.register_online(
            agency=commune,
            procedure=procedure,
            variant=None,
            applicant=make_applicant(),
            documents=[services.ReceivedDocument(name="Tờ khai", originals=1)],
        )
    make_dossier(clerk=clerk, procedure=procedure)
    expected = list(
        Dossier.objects.order_by("-received_at", "-pk").values_list("code", flat=True)
    )  # PostgreSQL: NULL receipt times first
    client.force_login(clerk)
    first = client.get(URL, {"view": "all"}).content.decode()
    second = client.get(URL, {"view": "all", "cursor": cursor_link(first, "next")}).content.decode()
    assert ROW_CODE.findall(first) + ROW_CODE.findall(second) == expected
    back = client.get(URL, {"view": "all", "cursor": cursor_link(second, "prev")}).content.decode()
    assert ROW_CODE.findall(back) == ROW_CODE.findall(first)


# ---------------------------------------------------------------- fixed query count


def count_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


def test_query_count_is_the_same_on_page_one_and_page_three(client, clerk, many):
    client.force_login(clerk)
    html = client.get(URL, {"view": "all"}).content.decode()
    second = cursor_link(html, "next")
    third = cursor_link(client.get(URL, {"view": "all", "cursor": second}).content.decode(), "next")
    first_count = count_queries(client, {"view": "all"})
    assert count_queries(client, {"view": "all", "cursor": third}) == first_count
    assert count_queries(client, {"view": "all", "per_page": 100}) == first_count
    assert count_queries(client, {"view": "all", "q": "nguyen"}) == first_count
    assert first_count <= 9


def test_query_count_does_not_grow_with_the_number_of_dossiers(
    client, clerk, commune, frozen, django_assert_num_queries
):
    procedure = make_procedure(agencies=(commune,))
    for _ in range(5):
        make_dossier(clerk=clerk, procedure=procedure)
    client.force_login(clerk)
    with_five = count_queries(client, {"view": "all"})
    for _ in range(45):
        make_dossier(clerk=clerk, procedure=procedure)
    with django_assert_num_queries(with_five):
        response = client.get(URL, {"view": "all", "per_page": 50})
    assert len(ROW_CODE.findall(response.content.decode())) == 50


def test_leader_pages_cost_one_query_more_than_a_clerks_for_the_agency_tree(
    client, clerk, provincial_leader, world
):
    client.force_login(clerk)
    clerk_count = count_queries(client, {"view": "all"})
    client.force_login(provincial_leader)
    assert count_queries(client, {"view": "all"}) == clerk_count + 1


# ---------------------------------------------------------------- htmx


def test_htmx_requests_get_only_the_results(client, clerk, world):
    client.force_login(clerk)
    response = client.get(URL, {"view": "ready"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "<form" not in html
    assert codes(response) == [world["ready"]]
    assert 'id="queue-view" value="ready" hx-swap-oob="true"' in html
    assert response.headers["Vary"].count("HX-Request") == 1


def test_full_page_has_the_form_tabs_and_real_links(client, clerk, world):
    client.force_login(clerk)
    response = client.get(URL, {"view": "ready"})
    html = response.content.decode()
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert '<form class="queue-filters" method="post"' in html  # a real no-JS fallback
    assert "hx-swap-oob" not in html
    assert 'aria-current="page"' in html
    assert '<th scope="col">' in html and "<caption>" in html
    assert f'href="{reverse("desk:detail", args=[world["ready"]])}"' in html
    assert re.search(r'<a class="queue-tab" href="/ho-so/\?view=overdue"', html)


# ---------------------------------------------------------------- permissions


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["inspector", "outsider"])
def test_staff_without_a_desk_role_are_refused(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize(
    "persona", ["clerk", "officer", "unit_head", "commune_leader", "administrator"]
)
def test_desk_roles_may_open_the_queues(client, request, persona, frozen):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 200
