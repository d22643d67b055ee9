"""The permission kit (procedures/permissions.py) on a table of its own: the state,
then who may act as (role, place), a scope tested first, each with its message."""

from enum import StrEnum
from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser

from procedures.models import Role, User
from procedures.permissions import ANYONE, ANYWHERE, Place, Rule, Table, holds


class Do(StrEnum):
    OPEN = "open"
    CLOSE = "close"
    LOOK = "look"


OWNER = Place("owner", lambda user, obj: obj.owner == user.username)
HOME = Place("home", lambda user, obj: obj.agency_id == user.agency_id)

TABLE: Table[Do] = Table(
    {
        Do.OPEN: Rule(("closed",), ((Role.CLERK, HOME),)),
        Do.CLOSE: Rule(
            ("open",), ((ANYONE, OWNER), (Role.UNIT_HEAD, HOME)), refused="no: %(action)s"
        ),
        Do.LOOK: Rule(None, ((Role.LEADER, ANYWHERE),)),
    },
    labels={Do.OPEN: "Open it"},
    state_label=str.upper,
    wrong_state="cannot %(action)s while %(state)s",
    refused="you may not %(action)s",
)


def person(*roles: str, agency_id: int = 1, username: str = "lan", **flags) -> User:
    user = User(username=username, agency_id=agency_id, **flags)
    for role in roles:
        setattr(user, f"is_{role}", True)
    return user


def thing(state: str = "closed", agency_id: int = 1, owner: str = "") -> SimpleNamespace:
    return SimpleNamespace(state=state, agency_id=agency_id, owner=owner)


def test_a_role_held_in_the_right_place_may_act():
    assert TABLE.refusal(person(Role.CLERK), thing(), Do.OPEN) is None
    assert TABLE.allows(person(Role.CLERK), thing(), Do.OPEN)


def test_the_state_is_tested_first_with_the_action_and_state_labels():
    assert TABLE.refusal(person(), thing("open"), Do.OPEN) == "cannot Open it while OPEN"
    assert TABLE.failed(person(), thing("open"), Do.OPEN) == "state"


def test_the_role_in_the_wrong_place_is_refused_with_the_tables_message():
    clerk_elsewhere = person(Role.CLERK, agency_id=2)
    assert TABLE.refusal(clerk_elsewhere, thing(), Do.OPEN) == "you may not Open it"


def test_a_rule_may_have_its_own_message_and_an_action_without_a_label_is_its_name():
    assert TABLE.refusal(person(Role.CLERK), thing("open"), Do.CLOSE) == "no: close"


def test_anyone_signed_in_in_the_place_may_act_but_not_an_anonymous_visitor():
    assert TABLE.allows(person(), thing("open", owner="lan"), Do.CLOSE)
    assert not TABLE.allows(AnonymousUser(), thing("open", owner=""), Do.CLOSE)
    assert not holds(AnonymousUser(), ANYONE)
    assert not holds(AnonymousUser(), Role.CLERK)


def test_an_inactive_user_holds_no_role_and_a_superuser_is_an_administrator():
    assert not holds(person(Role.CLERK, is_active=False), Role.CLERK)
    assert holds(person(is_superuser=True), Role.ADMINISTRATOR)


def test_a_rule_without_states_applies_in_any_state():
    for state in ("open", "closed", "anything"):
        assert TABLE.allows(person(Role.LEADER), thing(state), Do.LOOK)


def test_allowed_lists_the_actions_in_the_tables_order():
    head = person(Role.UNIT_HEAD, Role.CLERK, Role.LEADER)
    assert TABLE.allowed(head, thing("open")) == [Do.CLOSE, Do.LOOK]
    assert TABLE.allowed(head, thing("closed")) == [Do.OPEN, Do.LOOK]
    assert TABLE.allowed(person(), thing("closed")) == []


def test_the_table_reads_as_a_mapping_of_rules():
    assert list(TABLE) == [Do.OPEN, Do.CLOSE, Do.LOOK] and len(TABLE) == 3
    assert TABLE[Do.OPEN].states == ("closed",)
    assert TABLE[Do.OPEN].who == ((Role.CLERK, HOME),)


SCOPED: Table[Do] = Table(
    {Do.OPEN: Rule(("closed",), ((Role.CLERK, ANYWHERE),))},
    scope=HOME,
    out_of_scope="not yours",
    wrong_state="not now (%(state)s)",
    refused="not you",
    who_first=True,
)


def test_the_scope_comes_before_everything():
    assert SCOPED.refusal(person(agency_id=2), thing("open"), Do.OPEN) == "not yours"


def test_who_first_tells_a_user_without_the_role_so_whatever_the_state():
    assert SCOPED.refusal(person(), thing("open"), Do.OPEN) == "not you"
    assert SCOPED.refusal(person(Role.CLERK), thing("open"), Do.OPEN) == "not now (open)"
    assert SCOPED.refusal(person(Role.CLERK), thing("closed"), Do.OPEN) is None
