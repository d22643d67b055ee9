"""Malformed ids posted to Django's admin are refused with a message, not a 500
(procedures/admin_input.py)."""

import pytest
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteMixin, ForeignKeyRawIdWidget
from django.forms import ModelChoiceField
from django.urls import reverse

from procedures.admin_input import CHOSEN_FROM_A_LIST, SafeInputAdmin, SafeTabularInline
from procedures.models import Agency
from tests.factories import make_user


def test_every_model_admin_of_the_site_refuses_malformed_ids():
    unsafe = [
        m._meta.label for m, a in admin.site._registry.items() if not isinstance(a, SafeInputAdmin)
    ]
    assert unsafe == []
    inlines = [
        f"{a}.{inline.__name__}"
        for a in admin.site._registry.values()
        for inline in a.inlines
        if not issubclass(inline, SafeTabularInline)
    ]
    assert inlines == []


@pytest.fixture
def root(client, province):
    user = make_user(agency=province, username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["không-phải-số", "x" * 5000])
def test_a_list_action_on_malformed_rows_is_refused_with_a_message(client, root, province, value):
    url = reverse("admin:procedures_agency_changelist")
    response = client.post(
        url,
        {"action": "delete_selected", "_selected_action": [str(province.pk), value]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Các dòng đã chọn không hợp lệ" in response.content.decode()
    assert Agency.objects.filter(pk=province.pk).exists()


@pytest.mark.django_db
def test_an_autocomplete_field_with_a_word_is_the_form_again_with_its_error(client, root, province):
    url = reverse("admin:procedures_agency_change", args=[province.pk])
    response = client.post(
        url,
        {
            "identifier": province.identifier,
            "name": province.name,
            "level": province.level,
            "parent": "không-phải-số",
        },
    )
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    province.refresh_from_db()
    assert province.parent_id is None


@pytest.mark.django_db
def test_no_admin_form_lists_every_row_of_a_table_that_grows(rf, province):
    """Dossiers, users, agencies, feedback and inspections grow with use: an admin
    form chooses them by search (autocomplete), never from a list of all of them."""
    request = rf.get("/")
    request.user = make_user(agency=province, username="root", is_staff=True, is_superuser=True)
    drop_downs = []
    for model_admin in admin.site._registry.values():
        if not (
            model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
        ):
            continue  # read only: its fields are shown as text
        forms = [(model_admin, model_admin.get_form(request), None)]
        for inline in model_admin.get_inline_instances(request):
            formset = inline.get_formset(request)
            forms.append((inline, formset.form, formset.fk.name))
        for owner, form, parent in forms:
            for name, field in form.base_fields.items():
                if name == parent or not isinstance(field, ModelChoiceField):
                    continue
                widget = getattr(field.widget, "widget", field.widget)
                if isinstance(widget, (AutocompleteMixin, ForeignKeyRawIdWidget)):
                    continue
                label = field.queryset.model._meta.label
                if label not in CHOSEN_FROM_A_LIST:
                    drop_downs.append(f"{type(owner).__name__}.{name} -> {label}")
    assert drop_downs == [], drop_downs
