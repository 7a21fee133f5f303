"""Payload parsing: {"ts": ISO 8601 with a zone or epoch milliseconds, "value": number, "seq"?: int}.

Pure functions, no database: a parse gives (entries, errors) where each error names the entry index,
the field and what is wrong, so callers can answer precisely and dead-letter the rest.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext as _

MAX_ENTRIES = 50_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Entry:
    ts: datetime  # aware, UTC
    value: float
    seq: int | None


@dataclass(frozen=True, slots=True)
class EntryError:
    index: int
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"index": self.index, "field": self.field, "message": self.message}


def parse_ts(raw, now: datetime, max_future: timedelta) -> datetime | str:
    """The timestamp as an aware UTC datetime, or an error message."""
    if isinstance(raw, bool):
        return _("ts must be ISO 8601 with a time zone or epoch milliseconds")
    if isinstance(raw, int | float):
        if not math.isfinite(raw) or raw < 0 or raw > 32503680000000:  # year 3000
            return _("ts in epoch milliseconds is out of range")
        ts = EPOCH + timedelta(milliseconds=raw)
    elif isinstance(raw, str):
        try:
            ts = datetime.fromisoformat(raw)
        except ValueError:
            return _("ts is not an ISO 8601 date and time")
        if ts.tzinfo is None:
            return _("ts has no time zone (add Z or +08:00)")
        ts = ts.astimezone(UTC)
    else:
        return _("ts must be ISO 8601 with a time zone or epoch milliseconds")
    if ts > now + max_future:
        return _("ts is in the future")
    return ts


def parse_entry(item, index: int, now: datetime, max_future: timedelta) -> Entry | EntryError:
    if not isinstance(item, dict):
        return EntryError(index, "", _("an observation must be an object"))
    if "ts" not in item:
        return EntryError(index, "ts", _("ts is missing"))
    ts = parse_ts(item["ts"], now, max_future)
    if isinstance(ts, str):
        return EntryError(index, "ts", ts)
    value = item.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return EntryError(index, "value", _("value must be a finite number"))
    seq = item.get("seq")
    if seq is not None and (isinstance(seq, bool) or not isinstance(seq, int)):
        return EntryError(index, "seq", _("seq must be an integer"))
    return Entry(ts, float(value), seq)


def parse_items(items, now: datetime, max_future: timedelta) -> tuple[list[Entry], list[EntryError]]:
    entries, errors = [], []
    for index, item in enumerate(items):
        parsed = parse_entry(item, index, now, max_future)
        (errors if isinstance(parsed, EntryError) else entries).append(parsed)
    return entries, errors


def parse_payload(raw: bytes, now: datetime, max_future: timedelta) -> tuple[list[Entry], list[EntryError]]:
    """One object or a list of objects; a payload that is not JSON raises ValueError."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(_("payload is not JSON: %(error)s") % {"error": exc}) from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ValueError(_("payload must be an observation object or a list of them"))
    if len(data) > MAX_ENTRIES:
        raise ValueError(_("at most %(n)d observations per payload") % {"n": MAX_ENTRIES})
    return parse_items(data, now, max_future)
