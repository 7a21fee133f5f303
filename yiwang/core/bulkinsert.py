"""Fast bulk inserts for batch actions (seeds, imports, benchmarks): plain tuples, no model instances.

``bulk_create`` builds a model instance per row and prepares every value through its field (about
0.3 ms per row for a 40-column table on this machine). Batch actions that write hundreds of thousands of
rows use this instead: rows are tuples in the order of ``names``; values are converted once per column
type; SQLite gets one ``executemany`` per chunk, PostgreSQL ``COPY … FROM STDIN``.

Only for batch actions, inside their transaction, with their one ``record_batch`` audit row. Ids can be
reserved first (:func:`allocate_ids`) so that child rows can refer to their parents without reading
them back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date

from django.db import connection, models


class RawJSON(str):
    """A value already serialised to JSON text (written as it is)."""


def db_datetime(value):
    """``value`` as this database stores it (a string on SQLite); convert once, reuse in many rows."""
    if value is None or isinstance(value, str) or connection.vendor != "sqlite":
        return value
    return _sqlite_datetime(value)


def db_json(value) -> RawJSON:
    """``value`` serialised once, for many rows."""
    return RawJSON(json.dumps(value))


def _sqlite_datetime(value):
    if value is None or isinstance(value, str):
        return value
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return str(value.replace(tzinfo=None))


def _sqlite_date(value):
    return value.isoformat() if isinstance(value, date) else value


def _json(value):
    if value is None or isinstance(value, RawJSON):
        return value
    return json.dumps(value)


def _converter(field: models.Field):
    sqlite = connection.vendor == "sqlite"
    if isinstance(field, models.DateTimeField):
        return _sqlite_datetime if sqlite else None
    if isinstance(field, models.DateField):
        return _sqlite_date if sqlite else None
    if isinstance(field, models.JSONField):
        return _json
    return None


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def allocate_ids(model, count: int) -> list[int]:
    """Reserve ``count`` primary keys of ``model`` (call inside the writing transaction)."""
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: writers are serialised (BEGIN IMMEDIATE), so the maximum is ours until commit
        pk = connection.ops.quote_name(model._meta.pk.column)
        cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) FROM {table(model)}")  # noqa: S608
        start = int(cursor.fetchone()[0]) + 1
        return list(range(start, start + count))


def insert(model, names: Sequence[str], rows: Iterable[tuple], chunk: int = 5000) -> int:
    """Insert ``rows`` (tuples of attribute values in the order of ``names``) into ``model``'s table."""
    fields = [model._meta.get_field(name) for name in names]
    columns = [f.column for f in fields]
    converters = [(i, c) for i, c in enumerate(_converter(f) for f in fields) if c is not None]
    written = 0
    batch: list = []
    for row in rows:
        if converters:
            row = list(row)
            for i, convert in converters:
                row[i] = convert(row[i])
        batch.append(row)
        if len(batch) >= chunk:
            written += _write(model, columns, batch)
            batch = []
    if batch:
        written += _write(model, columns, batch)
    return written


def _write(model, columns: list[str], rows: list) -> int:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table(model)} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return len(rows)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table(model)} ({quoted}) VALUES ({marks})", rows)  # noqa: S608
    return len(rows)


# --- hot-path inserts of model instances (one report, one audit row) --------------------------------
#
# ``Model.save()`` compiles its INSERT anew on every call (about 0.2–0.4 ms of Python for a wide table);
# ``insert_objects`` builds the statement once per (database vendor, model, row count) and converts each
# value through a converter chosen once per column. No signals are sent (the models written this way
# have no receivers) and the objects get their primary keys, as ``save()`` would give them.

_plans: dict = {}


def _as(kind):
    """A converter that leaves values of ``kind`` (and None) alone and coerces others, as the field would."""

    def convert(value):
        return value if value is None or type(value) is kind else kind(value)

    return convert


_PLAIN = (
    (models.BooleanField, None),
    (models.CharField, _as(str)),
    (models.TextField, _as(str)),
    (models.IntegerField, _as(int)),
    (models.FloatField, _as(float)),
)


def _value_converter(field: models.Field):
    """How a model attribute becomes a query parameter for ``field`` (None: as it is)."""
    if isinstance(field, models.DateTimeField | models.DateField) and (field.auto_now or field.auto_now_add):
        return "pre_save"
    if connection.vendor == "sqlite":
        convert = _converter(field)
        if convert is not None:
            return convert
    elif isinstance(field, models.DateTimeField | models.DateField):
        return None  # psycopg adapts dates and aware datetimes itself
    if isinstance(field, models.ForeignKey | models.AutoField):
        return None
    for kind, convert in _PLAIN:
        if isinstance(field, kind) and type(field).get_db_prep_save is models.Field.get_db_prep_save:
            return convert
    return "prep"  # JSON on PostgreSQL, decimals, UUIDs, …: the field prepares the value


def _plan(model, rows: int):
    key = (connection.vendor, model, rows)
    plan = _plans.get(key)
    if plan is None:
        meta = model._meta
        fields = [f for f in meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]
        quoted = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        sql = f"INSERT INTO {table(model)} ({quoted}) VALUES {', '.join([one] * rows)}"  # noqa: S608
        pk = meta.pk
        returning = isinstance(pk, models.AutoField) and (rows > 1 or connection.vendor != "sqlite")
        if returning:
            sql += f" RETURNING {connection.ops.quote_name(pk.column)}"
        plan = (sql, [(f, f.attname, _value_converter(f)) for f in fields], returning)
        _plans[key] = plan
    return plan


def insert_statement(objs: Sequence[models.Model]) -> tuple[str, list, bool]:
    """The prepared INSERT of unsaved instances of one model: ``(sql, params, returns_ids)``."""
    sql, columns, returning = _plan(type(objs[0]), len(objs))
    params: list = []
    for obj in objs:
        for field, attname, convert in columns:
            if convert is None:
                params.append(getattr(obj, attname))
            elif convert == "pre_save":
                params.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
            elif convert == "prep":
                params.append(field.get_db_prep_save(getattr(obj, attname), connection))
            else:
                params.append(convert(getattr(obj, attname)))
    return sql, params, returning


def mark_saved(objs: Sequence[models.Model], ids: Sequence) -> None:
    """Give inserted instances their primary keys and mark them saved, as ``save()`` would."""
    db = connection.alias
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = db


def insert_objects(objs: Sequence[models.Model]) -> None:
    """INSERT unsaved instances of one model in one statement; each gets its primary key.

    For the hot paths of single actions (a report: the case, its place, areas and history; an audit row).
    Run inside the action's transaction. Instances must all be of the same model.
    """
    if not objs:
        return
    sql, params, returning = insert_statement(objs)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            ids = [row[0] for row in cursor.fetchall()]
            if len(ids) != len(objs):
                raise RuntimeError(f"an insert of {len(objs)} rows returned {len(ids)} ids")
        elif isinstance(type(objs[0])._meta.pk, models.AutoField):
            ids = [cursor.lastrowid]  # one row on SQLite
        else:
            ids = [obj.pk for obj in objs]  # the primary key was given
    mark_saved(objs, ids)


def insert_many_objects(objs: Sequence[models.Model]) -> None:
    """:func:`insert_objects` for a batch of any size (unsaved instances of one model); each gets its key.

    PostgreSQL: the ids are reserved first (:func:`allocate_ids`) and the rows go in by one ``COPY`` — a
    multi-row INSERT of tens of thousands of parameters costs psycopg ~40 ms of client-side parsing.
    SQLite: one multi-row INSERT per chunk of at most ~30,000 parameters.
    """
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    if connection.vendor != "postgresql" or len(objs) < 20:
        size = max(1, 30_000 // len(meta.concrete_fields))
        for start in range(0, len(objs), size):
            insert_objects(objs[start : start + size])
        return
    auto = isinstance(meta.pk, models.AutoField)
    ids = allocate_ids(model, len(objs)) if auto else [obj.pk for obj in objs]
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
    names = [f.attname for f in meta.concrete_fields]
    auto_now = [f for f in meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for obj in objs if auto_now else ():
        for f in auto_now:
            f.pre_save(obj, True)
    insert(model, names, ([getattr(obj, name) for name in names] for obj in objs))
    mark_saved(objs, ids)


__all__ = [
    "RawJSON",
    "allocate_ids",
    "db_datetime",
    "db_json",
    "insert",
    "insert_many_objects",
    "insert_objects",
    "insert_statement",
    "mark_saved",
    "table",
]
