"""The session engine (``SESSION_ENGINE``): Django's database sessions, read by a plain prepared statement.

Every request with a session cookie reads its session; Django's ``db`` engine compiles an ORM query each
time. This engine reads the same row (``session_key`` given, ``expire_date`` still ahead) with
:func:`yiwang.core.plainread.fetch`; storing, cycling, flushing (logout), expiry and ``clearsessions``
are Django's, unchanged — a logout deletes the row and the next request, in any worker, finds no session.
Why not a cached or a cookie session: a per-process cache would let a logged-out session live on in the
other workers, and signed cookies cannot be revoked (docs/architecture.md, sessions).

Sessions written before the login backend moved to :mod:`yiwang.core.identity.backends` name Django's
ModelBackend; they are read as naming ours (the same users, the same rules), so nobody is logged out.
"""

from __future__ import annotations

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

from yiwang.core import plainread

from .backends import DJANGO_MODEL_BACKEND, MODEL_BACKEND


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        model = self.model
        using = router.db_for_read(model)
        connection = connections[using]
        expiry = model._meta.get_field("expire_date").get_db_prep_value(timezone.now(), connection)
        condition = f" AND {connection.ops.quote_name('expire_date')} > %s"
        found = None
        if self.session_key is not None:
            found = plainread.fetch(
                model, "session_key", self.session_key, extra=condition, params=[expiry], using=using
            )
        if found is None:
            self._session_key = None
        return found

    def load(self):
        data = super().load()
        if data.get(BACKEND_SESSION_KEY) == DJANGO_MODEL_BACKEND:
            data[BACKEND_SESSION_KEY] = MODEL_BACKEND  # read only: the row is rewritten only if changed
        return data
