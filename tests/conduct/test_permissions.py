"""Who sees what, for every conduct view: inspectors in their scope see and record;
leaders see their subtree; a unit head sees the unit's; an officer sees their own
findings; an outsider sees nothing (404 for objects, 403 for pages of a role);
anonymous visitors are sent to the login page."""

import datetime as dt
import io

import pytest
from django.urls import reverse

from conduct import services
from conduct.models import FollowUp
from tests.factories import PASSWORD

from .conftest import at, open_inspection, tick_all

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def world(
    province,
    commune,
    inspector,
    unit_head,
    officer,
    clerk,
    commune_leader,
    provincial_leader,
    administrator,
    outsider,
    checklist,
):
    day = dt.date(2026, 3, 10)
    done = open_inspection(agency=commune, lead=inspector, officers=[officer, clerk], day=day)
    tick_all(done, inspector, not_met=[("KL6", f"o{officer.pk}")])
    services.complete_inspection(inspection=done, by=inspector, now=at(day, 11))
    draft = open_inspection(agency=commune, lead=inspector, officers=[officer])
    item = draft.version.items.get(code="CS1")
    upload = io.BytesIO(PNG)
    upload.name = "anh.png"
    from django.core.files.uploadedfile import SimpleUploadedFile

    result = services.attach_photo(
        inspection=draft,
        item_id=item.pk,
        target="p",
        upload=SimpleUploadedFile("anh.png", PNG, content_type="image/png"),
        content_type="image/png",
        by=inspector,
    )
    plan = services.create_plan(agency=province, year=2026, by=inspector)
    follow_up = FollowUp.objects.get(finding__inspection=done)
    draft_version = services.start_draft_version(template=checklist, by=inspector)
    return {
        "done": done,
        "draft": draft,
        "plan": plan,
        "follow_up": follow_up,
        "officer": officer,
        "photo": result,
        "template": checklist,
        "version": draft_version,
        "item": draft_version.items.first(),
    }


PERSONAS = [
    "inspector",
    "provincial_leader",
    "commune_leader",
    "unit_head",
    "officer",
    "clerk",
    "outsider",
    "administrator",
    None,
]


def url(name, world):
    return {
        "list": reverse("conduct:inspections"),
        "new": reverse("conduct:inspection-new"),
        "detail": reverse("conduct:inspection", args=[world["done"].public_id]),
        "draft": reverse("conduct:inspection", args=[world["draft"].public_id]),
        "pdf": reverse("conduct:record-pdf", args=[world["done"].public_id]),
        "photo": reverse("conduct:photo-view", args=[world["draft"].public_id, world["photo"].pk]),
        "follow_ups": reverse("conduct:follow-ups"),
        "mine": reverse("conduct:my-results"),
        "officer_page": reverse("conduct:officer", args=[world["officer"].pk]),
        "scores": reverse("conduct:scores"),
        "panel": reverse("conduct:dashboard-panel"),
        "plans": reverse("conduct:plans"),
        "plan": reverse("conduct:plan", args=[world["plan"].pk]),
        "checklists": reverse("conduct:checklists"),
        "version": reverse("conduct:version", args=[world["version"].pk]),
    }[name]


# Expected GET status per persona, in PERSONAS order (None = anonymous: 302 to login).
GET_MATRIX = {
    #             insp  pLead cLead uHead offic clerk outs  admin anon
    "list": (200, 200, 200, 200, 403, 403, 403, 200, 302),
    "new": (200, 403, 403, 403, 403, 403, 403, 403, 302),
    "detail": (200, 200, 200, 200, 404, 404, 404, 200, 302),
    "draft": (200, 200, 200, 200, 404, 404, 404, 200, 302),
    "pdf": (200, 200, 200, 200, 404, 404, 404, 200, 302),
    "photo": (200, 200, 200, 200, 404, 404, 404, 200, 302),
    "follow_ups": (200, 200, 200, 200, 200, 200, 200, 200, 302),
    "mine": (200, 200, 200, 200, 200, 200, 200, 200, 302),
    "officer_page": (200, 200, 200, 200, 200, 404, 404, 200, 302),
    "scores": (200, 200, 200, 200, 403, 403, 403, 200, 302),
    "panel": (200, 200, 200, 200, 403, 403, 403, 200, 302),
    "plans": (200, 200, 200, 403, 403, 403, 403, 200, 302),
    "plan": (200, 200, 404, 403, 403, 403, 403, 200, 302),
    "checklists": (200, 403, 403, 403, 403, 403, 403, 200, 302),
    "version": (200, 403, 403, 403, 403, 403, 403, 200, 302),
}


def client_for(client, request, persona):
    if persona is not None:
        user = request.getfixturevalue(persona)
        assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("view", sorted(GET_MATRIX))
@pytest.mark.parametrize("index", range(len(PERSONAS)), ids=[str(p) for p in PERSONAS])
def test_get_matrix(client, request, world, view, index):
    persona = PERSONAS[index]
    response = client_for(client, request, persona).get(url(view, world))
    assert response.status_code == GET_MATRIX[view][index], (view, persona)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


def post_targets(world):
    draft = world["draft"].public_id
    item = world["draft"].version.items.get(code="CS2").pk
    return {
        "tick": (
            reverse("conduct:tick", args=[draft]),
            {"item": item, "target": "p", "outcome": "met"},
        ),
        "fill": (reverse("conduct:fill", args=[draft]), {"target": "p"}),
        "officers": (
            reverse("conduct:officers", args=[draft]),
            {"officers": [world["officer"].pk]},
        ),
        "commend": (reverse("conduct:commend", args=[draft]), {"description": "Tốt"}),
        "complete": (reverse("conduct:complete", args=[draft]), {"conclusion": ""}),
        "photo": (reverse("conduct:photo", args=[draft]), {"item": item, "target": "p"}),
        "close": (
            reverse("conduct:follow-up-close", args=[world["follow_up"].pk]),
            {"resolution": "Xong"},
        ),
        "plan_new": (reverse("conduct:plans"), {"year": 2027}),
        "plan_add": (
            reverse("conduct:plan", args=[world["plan"].pk]),
            {"agency": "", "planned_on": "01/06/2026", "kind": "announced"},
        ),
        "version_new": (reverse("conduct:version-new", args=[world["template"].pk]), {"note": ""}),
        "publish": (reverse("conduct:version-publish", args=[world["version"].pk]), {}),
        "item_save": (
            reverse("conduct:item-save", args=[world["version"].pk]),
            {"section": "premises", "scope": "premises", "code": "CS99", "text": "Mới", "order": 1},
        ),
        "item_delete": (reverse("conduct:item-delete", args=[world["item"].pk]), {}),
    }


# Who may POST (anything but 403/404/302-to-login); others get the status shown.
POST_MATRIX = {
    #              insp  pLead cLead uHead offic clerk outs  admin anon
    "tick": ("ok", 403, 403, 403, 404, 404, 404, 403, 302),
    "fill": ("ok", 403, 403, 403, 404, 404, 404, 403, 302),
    "officers": ("ok", 403, 403, 403, 404, 404, 404, 403, 302),
    "commend": ("ok", 403, 403, 403, 404, 404, 404, 403, 302),
    "complete": ("ok", 403, 403, 403, 404, 404, 404, 403, 302),
    "photo": ("ok", 403, 403, 403, 404, 404, 404, 403, 302),
    "close": ("ok", 403, 403, "ok", 403, 404, 404, 403, 302),
    "plan_new": ("ok", 403, 403, 403, 403, 403, 403, 403, 302),
    "plan_add": ("ok", 403, 404, 403, 403, 403, 403, 403, 302),
    "version_new": ("ok", 403, 403, 403, 403, 403, 403, "ok", 302),
    "publish": ("ok", 403, 403, 403, 403, 403, 403, "ok", 302),
    "item_save": ("ok", 403, 403, 403, 403, 403, 403, "ok", 302),
    "item_delete": ("ok", 403, 403, 403, 403, 403, 403, "ok", 302),
}


@pytest.mark.parametrize("action", sorted(POST_MATRIX))
@pytest.mark.parametrize("index", range(len(PERSONAS)), ids=[str(p) for p in PERSONAS])
def test_post_matrix(client, request, world, action, index):
    persona = PERSONAS[index]
    path, data = post_targets(world)[action]
    response = client_for(client, request, persona).post(path, data)
    expected = POST_MATRIX[action][index]
    if expected == "ok":
        assert response.status_code in (200, 302, 400), (action, persona)
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected, (action, persona)
        if expected == 302:
            assert response["Location"].startswith(reverse("login"))


def test_lists_only_show_what_the_user_may_see(client, world, officer, outsider, unit_head, clerk):
    follow_up = world["follow_up"]
    description = follow_up.finding.description
    for user, sees in ((unit_head, True), (officer, True), (clerk, False), (outsider, False)):
        client.logout()
        client.login(username=user.username, password=PASSWORD)
        body = client.get(reverse("conduct:follow-ups")).content.decode()
        assert (description in body) is sees, user
        mine = client.get(reverse("conduct:my-results")).content.decode()
        assert (description in mine) is (user == officer), user


def test_get_only_views_refuse_post_and_post_views_refuse_get(client, world, inspector):
    client.login(username=inspector.username, password=PASSWORD)
    assert client.post(reverse("conduct:scores")).status_code == 405
    assert client.get(reverse("conduct:tick", args=[world["draft"].public_id])).status_code == 405
    assert (
        client.get(reverse("conduct:complete", args=[world["draft"].public_id])).status_code == 405
    )
