"""Actions of the operations context — the only write path for cases.

Every action takes the ``Actor`` first and the version of the case the user saw (``expected_version``);
it locks the row, checks the transition table and the actor's scope, writes the history rows and the
audit event in one transaction, and queues its notifications (delivered after commit).
"""

from .auto_intake import set_intake_policy
from .closing import close, evaluate, reopen, verify
from .combine import merge_into, split_case
from .dispatching import dispatch, return_case
from .handling import (
    grant_extension,
    mark_handled,
    refuse_extension,
    request_extension,
    resume,
    start_handling,
    suspend,
)
from .history import HistoryCase, seed_history
from .intake import Reporter, accept, register, reject, report_case
from .notes import add_note, relocate
from .supervision import escalate, supervise

__all__ = [
    "HistoryCase",
    "Reporter",
    "accept",
    "add_note",
    "close",
    "dispatch",
    "escalate",
    "evaluate",
    "grant_extension",
    "mark_handled",
    "merge_into",
    "refuse_extension",
    "register",
    "reject",
    "relocate",
    "reopen",
    "report_case",
    "request_extension",
    "resume",
    "return_case",
    "seed_history",
    "set_intake_policy",
    "split_case",
    "start_handling",
    "supervise",
    "suspend",
    "verify",
]
