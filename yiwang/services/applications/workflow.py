"""The lifecycle of an application (办件) as data: (state, action) → new state, with the roles allowed.

draft → submitted → accepted (受理) / not accepted (不予受理) / correction requested (补正)
→ corrected (back to submitted) → under review → approved / denied → delivered (办结);
withdrawn by the applicant before a decision.

:func:`check` is the only enforcement point; the actions call it under the row lock and then apply
their own scope checks (``may_accept_applications``, ``may_approve_for``).

Pseudo-roles besides ``yiwang.core.roles.Role``: ``applicant`` (the person the application is for,
acting on their own matter) and ``system`` (another context or the worker, ``Actor.system()``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yiwang.core.roles import Role
from yiwang.core.workflow import SAME, Transition, TransitionTable, Wording, choice_labeller, role_labeller

from .states import Status as S

APPLICANT = "applicant"
SYSTEM = "system"


class A:
    """Action names (also the ``action`` column of the status history)."""

    SUBMIT = "submit"
    ACCEPT = "accept"
    NOT_ACCEPT = "not_accept"
    REQUEST_CORRECTION = "request_correction"
    CORRECT = "correct"
    START_REVIEW = "start_review"
    APPROVE = "approve"
    DENY = "deny"
    DELIVER = "deliver"
    WITHDRAW = "withdraw"
    CONSULT = "consult"


ACTION_LABELS = {
    A.SUBMIT: _("submit 提交"),
    A.ACCEPT: _("accept 受理"),
    A.NOT_ACCEPT: _("not accept 不予受理"),
    A.REQUEST_CORRECTION: _("request a correction 一次性告知补正"),
    A.CORRECT: _("correct 补正"),
    A.START_REVIEW: _("start the review 开始审查"),
    A.APPROVE: _("approve 准予许可"),
    A.DENY: _("deny 不予许可"),
    A.DELIVER: _("deliver 办结送达"),
    A.WITHDRAW: _("withdraw 撤回"),
    A.CONSULT: _("call the specialist 呼叫专业人员"),
    "create": _("create 创建"),
}

APPLICANT_SIDE = frozenset({APPLICANT, Role.WINDOW_CLERK})
FRONT_DESK = frozenset({Role.WINDOW_CLERK})
CORRECTORS = frozenset({Role.WINDOW_CLERK, Role.APPROVER})
BACK_OFFICE = frozenset({Role.APPROVER})
DELIVERERS = frozenset({Role.WINDOW_CLERK, Role.APPROVER, SYSTEM})

BEFORE_DECISION = (S.DRAFT, S.SUBMITTED, S.ACCEPTED, S.CORRECTION_REQUESTED, S.UNDER_REVIEW)

# (action, from states, to state, roles) — read top to bottom as the life of an application
_TABLE: list[tuple[str, tuple[str, ...], str, frozenset[str]]] = [
    (A.SUBMIT, (S.DRAFT,), S.SUBMITTED, APPLICANT_SIDE),
    (A.ACCEPT, (S.SUBMITTED,), S.ACCEPTED, FRONT_DESK),
    (A.NOT_ACCEPT, (S.SUBMITTED,), S.NOT_ACCEPTED, FRONT_DESK),
    (A.REQUEST_CORRECTION, (S.SUBMITTED, S.ACCEPTED, S.UNDER_REVIEW), S.CORRECTION_REQUESTED, CORRECTORS),
    (A.CORRECT, (S.CORRECTION_REQUESTED,), S.SUBMITTED, APPLICANT_SIDE),
    (A.START_REVIEW, (S.ACCEPTED,), S.UNDER_REVIEW, BACK_OFFICE),
    (A.APPROVE, (S.UNDER_REVIEW,), S.APPROVED, BACK_OFFICE),
    (A.DENY, (S.UNDER_REVIEW,), S.DENIED, BACK_OFFICE),
    (A.DELIVER, (S.APPROVED, S.DENIED), S.DELIVERED, DELIVERERS),
    (A.WITHDRAW, BEFORE_DECISION, S.WITHDRAWN, frozenset({APPLICANT})),
    (A.CONSULT, (S.SUBMITTED, S.ACCEPTED, S.CORRECTION_REQUESTED, S.UNDER_REVIEW), SAME, FRONT_DESK),
]


TERMINAL_STATES = frozenset({S.NOT_ACCEPTED, S.DELIVERED, S.WITHDRAWN})
DECIDED_STATES = frozenset({S.APPROVED, S.DENIED, S.DELIVERED})
# the deadline clocks run in these states (paused while a correction is awaited)
CLOCKED_STATES = frozenset({S.ACCEPTED, S.UNDER_REVIEW, S.CORRECTION_REQUESTED})


state_label = choice_labeller(S)
role_label = role_labeller({SYSTEM: _("the system 系统"), APPLICANT: _("the applicant 申请人")})


TABLE = TransitionTable(
    _TABLE,
    wording=Wording(
        unknown=_("Unknown application action “%(action)s”."),
        illegal=_(
            "Cannot %(action)s an application that is %(state)s; "
            "it is possible only when the application is %(allowed)s."
        ),
        forbidden=_("Only %(roles)s may %(action)s this application."),
        action_label=lambda action: ACTION_LABELS.get(action, action),
        state_label=state_label,
        role_label=role_label,
    ),
)
TRANSITIONS: dict[tuple[str, str], Transition] = TABLE.transitions
ACTIONS: tuple[str, ...] = TABLE.actions


def sources_of(action: str) -> list[str]:
    return TABLE.sources_of(action)


def allowed_actions(state: str, roles) -> list[str]:
    """The actions someone with ``roles`` may take on an application in ``state`` (for the buttons)."""
    return TABLE.allowed_actions(state, roles)


def check(state: str, action: str, roles) -> str:
    """The new state if ``action`` is allowed from ``state`` for someone with ``roles``; else raise.

    :class:`ActionError` (code ``illegal_transition``) when the table has no such transition,
    :class:`PermissionDenied` when it has one but not for these roles.
    """
    return TABLE.check(state, action, roles)
