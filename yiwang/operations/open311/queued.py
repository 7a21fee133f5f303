"""Queued intake: a valid POST of a key that replies with a token becomes one queue row, answered at once.

With ``OPEN311['INTAKE'] = "queued"``, the POST of a key issued with "reply with a token" runs every check
of :func:`intake.read_form` (bad input → the same 400 errors, nothing saved), then writes ONE row — the
validated, normalised form (:class:`QueuedRequest`) — and answers ``[{"token", "service_notice"}]``
(GeoReport v2: a server that queues requests answers with a token). ``yiwang worker`` registers the
queue in batches (:mod:`.drain`), each report exactly as ``report_case`` does; ``tokens/{token}`` follows it.

The write is one prepared INSERT: on SQLite inside this server's turn to write (:mod:`.writer`) and
nothing else; on PostgreSQL the same statement also wakes the drainers (``pg_notify`` in a CTE, one
round trip, committed with the row). The row is an inbound record like an MQTT message, not an audited
change: the case's registration from it is the audited action (docs/api.md, "Queued intake").
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from yiwang.core.bulkinsert import insert_objects, insert_statement, mark_saved

from .conf import conf
from .models import CLIENT_FIELDS, ApiKey, QueuedRequest
from .writer import writer_turn

CHANNEL = "yiwang_open311_intake"  # LISTEN/NOTIFY channel of the drainers (PostgreSQL)


def wanted(key: ApiKey) -> bool:
    """Is the POST of ``key`` queued? Only in queued mode, and only for keys that take a token as answer."""
    return key.reply_with_token and conf("INTAKE") == "queued"


def enqueue(form, key: ApiKey, client_ip: str | None, token: str) -> QueuedRequest:
    """Write the queue row of a valid form (``form.errors`` empty); returns it, saved."""
    t = form.text
    row = QueuedRequest(
        token=token,
        api_key_id=key.pk,
        received_at=timezone.now(),
        category_id=form.category.pk,
        lon=form.lon,
        lat=form.lat,
        coord_system=form.coord_system,
        address=(form.address or "")[:300],
        description=t["description"] or form.category.name,  # stored data: the category's own name
        answers=form.answers,
        reporter_name=f"{t['first_name']} {t['last_name']}".strip()[:100],
        reporter_phone=t["phone"],
        **{name: t[name] for name in CLIENT_FIELDS},
        client_ip=(client_ip or "")[:45],
    )
    if connection.vendor == "postgresql":
        sql, params, _returning = insert_statement([row])
        with connection.cursor() as cursor:
            # one statement, one implicit transaction: the row and the wake-up commit together
            folded = f"WITH q AS ({sql}) SELECT (SELECT id FROM q), pg_notify(%s, '')"  # noqa: S608
            cursor.execute(folded, [*params, CHANNEL])
            mark_saved([row], [cursor.fetchone()[0]])
        return row
    with writer_turn():
        insert_objects([row])  # autocommit: one INSERT is its own transaction
    return row
