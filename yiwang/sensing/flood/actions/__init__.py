"""Actions of the flood scene: the only write path, each audited in its own transaction."""

from .checklists import complete_task, issue_checklist
from .duty import add_duty_shift, remove_duty_shift
from .shelters import set_shelter_status
from .warnings import WarningsImported, WarningsRefused, cancel_warning, enter_warning, import_warnings

__all__ = [
    "WarningsImported",
    "WarningsRefused",
    "add_duty_shift",
    "cancel_warning",
    "complete_task",
    "enter_warning",
    "import_warnings",
    "issue_checklist",
    "remove_duty_shift",
    "set_shelter_status",
]
