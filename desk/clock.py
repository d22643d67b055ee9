"""The dossier's clock: when a dossier is late, for the indicators.

Decision 766 (../shared/domain.md §8, progress and satisfaction): a dossier counts
as late when it was finished after its due date, or when it had more than one
supplement request, whatever its finish. The dashboard (desk/stats.py) and the
satisfaction indicator (surveys/results.py) both read it here, so the two pages
report the same late dossiers (tests/test_late_for_indicators.py).
"""

from __future__ import annotations

from django.db.models import Q

from .models import Dossier, Timeliness


def late_for_indicators() -> Q:
    """The dossiers late for the indicators, as a filter."""
    return Q(timeliness=Timeliness.LATE) | Q(supplement_count__gt=1)


def is_late_for_indicators(dossier: Dossier) -> bool:
    """The same rule for one dossier in hand."""
    return dossier.timeliness == Timeliness.LATE or dossier.supplement_count > 1
