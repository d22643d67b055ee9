"""Every field of the project's models has a Vietnamese label of its own.

Without a ``verbose_name`` Django derives the admin's column and field labels from
the field name ("inspected on", "dossier"), which shows English on the Vietnamese
admin; the URL sweep finds it page by page, this finds it for every field at once.
"""

import pytest
from django.apps import apps

PROJECT_APPS = ("procedures", "desk", "surveys", "conduct")


def _fields():
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if field.concrete and not field.auto_created:
                    yield pytest.param(field, id=f"{model._meta.label}.{field.name}")


@pytest.mark.parametrize("field", list(_fields()), ids=str)
def test_every_model_field_has_its_own_verbose_name(field):
    assert str(field.verbose_name) != field.name.replace("_", " ")
