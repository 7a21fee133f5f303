"""Fixtures of the work calendar tests: the pure calendar, instants in the district's zone, a clean registry."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from yiwang.core.workcal import services, sweep
from yiwang.core.workcal.calendar import WorkCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*parts) -> datetime:
    """An instant in Asia/Shanghai: local(2025, 9, 30, 16) is 16:00 on 30 September 2025."""
    return datetime(*parts, tzinfo=SHANGHAI)


@pytest.fixture(scope="session")
def cal() -> WorkCalendar:
    return WorkCalendar("08:30-12:00,13:00-17:30", "Asia/Shanghai")


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    services.invalidate_calendar()
    yield
    services.invalidate_calendar()


@pytest.fixture
def clock_handlers():
    """Register handlers for one test only (other contexts' handlers are set aside meanwhile)."""
    saved = {key: list(value) for key, value in sweep._handlers.items()}
    sweep._handlers.clear()
    yield sweep.register_clock_handler
    sweep._handlers.clear()
    sweep._handlers.update(saved)
