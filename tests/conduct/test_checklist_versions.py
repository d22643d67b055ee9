"""Checklists are versioned: a published version is frozen, edits go into a draft
version that is published later, and a past inspection keeps the version it used."""

import pytest

from conduct import services
from conduct.checklist import ITEMS, seed_checklist
from conduct.models import ChecklistItem, ChecklistVersion, Scope, Section
from conduct.services import ConductError

from .conftest import open_inspection

pytestmark = pytest.mark.django_db


def test_seed_holds_every_item_of_the_five_groups_once(checklist):
    version = checklist.latest_published()
    assert version.number == 1 and version.is_published
    assert version.items.count() == len(ITEMS)
    assert set(version.items.values_list("section", flat=True)) == set(Section.values)
    assert set(version.items.values_list("scope", flat=True)) == set(Scope.values)
    seed_checklist()  # twice: nothing more
    assert ChecklistVersion.objects.count() == 1
    assert ChecklistItem.objects.count() == len(ITEMS)


def test_a_published_version_cannot_be_edited(checklist, inspector):
    version = checklist.latest_published()
    item = version.items.first()
    with pytest.raises(ConductError, match="đã công bố"):
        services.save_item(
            version=version,
            item=item,
            section=item.section,
            scope=item.scope,
            code=item.code,
            text="Sửa trộm",
            order=1,
        )
    with pytest.raises(ConductError):
        services.delete_item(item=item)
    item.refresh_from_db()
    assert item.text != "Sửa trộm"


def test_a_draft_copies_the_items_and_only_one_draft_exists(checklist, inspector):
    draft = services.start_draft_version(template=checklist, by=inspector, note="Bổ sung")
    assert draft.number == 2 and not draft.is_published
    assert list(draft.items.values_list("code", "text")) == list(
        checklist.latest_published().items.values_list("code", "text")
    )
    with pytest.raises(ConductError, match="bản dự thảo"):
        services.start_draft_version(template=checklist, by=inspector)
    assert checklist.versions.count() == 2


def test_past_inspection_keeps_its_version_after_a_new_one_is_published(
    checklist, inspector, commune, ward_staff
):
    before = open_inspection(agency=commune, lead=inspector, officers=ward_staff)
    old_version = before.version
    draft = services.start_draft_version(template=checklist, by=inspector)
    kl6 = draft.items.get(code="KL6")
    services.save_item(
        version=draft,
        item=kl6,
        section=kl6.section,
        scope=kl6.scope,
        code="KL6",
        text="Đeo thẻ công chức và biển tên",
        order=kl6.order,
    )
    services.delete_item(item=draft.items.get(code="GT5"))
    services.save_item(
        version=draft,
        section=Section.PREMISES,
        scope=Scope.PREMISES,
        code="CS9",
        text="Có nước uống cho người dân",
        order=99,
    )
    services.publish_version(version=draft, by=inspector)

    after = open_inspection(agency=commune, lead=inspector, officers=ward_staff)
    assert after.version == draft
    before.refresh_from_db()
    assert before.version == old_version
    assert before.version.items.filter(code="GT5").exists()
    assert (
        before.version.items.get(code="KL6").text == "Đeo thẻ công chức trong khi thi hành công vụ"
    )
    assert not after.version.items.filter(code="GT5").exists()
    assert after.version.items.filter(code="CS9").exists()
    # A tick on the old inspection only accepts the old version's items.
    with pytest.raises(ConductError, match="không thuộc mẫu phiếu"):
        services.record_tick(
            inspection=before,
            item_id=after.version.items.get(code="CS9").pk,
            target="p",
            outcome="met",
            note="",
            by=inspector,
        )


def test_duplicate_code_and_empty_draft_are_refused(checklist, inspector):
    draft = services.start_draft_version(template=checklist, by=inspector)
    with pytest.raises(ConductError, match="đã có"):
        services.save_item(
            version=draft,
            section=Section.PREMISES,
            scope=Scope.PREMISES,
            code="CS1",
            text="Trùng mã",
            order=1,
        )
    draft.items.all().delete()
    with pytest.raises(ConductError, match="chưa có tiêu chí"):
        services.publish_version(version=draft, by=inspector)
    assert not ChecklistVersion.objects.get(pk=draft.pk).is_published
