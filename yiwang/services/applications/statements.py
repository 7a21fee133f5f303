"""Plain SQL statements of the application hot path (submit + accept): no ORM compilation per request.

The locked read is built once per database vendor from the model's fields; the versioned update is put
together from the changed fields' columns (string work only). Values are prepared through
the fields, as the ORM would. Only for the actions in :mod:`.actions`, inside their transaction.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Model

from .models import Application

_TABLE = Application._meta.db_table
_SET_CODE = f'UPDATE "{_TABLE}" SET "code" = %s WHERE "id" = %s'  # noqa: S608  (a constant)


def set_code(application: Application) -> None:
    """Write the code of a just-inserted application (it carries the primary key)."""
    with connection.cursor() as cursor:
        cursor.execute(_SET_CODE, [application.code, application.pk])


_LOCKING: dict[tuple[str, str], tuple[str, list[str]]] = {}


def select_locked(column: str, value) -> Application:
    """``SELECT <every column> … WHERE <column> = value FOR NO KEY UPDATE`` (prepared once per database
    vendor; SQLite's write transaction already holds the database's write lock)."""
    key = (connection.vendor, column)
    plan = _LOCKING.get(key)
    if plan is None:
        quote = connection.ops.quote_name
        fields = Application._meta.concrete_fields
        sql = f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(_TABLE)} WHERE {quote(column)} = %s"  # noqa: S608
        if connection.features.has_select_for_update:
            sql += " FOR NO KEY UPDATE" if connection.features.has_select_for_no_key_update else " FOR UPDATE"
        plan = _LOCKING[key] = (sql, [f.attname for f in fields])
    sql, names = plan
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        row = cursor.fetchone()
    if row is None:
        raise Application.DoesNotExist
    converters = _converters(names)
    values = [convert(value) if convert else value for convert, value in zip(converters, row, strict=True)]
    return Application.from_db(connection.alias, names, values)


_CONVERTERS: dict[str, list] = {}


def _converters(names: list[str]) -> list:
    """Per column, the database's converter of a raw value (datetimes on SQLite, …) or None."""
    found = _CONVERTERS.get(connection.vendor)
    if found is None:
        found = []
        for field in Application._meta.concrete_fields:
            expression = field.get_col(Application._meta.db_table)
            funcs = connection.ops.get_db_converters(expression) + field.get_db_converters(connection)
            found.append((lambda value, funcs=funcs, e=expression: _apply(funcs, value, e)) if funcs else None)
        _CONVERTERS[connection.vendor] = found
    return found


def _apply(funcs, value, expression):
    for func in funcs:
        value = func(value, expression, connection)
    return value


def update_versioned(application: Application, changes: dict) -> int:
    """``UPDATE … SET <changes>, version = version + 1 WHERE id = … AND version = <loaded>``: rows changed.

    Plain values go through a prepared statement (no ORM compilation); expressions through the ORM.
    """
    if any(hasattr(value, "resolve_expression") for value in changes.values()):
        rows = Application.objects.filter(pk=application.pk, version=application.version)
        return rows.update(**changes, version=application.version + 1)
    meta, quote = Application._meta, connection.ops.quote_name
    sets, params = [], []
    for name, value in changes.items():
        field = meta.get_field(name)
        sets.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_save(value.pk if isinstance(value, Model) else value, connection))
    sql = f'UPDATE {quote(_TABLE)} SET {", ".join(sets)}, "version" = %s WHERE "id" = %s AND "version" = %s'  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, application.version + 1, application.pk, application.version])
        return cursor.rowcount
