"""Model fields the apps declare the same way."""

from django.conf import settings
from django.db import models


def staff_reference(verbose_name) -> models.ForeignKey:
    """Who did something to a record (handed it over, drafted, signed, closed it):
    optional, no reverse accessor on the user, and kept as NULL if the account is
    ever deleted, so the record itself survives (accounts are deactivated, not
    deleted, in practice: procedures/models/staff.py)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=verbose_name,
    )
