from .agency import Agency, AgencyLevel, AgencyQuerySet, desk_display_name
from .catalog import (
    Fee,
    Field,
    OnlineLevel,
    Procedure,
    ProcedureLevel,
    ProcedureQuerySet,
    ProcedureRevision,
    ProcedureStatus,
    ProcedureStep,
    ProcedureVariant,
    RequiredDocument,
    TimeUnit,
)
from .imports import ImportJob, ImportJobQuerySet, ImportJobStatus
from .staff import LoginFailure, Role, User

__all__ = [
    "Agency",
    "AgencyLevel",
    "AgencyQuerySet",
    "Fee",
    "Field",
    "ImportJob",
    "ImportJobQuerySet",
    "ImportJobStatus",
    "LoginFailure",
    "OnlineLevel",
    "Procedure",
    "ProcedureLevel",
    "ProcedureQuerySet",
    "ProcedureRevision",
    "ProcedureStatus",
    "ProcedureStep",
    "ProcedureVariant",
    "RequiredDocument",
    "Role",
    "TimeUnit",
    "User",
    "desk_display_name",
]
