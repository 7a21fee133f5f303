"""Tables of the operations context (一网统管)."""

from .cases import Case, CaseArea, CaseChannel, CaseStatus, ClockKind, Discovery, EscalationLevel
from .categories import BadRatingPolicy, Category, DeadlineMode, IntakePolicy, Pillar, Priority
from .counters import CaseCodeCounter
from .history import (
    AttachmentPurpose,
    CaseAssignment,
    CaseAttachment,
    CaseNote,
    CasePlace,
    CaseStatusChange,
    ExtensionRequest,
    ExtensionStatus,
    NoteKind,
    RoutedBy,
    Supervision,
)
from .rules import RoutingRule, TeamMode

__all__ = [
    "AttachmentPurpose",
    "BadRatingPolicy",
    "Case",
    "CaseArea",
    "CaseAssignment",
    "CaseAttachment",
    "CaseChannel",
    "CaseCodeCounter",
    "CaseNote",
    "CasePlace",
    "CaseStatus",
    "CaseStatusChange",
    "Category",
    "ClockKind",
    "DeadlineMode",
    "Discovery",
    "EscalationLevel",
    "ExtensionRequest",
    "ExtensionStatus",
    "IntakePolicy",
    "NoteKind",
    "Pillar",
    "Priority",
    "RoutedBy",
    "RoutingRule",
    "Supervision",
    "TeamMode",
]
