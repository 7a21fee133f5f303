"""Tables of the operations context (一网统管)."""

from .cases import Case, CaseArea, CaseChannel, CaseStatus, ClockKind, Discovery, EscalationLevel
from .categories import BadRatingPolicy, Category, DeadlineMode, Pillar, Priority
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
    "NoteKind",
    "Pillar",
    "Priority",
    "RoutedBy",
    "RoutingRule",
    "Supervision",
    "TeamMode",
]
