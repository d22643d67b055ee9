"""dd/mm/yyyy fields (procedures.fields.DayMonthYearField, used by every form of
the project that takes a date): a date that does not exist says so, in the user's
language, rather than being called a format error."""

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from conduct.forms import date_field
from desk.forms import IntakeForm
from desk.queues import QueueFilterForm
from desk.tracking_book import TrackingBookFilter
from procedures.fields import DayMonthYearField


class BirthForm(forms.Form):
    day = DayMonthYearField(error_messages={"invalid": "Sai dạng"})


@pytest.mark.parametrize(
    ("typed", "vi", "en"),
    [
        ("31/02/1990", "Ngày 31/02/1990 không tồn tại.", "The date 31/02/1990 does not exist."),
        ("29/02/2023", "Ngày 29/02/2023 không tồn tại.", "The date 29/02/2023 does not exist."),
        (" 31/4/2026 ", "Ngày 31/4/2026 không tồn tại.", "The date 31/4/2026 does not exist."),
    ],
)
def test_a_date_that_does_not_exist_says_so(typed, vi, en):
    for language, message in (("vi", vi), ("en", en)):
        with translation.override(language):
            form = BirthForm({"day": typed})
            assert not form.is_valid()
            assert form.errors["day"] == [message]


@pytest.mark.parametrize("typed", ["1990-02-31", "32/01/1990", "31/13/1990", "ngày mai", "3/1990"])
def test_a_badly_shaped_date_keeps_the_fields_own_format_message(typed):
    form = BirthForm({"day": typed})
    assert not form.is_valid() and form.errors["day"] == ["Sai dạng"]


def test_a_real_date_and_a_leap_day_are_taken():
    form = BirthForm({"day": "29/02/2024"})
    assert form.is_valid() and form.cleaned_data["day"] == dt.date(2024, 2, 29)


def test_every_dd_mm_yyyy_field_of_the_project_uses_it():
    fields = [
        date_field("Ngày kiểm tra"),
        IntakeForm.base_fields["applicant_birth_date"],
        QueueFilterForm.base_fields["received_from"],
        QueueFilterForm.base_fields["received_to"],
        TrackingBookFilter.base_fields["start"],
        TrackingBookFilter.base_fields["end"],
    ]
    assert all(isinstance(field, DayMonthYearField) for field in fields)
