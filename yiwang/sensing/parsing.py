"""Payload parsing: {"ts": ISO 8601 with a zone or epoch milliseconds, "value": number, "seq"?: int}.

Pure functions, no database: a parse gives (entries, errors) where each error names the entry index,
the field and what is wrong, so callers can answer precisely and dead-letter the rest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson
from django.utils.translation import gettext as _

MAX_ENTRIES = 50_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NAIVE_EPOCH = datetime(1970, 1, 1)  # noqa: DTZ001 (rows carry UTC text: no per-row zone work)
MS = timedelta(milliseconds=1)
_SECONDS = [f"{n:02d}" for n in range(60)]
_MILLIS = [""] + [f".{n:03d}000" for n in range(1, 1000)]  # isoformat omits a zero fraction


def ms_text(raw: int, minutes: dict[int, str]) -> str:
    """``(NAIVE_EPOCH + raw ms).isoformat(" ")`` three times faster: the minute's prefix is formatted once
    (``minutes`` caches it for a batch), the seconds and milliseconds come from tables."""
    minute, rest = divmod(raw, 60_000)
    prefix = minutes.get(minute)
    if prefix is None:
        prefix = minutes[minute] = (NAIVE_EPOCH + minute * 60_000 * MS).isoformat(" ")[:17]
    second, milli = divmod(rest, 1000)
    return prefix + _SECONDS[second] + _MILLIS[milli]


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


_limit_cache: tuple = (None, 0)  # ((now, max_future), limit): replaced whole, so a reader never sees half


def limit_of(now: datetime, max_future: timedelta) -> int:
    """Epoch milliseconds beyond which a ts is in the future (or out of range); a batch asks it per payload."""
    global _limit_cache
    key, limit = _limit_cache
    if key != (now, max_future):
        limit = (now + max_future - EPOCH) // MS
        _limit_cache = ((now, max_future), limit)
    return limit


def parse_rows(
    items, now: datetime, max_future: timedelta, device_id: int, *, minutes: dict | None = None
) -> tuple[list[tuple], list[EntryError]]:
    """Like ``parse_items`` but for bulk paths: rows ``(ts, device_id, value, seq)``, no objects; ts is the
    text Django stores for a UTC moment (``YYYY-MM-DD HH:MM:SS[.ffffff]``), the form the store inserts.

    The common entry (epoch-ms integer ``ts`` within range, a number ``value``, an optional integer
    ``seq``) is checked in one tight loop; anything else goes through ``parse_entry``, so the accepted
    values and the error messages are exactly those of the per-entry parser.
    """
    limit_ms = limit_of(now, max_future)
    rows, errors = [], []
    minutes = {} if minutes is None else minutes  # a caller parsing many payloads shares one
    append = rows.append
    for index, item in enumerate(items):
        try:
            raw, value, seq = item["ts"], item["value"], item.get("seq")
        except (TypeError, KeyError, AttributeError):
            raw = None
        if type(raw) is int and 0 <= raw <= limit_ms:  # noqa: E721 (exact types: bool is refused)
            kind = type(value)
            if kind is float and value - value == 0.0:  # finite (inf - inf and nan - nan are nan)
                if seq is None or type(seq) is int:  # noqa: E721
                    append((ms_text(raw, minutes), device_id, value, seq))
                    continue
            elif kind is int and (seq is None or type(seq) is int):  # noqa: E721
                append((ms_text(raw, minutes), device_id, float(value), seq))
                continue
        parsed = parse_entry(item, index, now, max_future)
        if isinstance(parsed, EntryError):
            errors.append(parsed)
        else:
            append((parsed.ts.replace(tzinfo=None).isoformat(" "), device_id, parsed.value, parsed.seq))
    return rows, errors


def parse_payload_rows(
    raw: bytes, now: datetime, max_future: timedelta, device_id: int, *, minutes: dict | None = None
) -> tuple[list[tuple], list[EntryError]]:
    """One MQTT payload — an observation object or a list of them — as rows ``(UTC text, device_id, value,
    seq)`` (``parse_rows``: no per-entry objects) and entry errors; a payload that is not JSON raises ValueError."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValueError(_("payload is not JSON: %(error)s") % {"error": exc}) from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ValueError(_("payload must be an observation object or a list of them"))
    if len(data) > MAX_ENTRIES:
        raise ValueError(_("at most %(n)d observations per payload") % {"n": MAX_ENTRIES})
    return parse_rows(data, now, max_future, device_id, minutes=minutes)
