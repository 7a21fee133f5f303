"""A transition locks the application's own row, not its department, item or situation (PostgreSQL).

Locking the joined rows too made every acceptance of a department wait for the others and deadlocked
with the foreign-key checks of applications being created at the same time.
"""

import psycopg
import pytest
from django.db import connection, transaction

from tests.factories import make_user
from tests.services_applications.helpers import as_actor, clerk, make_situation
from yiwang.services.applications import actions

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _other_session():
    params = connection.get_connection_params()
    for private in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(private, None)
    return psycopg.connect(**params, autocommit=True)


def _can_lock(session, table, pk, mode) -> bool:
    try:
        session.execute(f"SELECT 1 FROM {table} WHERE id = %s {mode} NOWAIT", [pk])  # noqa: S608
    except psycopg.errors.LockNotAvailable:
        return False
    return True


def test_accepting_holds_the_application_row_and_nothing_it_refers_to():
    situation = make_situation(materials=())
    resident = as_actor(make_user())
    application = actions.create_application(resident, situation=situation, channel="online", submit_at_once=True)
    with _other_session() as other, transaction.atomic():
        actions.accept(as_actor(clerk()), application)  # its locks are held until this block ends
        other.execute("BEGIN")
        assert _can_lock(other, "core_orgunit", application.department_id, "FOR UPDATE")
        assert _can_lock(other, "catalogue_item", application.item_id, "FOR UPDATE")
        assert _can_lock(other, "catalogue_situation", application.situation_id, "FOR UPDATE")
        assert _can_lock(other, "applications_application", application.pk, "FOR KEY SHARE")  # rows may refer to it
        assert not _can_lock(other, "applications_application", application.pk, "FOR UPDATE")
        other.execute("ROLLBACK")
