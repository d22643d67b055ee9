"""Fixtures of the service tests."""

import pytest

from procedures.models import Procedure
from tests.factories import make_procedure, make_user


@pytest.fixture
def procedure(commune, department) -> Procedure:
    """Five working days, handled by the commune and, for some steps, the department."""
    return make_procedure(agencies=(commune, department), time_value=5)


@pytest.fixture
def department_officer(department):
    return make_user(agency=department, roles=("officer",), username="dept-officer")
