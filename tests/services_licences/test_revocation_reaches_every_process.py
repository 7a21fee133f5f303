"""On PostgreSQL each process keeps the status rows verification reads; LISTEN/NOTIFY keeps them exact.

"Another process" is a separate database session (like another web worker, or psql) that changes the
tables directly: the triggers announce it, and the next verification here sees it.
"""

import time

import psycopg
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from yiwang.services.licences import verify_cache
from yiwang.services.licences.actions import revoke_licence
from yiwang.services.licences.keys import current_key, retire_key
from yiwang.services.licences.verify import verify_licence

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def fresh_cache():
    verify_cache.reset()
    yield
    verify_cache.reset()


def _other_session():
    params = connection.get_connection_params()
    for private in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(private, None)
    return psycopg.connect(**params, autocommit=True)


def _until(reason, token, seconds=5.0):
    """Verify until the reason is ``reason`` (or time runs out): (result, seconds it took)."""
    start = time.monotonic()
    while True:
        result = verify_licence(token)
        if result.reason == reason or time.monotonic() - start > seconds:
            return result, time.monotonic() - start
        time.sleep(0.0005)


def test_a_verified_status_is_served_from_memory_without_a_query(issue):
    _, token = issue()
    assert verify_licence(token).valid
    with CaptureQueriesContext(connection) as queries:
        assert verify_licence(token).valid
    assert len(queries) == 0
    assert verify_cache.stats["hits"] >= 1


def test_a_revocation_written_by_another_session_is_seen_as_soon_as_it_is_announced(issue):
    licence, token = issue()
    assert verify_licence(token).valid  # cached now
    with _other_session() as other:
        other.execute("UPDATE licences_licence SET status = 'revoked' WHERE jti = %s", [licence.jti])
    result, waited = _until("revoked", token)
    assert (result.valid, result.reason) == (False, "revoked")
    assert waited < 1.0


def test_a_key_retired_by_another_session_invalidates_every_licence_it_signed(issue):
    first, first_token = issue()
    _, second_token = issue()
    assert verify_licence(first_token).valid and verify_licence(second_token).valid
    with _other_session() as other:
        other.execute("UPDATE licences_signingkey SET status = 'retired' WHERE id = %s", [first.signing_key_id])
    assert _until("key_retired", first_token)[0].reason == "key_retired"
    assert verify_licence(second_token).reason == "key_retired"


def test_the_revoking_process_sees_its_revocation_at_once(issue):
    licence, token = issue()
    assert verify_licence(token).valid
    revoke_licence(verify_cache_actor(), licence, reason="issued in error")
    assert verify_licence(token).reason == "revoked"  # no waiting for the notification


def test_the_retiring_process_sees_the_retired_key_at_once(issue):
    _, token = issue()
    assert verify_licence(token).valid
    retire_key(verify_cache_actor(), current_key())
    assert verify_licence(token).reason == "key_retired"


def test_inside_a_transaction_the_cache_is_not_used_so_uncommitted_changes_count(issue):
    licence, token = issue()
    assert verify_licence(token).valid  # cached outside the transaction
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE licences_licence SET status = 'revoked' WHERE jti = %s", [licence.jti])
        assert verify_licence(token).reason == "revoked"
        transaction.set_rollback(True)
    assert _until("valid", token)[0].valid


def test_a_lost_listening_connection_falls_back_to_the_query_and_misses_nothing(issue):
    licence, token = issue()
    assert verify_licence(token).valid
    listener_pid = verify_cache.listener_backend_pid()
    assert listener_pid is not None
    with _other_session() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [listener_pid])  # this process's listener only
        time.sleep(0.2)
        other.execute("UPDATE licences_licence SET status = 'revoked' WHERE jti = %s", [licence.jti])
    assert verify_licence(token).reason == "revoked"


def verify_cache_actor():
    from yiwang.core.actor import Actor

    return Actor.system()
