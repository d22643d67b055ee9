"""Every state × action × role, through the dossier action view.

For each of the ten states a dossier is driven there through the real services;
then every persona posts every action with minimal valid data. What
``permissions.RULES`` allows must change the dossier as the law says; everything
else must be refused with a clear message and change nothing at all.

One test per (state, persona): the fourteen actions run inside it, reusing the
dossier while actions are refused and building a fresh one after an allowed
action changed it. That keeps the 1,120 cases to a few seconds.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from desk.models import (
    ApologyLetter,
    Dossier,
    DossierDocument,
    DossierEvent,
    State,
    SupplementRequest,
)
from desk.permissions import ANY, DESK, HOLDER, RULES, Action
from procedures.models import Role
from tests.factories import dossier_in_state, make_procedure

HTMX = {"HTTP_HX_REQUEST": "true"}
ITEMS = [{"name": "Giấy chứng sinh", "reason": "Bản chụp mờ, không đọc được số"}]


def test_the_helper_reaches_every_state(db, clerk, officer):
    procedure = make_procedure(agencies=(clerk.agency,))
    for state in State:
        assert (
            dossier_in_state(state, clerk=clerk, officer=officer, procedure=procedure).state
            == state
        )


# ---------------------------------------------------------------- who is who


@dataclass(frozen=True)
class Persona:
    roles: tuple[Role, ...]
    local: bool  # works in the commune: the receiving desk and the holding unit
    sees: bool  # may open the dossier at all (get_dossier_for_user)


PERSONAS = {
    "clerk": Persona((Role.CLERK,), local=True, sees=True),
    "officer": Persona((Role.OFFICER,), local=True, sees=True),
    "unit_head": Persona((Role.UNIT_HEAD,), local=True, sees=True),
    "commune_leader": Persona((Role.LEADER,), local=True, sees=True),
    "provincial_leader": Persona((Role.LEADER,), local=False, sees=True),
    "inspector": Persona((Role.INSPECTOR,), local=False, sees=True),
    "administrator": Persona((Role.ADMINISTRATOR,), local=False, sees=True),
    "outsider": Persona((), local=False, sees=False),
}


def expected_allowed(action: Action, state: State, persona: Persona) -> bool:
    """RULES read independently of permissions.refusal: the state, then a role held
    in the right place (DESK and HOLDER are the commune here; ANY is any agency the
    persona sees)."""
    rule = RULES[action]
    if state not in rule.states:
        return False
    for role, place in rule.who:
        if role not in persona.roles:
            continue
        if place in (DESK, HOLDER) and persona.local:
            return True
        if place == ANY and persona.sees:
            return True
    return False


def test_the_table_is_not_empty_nor_full():
    """Guard the oracle itself: some cases are allowed, most are not."""
    cases = [
        expected_allowed(action, state, persona)
        for action in Action
        for state in State
        for persona in PERSONAS.values()
    ]
    assert 30 < sum(cases) < len(cases) / 4


# ---------------------------------------------------------------- what each action posts and does


def _new_due(dossier: Dossier) -> str:
    base = timezone.localtime(dossier.due_at or timezone.now()) + dt.timedelta(days=7)
    while base.weekday() >= 5:  # the test calendar has no holidays: weekdays are worked
        base += dt.timedelta(days=1)
    return base.strftime("%d/%m/%Y 16:00")


def post_data(action: Action, dossier: Dossier, commune_id: int) -> dict:
    data = {
        Action.RECEIVE: {},
        Action.GUIDE: {"item_name": [ITEMS[0]["name"]], "item_reason": [ITEMS[0]["reason"]]},
        Action.REFUSE: {"reason": "Hồ sơ không thuộc thẩm quyền giải quyết"},
        Action.HAND_OVER: {"to_agency": str(commune_id), "to_user": "", "note": ""},
        Action.REQUEST_SUPPLEMENT: {
            "item_name": [ITEMS[0]["name"]],
            "item_reason": [ITEMS[0]["reason"]],
        },
        Action.SUPPLY: {"note": "Đã nhận bản chính"},
        Action.REQUEST_PAYMENT: {"amount": "50.000", "note": "Lệ phí"},
        Action.CONFIRM_PAYMENT: {"note": ""},
        Action.APOLOGISE: {"reason": "Cần xác minh thêm", "new_due_at": _new_due(dossier)},
        Action.REQUEST_WITHDRAWAL: {"note": "Đơn rút hồ sơ"},
        Action.STOP: {"reason": "Công dân rút hồ sơ"},
        Action.COMPLETE: {"result_number": "123/QĐ-UBND", "result_signer": "Nguyễn Văn Chủ tịch"},
        Action.RETURN: {"identity_checked": "on", "delivery": "desk", "note": ""},
        Action.CORRECT: {"reason": "Trả nhầm hồ sơ"},
    }[action]
    return {**data, "version": str(dossier.version)}


def _count(model, dossier_field: str = "dossier"):
    rows = model.objects.filter(**{dossier_field: OuterRef("pk")}).values(dossier_field)
    return Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField())


def load(dossier: Dossier) -> Dossier:
    """The row and the counts of everything hanging off it, in one query."""
    return Dossier.objects.annotate(
        n_events=Coalesce(_count(DossierEvent), 0),
        n_supplements=Coalesce(_count(SupplementRequest), 0),
        n_apologies=Coalesce(_count(ApologyLetter), 0),
        n_documents=Coalesce(_count(DossierDocument), 0),
    ).get(pk=dossier.pk)


def snapshot(row: Dossier) -> tuple:
    """Every column of the row (editable or not) and the related counts."""
    columns = {f.attname: getattr(row, f.attname) for f in Dossier._meta.concrete_fields}
    return (columns, row.n_events, row.n_supplements, row.n_apologies, row.n_documents)


def effect_holds(action: Action, before: Dossier, after: Dossier) -> bool:
    """What the law says each action does, checked on the row."""
    checks = {
        Action.RECEIVE: after.state == State.RECEIVED and after.received_at is not None,
        Action.GUIDE: after.state == State.REGISTERED and ITEMS[0]["name"] in after.intake_guidance,
        Action.REFUSE: after.state == State.NOT_RECEIVED and bool(after.refusal_reason),
        Action.HAND_OVER: after.state == State.PROCESSING,
        Action.REQUEST_SUPPLEMENT: after.state == State.SUPPLEMENT
        and after.paused_at is not None
        and after.supplement_count == before.supplement_count + 1,
        Action.SUPPLY: after.state == State.PROCESSING and after.paused_at is None,
        Action.REQUEST_PAYMENT: after.state == State.AWAITING_PAYMENT
        and after.fee_amount == Decimal(50000),
        Action.CONFIRM_PAYMENT: after.state == State.PROCESSING and after.fee_paid_at is not None,
        Action.APOLOGISE: after.state == before.state
        and after.extended
        and after.due_at > before.due_at
        and after.n_apologies == before.n_apologies + 1,
        Action.REQUEST_WITHDRAWAL: after.state == State.WITHDRAWAL_REQUESTED,
        Action.STOP: after.state == State.STOPPED and after.finished_at is not None,
        Action.COMPLETE: after.state == State.PROCESSED and after.result_number == "123/QĐ-UBND",
        Action.RETURN: after.state == State.RETURNED and after.returned_at is not None,
        Action.CORRECT: after.state == State.PROCESSED and after.returned_at is None,
    }
    return checks[action]


# ---------------------------------------------------------------- the matrix


@pytest.mark.django_db
@pytest.mark.parametrize("persona_name", list(PERSONAS))
@pytest.mark.parametrize("state", list(State), ids=[s.name.lower() for s in State])
def test_every_action_in_every_state_for_every_role(
    client, request, clerk, officer, commune, state, persona_name
):
    persona = PERSONAS[persona_name]
    user = request.getfixturevalue(persona_name)
    client.force_login(user)
    procedure = make_procedure(agencies=(commune,))
    dossier = dossier_in_state(state, clerk=clerk, officer=officer, procedure=procedure)
    problems: list[str] = []

    for index, action in enumerate(Action):
        url = reverse("desk:action", args=[dossier.code, action.value])
        data = post_data(action, dossier, commune.pk)
        before_row = load(dossier)
        before = snapshot(before_row)
        allowed = expected_allowed(action, state, persona)
        # Allowed actions go through the plain form (post, redirect, get). Refused ones
        # alternate: a third through htmx (400 and the re-rendered dossier carrying the
        # reason), the rest through the plain form (redirect and the reason as a message).
        use_htmx = not allowed and (index + state.value) % 3 == 0
        response = client.post(url, data, **(HTMX if use_htmx else {}))
        case = f"{persona_name} {action.value} in {state.name}"

        if not persona.sees:
            if response.status_code != 404 or snapshot(load(dossier)) != before:
                problems.append(f"{case}: expected 404 and no change, got {response.status_code}")
            continue

        if allowed:
            after = load(dossier)
            if response.status_code != 302:
                problems.append(f"{case}: allowed but answered {response.status_code}")
            elif after.version != before_row.version + 1:
                problems.append(f"{case}: version not bumped")
            elif after.n_events != before_row.n_events + 1:
                problems.append(f"{case}: no timeline event")
            elif not effect_holds(action, before_row, after):
                problems.append(f"{case}: wrong effect (state {State(after.state).name})")
            # The action consumed this dossier; the next one starts from a fresh copy.
            dossier = dossier_in_state(state, clerk=clerk, officer=officer, procedure=procedure)
            continue

        if snapshot(load(dossier)) != before:
            problems.append(f"{case}: refused but the dossier changed")
        # Refused: the dossier page again (the partial with htmx, the whole page in
        # the layout without), with the reason.
        html = response.content.decode()
        if response.status_code != 400 or not (
            "Bạn không có quyền" in html or "Không thể “" in html
        ):
            problems.append(f"{case}: expected 400 with the reason, got {response.status_code}")
        elif not use_htmx and 'class="site-header"' not in html:
            problems.append(f"{case}: the refusal is not a page in the layout")

    assert problems == []
