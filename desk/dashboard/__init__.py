"""The leaders' dashboard (docs/domain.md §8): periods, scopes, indicator scores,
trends and the lists behind every number. Reads desk/stats.py's pre-aggregated rows.

- ``periods``: the periods a leader picks and the form fields each reads;
- ``indicators``: the scope, each indicator's score (Decision 766's satisfaction
  share written once, ``satisfaction``), the units' ranking, the page (``build``);
- ``trend``: the twelve months and their bars;
- ``drilldown``: the figures' labels and the dossiers behind each number;
- ``officers``: the unit head's view of each officer;
- ``export``: a list as an XLSX file, written by a worker;
- ``sources``: the extension points later apps add to (panels, the dissatisfied
  dossiers, the feedback handled on time, the officer view's columns).

The names below are the package's public ones (desk.tasks, the views, the tests).
"""

from .. import stats
from .drilldown import FIGURES, figure_queryset, figure_rows
from .export import EXPORT_HEADER, purge_exports, start_export, write_export
from .indicators import (
    Dashboard,
    Scope,
    Score,
    build,
    procedures,
    ranking_order,
    satisfaction,
    score,
    scores_for,
    total_points,
)
from .officers import officer_rows
from .periods import (
    PERIOD_CHOICES,
    PERIOD_FIELDS,
    a_year_before,
    add_months,
    last_day_of_month,
    period_bounds,
    period_choices,
)
from .sources import DISSATISFIED_SOURCES, FEEDBACK_SOURCES, OFFICER_SOURCES, PANELS
from .trend import chart, monthly_trend

__all__ = [
    "DISSATISFIED_SOURCES",
    "EXPORT_HEADER",
    "FEEDBACK_SOURCES",
    "FIGURES",
    "OFFICER_SOURCES",
    "PANELS",
    "PERIOD_CHOICES",
    "PERIOD_FIELDS",
    "Dashboard",
    "Scope",
    "Score",
    "a_year_before",
    "add_months",
    "build",
    "chart",
    "figure_queryset",
    "figure_rows",
    "last_day_of_month",
    "monthly_trend",
    "officer_rows",
    "period_bounds",
    "period_choices",
    "procedures",
    "purge_exports",
    "ranking_order",
    "satisfaction",
    "score",
    "scores_for",
    "start_export",
    "stats",
    "total_points",
    "write_export",
]
