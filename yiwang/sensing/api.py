"""HTTP bulk ingestion, mounted at /api/v1/sensing/.

POST /observations
    Header ``X-Device-Key: <the device's key>`` (one device per request). Body: a JSON list of
    observations ``{"ts": ISO 8601 with zone | epoch ms, "value": number, "seq"?: int}`` or
    ``{"observations": [...]}``; at most 50,000 a request.
    200 → ``{"accepted": n, "duplicate": n, "rejected": n, "errors": [{"index", "field", "message"}]}``
    (valid entries are stored even when others are rejected; resending is harmless: duplicates are
    counted, not stored twice). 401 without a valid key, 400 when the body is not usable at all.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from yiwang.core.actor import Actor, Channel, client_address

from .devices import device_cache
from .parsing import MAX_ENTRIES, parse_items
from .store import dead_letter, store_batch

router = Router(tags=["sensing"])


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


@router.post("/observations", auth=None, summary="Bulk observations of one device (X-Device-Key)")
def post_observations(request):
    key = request.headers.get("X-Device-Key", "")
    device = device_cache.by_device_key(key) if key else None
    if device is None:
        return _error(401, _("A valid X-Device-Key header is required."))
    try:
        data = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return _error(400, _("The body is not JSON: %(error)s") % {"error": exc})
    if isinstance(data, dict) and isinstance(data.get("observations"), list):
        data = data["observations"]
    if not isinstance(data, list):
        return _error(400, _('The body must be a list of observations or {"observations": [...]}.'))
    if len(data) > MAX_ENTRIES:
        return _error(413, _("At most %(n)d observations per request.") % {"n": MAX_ENTRIES})
    now = timezone.now()
    entries, errors = parse_items(data, now, timedelta(seconds=settings.SENSING["MAX_FUTURE_SECONDS"]))
    dead = []
    if errors:
        reason = "; ".join(f"[{e.index}] {e.field}: {e.message}" for e in errors[:5])
        dead.append(dead_letter("http", reason, request.body, device_code=device.code))
    actor = Actor(user=None, channel=Channel.API, client_ip=client_address(request))
    result = store_batch(actor, [(device.id, e) for e in entries], dead=dead, source="http")
    return {
        "accepted": result.accepted,
        "duplicate": result.duplicate,
        "rejected": len(errors),
        "errors": [e.as_dict() for e in errors],
    }
