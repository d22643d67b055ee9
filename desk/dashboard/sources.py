"""What later apps add to the leaders' dashboard (procedures/extensions.py,
docs/extending.md), so that desk never imports them (conventions: each panel is
loaded from its own app). Surveys and conduct add to these in their
``AppConfig.ready()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from procedures.extensions import ExtensionPoint

# (url name, title): htmx panels from later apps, loaded with ?agency=&start=&end=.
PANELS: ExtensionPoint[tuple[str, Any]] = ExtensionPoint(
    "desk.dashboard_panels", "Panels of the leaders' dashboard, loaded from their own app"
)
# callable(agency_ids, start, end) -> number of dossiers received or finished in the
# period with a complaint about their handling or a "dissatisfied" rating.
DISSATISFIED_SOURCES: ExtensionPoint[Callable[[list[int], dt.date, dt.date], int]] = ExtensionPoint(
    "desk.dashboard_dissatisfied",
    "Dossiers with a complaint or a dissatisfied rating, for the satisfaction indicator",
)
# callable(agency_ids, start, end) -> (feedback handled on time, feedback handled).
FEEDBACK_SOURCES: ExtensionPoint[Callable[[list[int], dt.date, dt.date], tuple[int, int]]] = (
    ExtensionPoint("desk.dashboard_feedback", "Feedback handled on time, for its indicator")
)
# (column title, callable(user_ids, start, end) -> {user_id: value}) for the officer
# view: ratings, conduct scores.
OFFICER_SOURCES: ExtensionPoint[tuple[Any, Callable[[list[int], dt.date, dt.date], dict]]] = (
    ExtensionPoint("desk.dashboard_officer_columns", "Columns of the dashboard's officer view")
)
