"""Form fields every app uses (procedures is the app the others build on)."""

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# dd/mm/yyyy (d/m/yyyy too): the shape of a Vietnamese date, valid or not.
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


class DayMonthYearField(forms.DateField):
    """A date typed as dd/mm/yyyy. A date of the right shape that the calendar does
    not have (31/02/1990, 29/02/2023) is refused as such, "Ngày 31/02/1990 không tồn
    tại", not as a format error that would send the user looking for a typo in the
    format. Used by every dd/mm/yyyy field of the project's forms."""

    input_formats = ["%d/%m/%Y"]
    default_error_messages = {
        "nonexistent": _("Ngày %(value)s không tồn tại."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%d/%m/%Y"])
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        try:
            return super().to_python(value)
        except ValidationError as error:
            text = value.strip() if isinstance(value, str) else ""
            if error.code != "invalid" or not (match := _DAY_MONTH_YEAR.fullmatch(text)):
                raise
            day, month, _year = (int(part) for part in match.groups())
            if 1 <= month <= 12 and 1 <= day <= 31:
                raise ValidationError(
                    self.error_messages["nonexistent"], code="nonexistent", params={"value": text}
                ) from None
            raise
