"""The demo: a year of inspections of the desks' staff through the real services,
with a repeat violation, open follow-ups and a plan; loading twice adds nothing."""

import io

import pytest

from conduct import demo
from conduct.models import Finding, FollowUp, Inspection, InspectionPlan, InspectionStatus
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


def test_demo_loads_a_year_of_inspections_once(province, commune, officer, clerk, unit_head):
    make_user(agency=province, roles=("inspector",), username="kiemtra")
    make_user(agency=commune, roles=("officer",), username="xuly2")
    department = make_agency(identifier="000.18.00.H56", name="Sở Xây dựng", parent=province)
    make_user(agency=department, roles=("officer",), username="xuly.soxaydung")
    out = io.StringIO()
    demo.load(out)
    completed = Inspection.objects.filter(status=InspectionStatus.COMPLETED)
    assert completed.count() >= 2
    assert Inspection.objects.filter(status=InspectionStatus.DRAFT).count() == 1
    assert Finding.objects.filter(is_repeat=True, officer__username="xuly2").exists()
    assert FollowUp.objects.filter(done_at__isnull=True).exists()
    assert InspectionPlan.objects.filter(agency=province).exists()
    count = Inspection.objects.count()
    demo.load(out)
    assert Inspection.objects.count() == count
