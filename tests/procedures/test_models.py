import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from procedures.models import Agency, AgencyLevel, Procedure, Role
from procedures.text import fold, tokens
from tests.factories import make_agency, make_field, make_procedure, make_user


@pytest.mark.parametrize("identifier", ["000.00.00.H56", "000.17.22.H56", "123.45.67.G01"])
def test_valid_agency_identifiers_pass(db, identifier):
    Agency(identifier=identifier, name="X", level=AgencyLevel.PROVINCE).full_clean()


@pytest.mark.parametrize(
    "identifier", ["000.00.00.h56", "00.00.00.H56", "000.00.00.H5", "000-00-00-H56", ""]
)
def test_malformed_agency_identifiers_are_refused(db, identifier):
    with pytest.raises(ValidationError) as excinfo:
        Agency(identifier=identifier, name="X", level=AgencyLevel.PROVINCE).full_clean()
    assert "identifier" in excinfo.value.message_dict


def test_working_hours_must_be_in_order(db):
    agency = Agency(
        identifier="000.00.00.H56",
        name="X",
        level=AgencyLevel.PROVINCE,
        morning_start=dt.time(8),
        morning_end=dt.time(7),
    )
    with pytest.raises(ValidationError):
        agency.full_clean()


def test_agency_cannot_be_its_own_ancestor(province, commune):
    province.parent = commune
    with pytest.raises(ValidationError) as excinfo:
        province.full_clean()
    assert "parent" in excinfo.value.message_dict


def test_subtree_contains_every_descendant_and_nothing_else(
    province, department, commune, other_commune
):
    unit = make_agency(parent=department)
    assert Agency.objects.subtree_ids(department.pk) == {department.pk, unit.pk}
    assert Agency.objects.subtree_ids(province.pk) == {
        province.pk,
        department.pk,
        unit.pk,
        commune.pk,
        other_commune.pk,
    }


@pytest.mark.parametrize("code", ["1.010708", "2.002622"])
def test_valid_procedure_codes_pass(db, code):
    make_procedure(code=code)


@pytest.mark.parametrize("code", ["1010708", "1.01070", "12.010708", "a.010708"])
def test_malformed_procedure_codes_are_refused(db, code):
    with pytest.raises(ValidationError) as excinfo:
        make_procedure(code=code)
    assert "code" in excinfo.value.message_dict


def test_fold_removes_diacritics_and_case_and_maps_d_with_stroke():
    assert fold("ĐĂNG KÝ khai sinh") == "dang ky khai sinh"
    assert fold("Đường   đi") == "duong di"
    assert fold("Cấp lại Giấy phép, (bản sao)") == "cap lai giay phep ban sao"


def test_tokens_are_distinct_and_longest_first():
    assert tokens("đăng ký đăng KÝ khai") == ["dang", "khai", "ky"]


def test_procedure_search_columns_follow_the_name(db):
    field = make_field(name="Hộ tịch")
    procedure = make_procedure(name="Đăng ký khai sinh", field=field)
    assert procedure.name_folded == "dang ky khai sinh"
    assert "ho tich" in procedure.search_folded
    assert list(Procedure.objects.search("DANG KY")) == [procedure]


class TestVisibleAgencies:
    def test_clerk_sees_only_own_agency(self, clerk, commune):
        assert clerk.visible_agency_ids() == {commune.pk}

    def test_provincial_leader_sees_whole_province(
        self, provincial_leader, province, commune, other_commune, department
    ):
        assert provincial_leader.visible_agency_ids() == {
            province.pk,
            commune.pk,
            other_commune.pk,
            department.pk,
        }

    def test_commune_leader_never_sees_another_commune(
        self, commune_leader, commune, other_commune
    ):
        visible = commune_leader.visible_agency_ids()
        assert commune.pk in visible
        assert other_commune.pk not in visible

    def test_superuser_sees_everything(self, db):
        assert make_user(is_superuser=True).visible_agency_ids() is None

    def test_inactive_user_sees_nothing_and_holds_no_role(self, commune):
        user = make_user(agency=commune, roles=("leader",), is_active=False)
        assert user.visible_agency_ids() == set()
        assert not user.has_role(Role.LEADER)

    def test_staff_without_agency_sees_nothing(self, db):
        assert make_user(roles=("clerk",)).visible_agency_ids() == set()
