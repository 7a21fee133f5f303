"""HTTP bulk ingestion, mounted at /api/v1/sensing/.

POST /observations
    Header ``X-Device-Key: <the device's key>`` (one device per request). Body: a JSON list of
    observations ``{"ts": ISO 8601 with zone | epoch ms, "value": number, "seq"?: int}`` or
    ``{"observations": [...]}``; at most ``MAX_ENTRIES`` (50,000) a request and ``MAX_BODY_BYTES``
    (8 MiB) of JSON; ``Content-Encoding: gzip`` bodies are accepted (the limit applies after
    decompression).
    200 → ``{"accepted": n, "duplicate": n, "rejected": n, "errors": [{"index", "field", "message"}]}``
    (valid entries are stored even when others are rejected; resending is harmless: duplicates are
    counted, not stored twice). 401 without a valid key, 400 when the body is not usable at all,
    413 when it is too large, 415 for an encoding other than gzip.
"""

from __future__ import annotations

import gc
import zlib
from contextlib import contextmanager
from datetime import timedelta

import orjson
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from yiwang.core.actor import Actor, Channel, client_address

from .devices import device_cache
from .parsing import MAX_ENTRIES, parse_rows
from .store import dead_letter, store_rows

router = Router(tags=["sensing"])

MAX_BODY_BYTES = 8 * 1024 * 1024  # JSON after decompression: ~50,000 observations of ~60 bytes, with room


class TooLarge(ValueError):
    pass


@contextmanager
def _no_cyclic_gc():
    """A batch allocates ~5 objects per observation, all freed by reference counting; without this the
    cyclic collector ran full passes over the whole process mid-batch (a third of the time at 5,000)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


def _gunzip(raw: bytes) -> bytes:
    """Decompress a gzip body, refusing more than MAX_BODY_BYTES of output (no zip bombs)."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    out = inflater.decompress(raw, MAX_BODY_BYTES + 1)
    if len(out) > MAX_BODY_BYTES:
        raise TooLarge
    if not inflater.eof:
        raise zlib.error("truncated gzip stream")
    return out


def _body(request) -> bytes | JsonResponse:
    encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("identity", "gzip"):
        return _error(415, _("Content-Encoding must be gzip or absent, not %(enc)s.") % {"enc": encoding[:40]})
    raw = request.body
    if encoding == "gzip":
        try:
            raw = _gunzip(raw)
        except TooLarge:
            return _too_large()
        except zlib.error as exc:
            return _error(400, _("The body is not valid gzip: %(error)s") % {"error": exc})
    return _too_large() if len(raw) > MAX_BODY_BYTES else raw


def _too_large() -> JsonResponse:
    return _error(413, _("At most %(n)d bytes of JSON per request.") % {"n": MAX_BODY_BYTES})


@router.post("/observations", auth=None, summary="Bulk observations of one device (X-Device-Key)")
def post_observations(request):
    key = request.headers.get("X-Device-Key", "")
    device = device_cache.by_device_key(key) if key else None
    if device is None:
        return _error(401, _("A valid X-Device-Key header is required."))
    raw = _body(request)
    if isinstance(raw, JsonResponse):
        return raw
    with _no_cyclic_gc():
        return _ingest(request, device, raw)


def _ingest(request, device, raw: bytes):
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return _error(400, _("The body is not JSON: %(error)s") % {"error": exc})
    if isinstance(data, dict) and isinstance(data.get("observations"), list):
        data = data["observations"]
    if not isinstance(data, list):
        return _error(400, _('The body must be a list of observations or {"observations": [...]}.'))
    if len(data) > MAX_ENTRIES:
        return _error(413, _("At most %(n)d observations per request.") % {"n": MAX_ENTRIES})
    now = timezone.now()
    max_future = timedelta(seconds=settings.SENSING["MAX_FUTURE_SECONDS"])
    rows, errors = parse_rows(data, now, max_future, device.id)
    dead = []
    if errors:
        reason = "; ".join(f"[{e.index}] {e.field}: {e.message}" for e in errors[:5])
        dead.append(dead_letter("http", reason, raw, device_code=device.code))
    actor = Actor(user=None, channel=Channel.API, client_ip=client_address(request))
    result = store_rows(actor, rows, dead=dead, source="http")
    answer = {
        "accepted": result.accepted,
        "duplicate": result.duplicate,
        "rejected": len(errors),
        "errors": [e.as_dict() for e in errors],
    }
    return HttpResponse(orjson.dumps(answer), content_type="application/json")
