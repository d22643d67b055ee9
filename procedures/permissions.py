"""Who may do what to an object, in which state: the one kit every app's table is
written with (desk.permissions.RULES for dossiers, surveys' FEEDBACK_RULES for
feedback, conduct.access.CONDUCT for inspections, plans, follow-ups).

A table maps each action (an enum) to a :class:`Rule`: the states the action
starts from, and who may take it as (role, place) pairs, where a place is a named
test of the user against the object ("the receiving desk", "the unit now holding
the dossier", "the owner"). The services ask the table and refuse with its
message; the pages ask it which actions to offer. These are object-level checks:
``procedures.auth.role_required`` is the view-level guard (a role, any object),
and reads roles the same way (:func:`holds`).
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .models import Role

# A role, or ANYONE: any signed-in user (the owner of a follow-up, whatever roles
# they hold).
ANYONE = None


def holds(user: Any, role: Role | None) -> bool:
    """Whether ``user`` holds ``role`` (ANYONE: is signed in). Anonymous visitors
    hold no role; ``User.has_role`` says the rest (an inactive user holds none, a
    superuser is an administrator)."""
    if not user.is_authenticated:
        return False
    return role is ANYONE or user.has_role(role)


@dataclass(frozen=True)
class Place:
    """Where a role must be held for a rule to apply: a named test of the user
    against the object."""

    name: str
    test: Callable[[Any, Any], bool]

    def __call__(self, user: Any, obj: Any) -> bool:
        return self.test(user, obj)


ANYWHERE = Place("anywhere", lambda user, obj: True)


@dataclass(frozen=True)
class Rule:
    """The states an action starts from (None: any state), who may take it, and
    optionally what a user who may not is told (else the table's message)."""

    states: tuple[str, ...] | None
    who: tuple[tuple[Role | None, Place], ...]
    refused: Any = None  # a (lazy) message; None: the table's ``refused``


Check = Literal["scope", "state", "who"]


class Table[A: str](Mapping[A, Rule]):
    """The rules of one kind of object, by action, and the messages of a refusal.

    The messages may name ``%(action)s`` (from ``labels``) and ``%(state)s`` (the
    object's state, through ``state_label``). ``scope`` is tested before anything
    else, with its own message (a feedback of another agency). The state is tested
    before who may act, unless ``who_first`` (then a user who may never take the
    action is told so whatever the state).
    """

    def __init__(
        self,
        rules: Mapping[A, Rule],
        *,
        state: Callable[[Any], str] = lambda obj: obj.state,
        state_label: Callable[[str], Any] = str,
        labels: Mapping[A, Any] | None = None,
        wrong_state: Any = "",
        refused: Any = "",
        scope: Place | None = None,
        out_of_scope: Any = "",
        who_first: bool = False,
    ) -> None:
        self._rules = dict(rules)
        self._state = state
        self._state_label = state_label
        self._labels = labels or {}
        self._messages: dict[Check, Any] = {
            "scope": out_of_scope,
            "state": wrong_state,
            "who": refused,
        }
        self._scope = scope
        self._order: tuple[Check, ...] = ("who", "state") if who_first else ("state", "who")

    def __getitem__(self, action: A) -> Rule:
        return self._rules[action]

    def __iter__(self) -> Iterator[A]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def _passes(self, check: Check, user: Any, obj: Any, rule: Rule) -> bool:
        if check == "scope":
            return self._scope is None or self._scope(user, obj)
        if check == "state":
            return rule.states is None or self._state(obj) in rule.states
        return any(holds(user, role) and place(user, obj) for role, place in rule.who)

    def failed(self, user: Any, obj: Any, action: A) -> Check | None:
        """Which check ``action`` on ``obj`` fails for ``user``, or None."""
        rule = self._rules[action]
        for check in ("scope", *self._order):
            if not self._passes(check, user, obj, rule):
                return check
        return None

    def allows(self, user: Any, obj: Any, action: A) -> bool:
        return self.failed(user, obj, action) is None

    def refusal(self, user: Any, obj: Any, action: A) -> str | None:
        """Why ``user`` may not take ``action`` on ``obj`` now, or None if they may."""
        check = self.failed(user, obj, action)
        if check is None:
            return None
        message = self._messages[check]
        if check == "who" and self._rules[action].refused is not None:
            message = self._rules[action].refused
        params = {"action": self._labels.get(action, action)}
        if check == "state":
            params["state"] = self._state_label(self._state(obj))
        return str(message) % params

    def allowed(self, user: Any, obj: Any) -> list[A]:
        """The actions ``user`` may take on ``obj`` now, in the table's order."""
        return [action for action in self._rules if self.allows(user, obj, action)]
